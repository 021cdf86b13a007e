#pragma once
// Compound tables of the trace (/phases, /metrics, /accounting/...): one row struct per
// table, its HDF5 type built beside it, rows written and read whole.
#include <string>
#include <vector>

#include "trace/hdf5_handle.hpp"
#include "trace/read_budget.hpp"

namespace erg::hdf5 {

template <typename Row>
void write_table(hid_t parent, const std::string& name, hid_t type, const std::vector<Row>& rows) {
  hsize_t dims[1] = {rows.size()};
  Handle space(H5Screate_simple(1, dims, nullptr), H5Sclose);
  Handle dataset(H5Dcreate2(parent, name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                 H5Dclose);
  if (!dataset.valid()) throw std::runtime_error("HDF5: cannot create dataset " + name);
  if (!rows.empty() && H5Dwrite(dataset.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()) < 0)
    throw std::runtime_error("HDF5: cannot write dataset " + name);
}

// Reads a compound table; vlen strings are copied out and the library's memory reclaimed.
template <typename Row, typename Convert>
void read_table(hid_t parent, const std::string& name, hid_t type, ReadBudget& budget, Convert convert) {
  if (H5Lexists(parent, name.c_str(), H5P_DEFAULT) <= 0) return;
  if (!is_hard_link(parent, name)) throw std::runtime_error(name + " is held in another file or under another name");
  Handle dataset(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!dataset.valid()) throw std::runtime_error("cannot open " + name);
  Handle space(H5Dget_space(dataset.get()), H5Sclose);
  // A table of another shape would be read past the rows allocated for it.
  const hsize_t n = hdf5::checked_length(dataset.get(), sizeof(Row), budget);
  if (n == 0) return;
  hdf5::BudgetedTransfer transfer(budget);
  std::vector<Row> rows(n);
  const bool read = H5Dread(dataset.get(), type, H5S_ALL, H5S_ALL, transfer.get(), rows.data()) >= 0;
  if (read)
    for (const auto& row : rows) convert(row);
  H5Dvlen_reclaim(type, space.get(), transfer.get(), rows.data());  // also what a failed read allocated
  if (transfer.refused())
    throw TraceTooLarge("/" + name + " holds more text than the " + std::to_string(budget.max_bytes()) +
                        " bytes a trace may take to read (" + max_trace_bytes_variable + ")");
  if (!read) throw std::runtime_error("cannot read " + name);
}

}  // namespace erg::hdf5
