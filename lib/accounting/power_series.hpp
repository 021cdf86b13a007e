#pragma once
#include <map>
#include <string>
#include <vector>

#include "trace/node_summary.hpp"
#include "trace/node_trace.hpp"

namespace erg {

// The job's power series has power_series_steps (node_summary.hpp) from its start to its end,
// whatever its length: finer than any chart draws, and the best start's profile places a start
// to 1/1000 of the job.

// The grid of a job of duration_s: step_s and points; none (0 points) for a job without time.
struct PowerGrid {
  double step_s = 0;
  std::size_t points = 0;
};
PowerGrid power_grid(double duration_s);

// One node's cumulative joules per domain (in the order of domains; 0 for one it lacks) at
// the grid's points, flattened [domain][point]: what each MPI node leader adds to the job's
// series with one reduction.
std::vector<double> node_power_values(const NodeTrace& node, const std::vector<std::string>& domains, const PowerGrid& grid);

// The job's series summed node by node, whatever domains each node has (domains in name
// order): the spool path meets its nodes one at a time.
class PowerSeriesSum {
 public:
  explicit PowerSeriesSum(const PowerGrid& grid) : grid_(grid) {}
  void add(const NodeTrace& node);
  PowerSeries series() const;

 private:
  PowerGrid grid_;
  std::map<std::string, std::vector<double>> sum_j_;
};

// The job's series from its nodes' samples.
PowerSeries power_series_of(const std::vector<NodeTrace>& nodes, double duration_s);

// The series from summed values (node_power_values, added over nodes).
PowerSeries power_series_from(const std::vector<std::string>& domains, const PowerGrid& grid, std::vector<double> values);

}  // namespace erg
