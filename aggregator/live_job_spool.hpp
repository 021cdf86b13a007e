#pragma once
#include <string>
#include <vector>

#include "accounting/grid_carbon.hpp"
#include "metrics/live_readings.hpp"
#include "spool/spool_follower.hpp"

namespace erg {

// A running job's energy on this node so far, read from its live spool as erg collect will
// read it at the end: on a node shared with other jobs, the job's share of the node's
// counters (charge_node_share, docs/accounting.md), so that the live figure and the one in
// the job's trace agree. Only the samples appended since the last update are read and
// charged; the charged joules are summed interval by interval, and so is their CO2e, at the
// grid's intensity in each interval (GridCarbon: the emission factor without a series).
class LiveJobSpool {
 public:
  // Follows NAME (a <node>.spool) in dir; throws std::runtime_error when it cannot be read.
  // grid must outlive this object.
  LiveJobSpool(const spool::JobSpoolDirectory& dir, const std::string& name, const GridCarbon& grid, double pue);

  void update();
  bool has_header() const { return follower_.has_header(); }
  bool ended() const { return follower_.contents().footer.has_value(); }
  // The job's user, as its daemon recorded it (from Slurm's environment: not trusted).
  std::string user() const;
  const std::vector<metrics::DomainEnergy>& energy_j() const { return charged_j_; }
  double co2e_g() const { return co2e_g_; }  // of all domains, facility energy (x PUE)

 private:
  struct Counted {
    metrics::DomainEnergy energy;
    double time_s;  // the sample the domain's energy was last counted at; NaN: never
  };
  spool::SpoolFollower follower_;
  std::vector<Counted> counted_;
  std::vector<metrics::DomainEnergy> charged_j_;
  const GridCarbon& grid_;
  double pue_;
  double co2e_g_ = 0;
};

}  // namespace erg
