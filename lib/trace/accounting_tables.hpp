#pragma once
// /accounting and /power of the HDF5 trace (docs/trace-format.md): the nodes' summaries and
// the job's power series, all a report or the ledger reads of a trace.
#include <hdf5.h>

#include <vector>

#include "trace/node_summary.hpp"
#include "trace/read_budget.hpp"

namespace erg {

void write_accounting(hid_t root, const std::vector<NodeSummary>& nodes, std::size_t n_phases, const PowerSeries& power);

// Whether the file has the accounting tables (erg 0.x traces before them have only /nodes).
bool has_accounting(hid_t root);

// Reads them back, checked: a row that names no node, a number that is not finite or is out
// of range, a table of another length than its rows or phases say, a power series whose
// domains differ in length, or anything held in another file throws std::runtime_error.
void read_accounting(hid_t root, std::size_t n_phases, ReadBudget& budget, std::vector<NodeSummary>& nodes,
                     PowerSeries& power);

}  // namespace erg
