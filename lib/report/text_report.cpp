#include "report/text_report.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace erg {

namespace {

std::string format(const char* pattern, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, pattern, value);
  return buffer;
}

std::string energy(double j) { return format("%.1f J", j) + " (" + format("%.4g kWh", j / joules_per_kwh) + ")"; }

bool estimated(const JobAccount& a, const std::string& domain) {
  return std::find(a.estimated_domains.begin(), a.estimated_domains.end(), domain) != a.estimated_domains.end();
}

}  // namespace

std::string text_report(const JobTrace& trace, const JobAccount& account) {
  std::ostringstream out;
  out << "erg report: job " << (trace.job.job_id.empty() ? "-" : trace.job.job_id);
  if (!trace.job.job_name.empty()) out << " (" << trace.job.job_name << ")";
  out << "\n  duration        " << format("%.3f s", account.duration_s) << ", " << trace.nodes.size() << " node(s), "
      << trace.job.n_ranks << " rank(s)\n";
  out << "  IT energy       " << energy(account.total.it_energy_j) << "\n";
  for (const auto& [domain, j] : account.total.by_domain_j)
    out << "    " << domain << std::string(std::max<size_t>(12, domain.size() + 1) - domain.size(), ' ') << energy(j)
        << "  [" << account.domain_sources.at(domain) << (estimated(account, domain) ? ", estimate" : "") << "]\n";
  if (trace.nodes.size() > 1)
    for (const auto& [node, j] : account.total.by_node_j) out << "    node " << node << ": " << energy(j) << "\n";
  out << "  facility energy " << energy(account.total.facility_energy_j) << " at PUE " << format("%.2f", trace.carbon.pue)
      << (trace.carbon.pue_source.empty() ? "" : " (" + trace.carbon.pue_source + ")") << "\n";
  out << "  CO2e            " << format("%.4g g", account.total.co2e_g) << " at "
      << format("%.1f gCO2e/kWh", trace.carbon.emission_factor_g_per_kwh)
      << (trace.carbon.region.empty() ? "" : " " + trace.carbon.region) << " ("
      << trace.carbon.emission_factor_source << ")\n";
  if (!account.phases.empty()) {
    out << "  phases\n";
    for (const auto& p : account.phases) {
      out << "    " << p.phase.name << " [" << p.phase.kind << "] " << format("%.3f s", p.phase.end_s - p.phase.start_s)
          << "  " << energy(p.energy.it_energy_j) << "  " << format("%.4g gCO2e", p.energy.co2e_g);
      if (p.phase.items > 0)
        out << "  " << p.phase.items << " items, "
            << format("%.4g J/item", p.energy.it_energy_j / static_cast<double>(p.phase.items));
      out << "\n";
    }
    out << "    outside phases  " << energy(account.outside_phases.it_energy_j) << "\n";
  }
  if (!account.estimated_domains.empty()) {
    out << "  estimates       ";
    for (size_t i = 0; i < account.estimated_domains.size(); ++i)
      out << (i ? ", " : "") << account.estimated_domains[i];
    out << " come from models (no hardware counter could be read)\n";
  }
  out << "  measurement     sampler CPU time " << format("%.4f s", account.sampler_cpu_s) << "\n";
  return out.str();
}

}  // namespace erg
