#pragma once
#include <string>
#include <vector>

#include "report/job_report.hpp"

namespace erg {

// The tables that the markdown and HTML reports share, as rows of cells, so that both
// formats say the same thing; each renders them its own way.
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

Table key_figures_table(const JobReport& report);
Table phases_table(const JobReport& report);
Table nodes_table(const JobReport& report);
Table life_cycle_table(const JobReport& report);
Table overheads_table(const JobReport& report);
Table metrics_table(const JobReport& report);
std::vector<std::string> all_notes(const JobReport& report);

// The same words for the same facts in every report and command:
// "2 node(s), 4 rank(s)", or "1 node(s), ranks unknown" where no MPI host counted them.
std::string machine_text(const JobReport& report);
// "3.47 s", or "no samples" for a job whose nodes flushed none (killed in its first second):
// its duration is unknown, not 0.
std::string duration_text(const JobReport& report);
// "PUE 1.56, default: Uptime Institute ..." and "381 gCO2e/kWh DEU, Ember, 2023": the source
// after a comma, never in parentheses, since sources hold parentheses of their own.
std::string pue_text(const CarbonSettings& carbon);
std::string intensity_text(const CarbonSettings& carbon);
// Embodied and total CO2e, and the best start where an intensity series found one: rows of
// figure, value, how (the key figures of md and HTML, the lines of text).
std::vector<std::vector<std::string>> carbon_rows(const JobReport& report);
// "cpu, dram come from models" or empty
std::string estimates_sentence(const JobReport& report);

}  // namespace erg
