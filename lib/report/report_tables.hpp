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
std::vector<std::string> all_notes(const JobTrace& trace);
// "cpu, dram come from models" or empty
std::string estimates_sentence(const JobReport& report);

}  // namespace erg
