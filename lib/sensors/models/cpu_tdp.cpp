#include "sensors/models/cpu_tdp.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>
#include <sstream>
#include <vector>

#include "util/csv.hpp"
#include "util/errors.hpp"
#include "util/file_descriptor.hpp"
#include "util/text.hpp"

namespace erg {

namespace {

std::vector<std::string> words_of(std::string text) {
  for (const char* noise : {"(R)", "(r)", "(TM)", "(tm)"}) {
    for (auto pos = text.find(noise); pos != std::string::npos; pos = text.find(noise))
      text.erase(pos, std::string(noise).size());
  }
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string w; in >> w;) {
    words.push_back(to_lower(w));
  }
  return words;
}

bool has_digit(const std::string& w) {
  return std::any_of(w.begin(), w.end(), [](unsigned char c) { return std::isdigit(c); });
}

struct Match {
  double tdp_w = 0;
  std::string row;
};

// Best row of a table whose first column is the model name and whose column "TDP" holds watts.
Match best_match(const std::string& csv_path, const std::vector<std::string>& model_words) {
  Match best;
  CsvTable table;
  try {
    table = read_csv_file(csv_path);
  } catch (const UsageError&) {
    return best;
  }
  int tdp_column = table.column("TDP");
  if (tdp_column < 0) return best;
  std::set<std::string> have(model_words.begin(), model_words.end());
  for (const auto& cells : table.rows) {
    if (cells.size() <= static_cast<size_t>(tdp_column) || cells[0].size() <= best.row.size()) continue;
    auto words = words_of(cells[0]);
    if (words.empty() || !std::any_of(words.begin(), words.end(), has_digit)) continue;
    if (!std::all_of(words.begin(), words.end(), [&](const std::string& w) { return have.count(w) > 0; }))
      continue;
    char* end = nullptr;
    double tdp_w = std::strtod(cells[tdp_column].c_str(), &end);
    if (end == cells[tdp_column].c_str() || !(tdp_w > 0)) continue;
    best = {tdp_w, cells[0]};
  }
  return best;
}

}  // namespace

CpuTdp lookup_cpu_tdp(const std::string& data_dir, const std::string& cpuinfo_path) {
  CpuTdp result;
  std::set<std::string> physical_ids;
  int processors = 0;
  if (auto text = read_text_file(cpuinfo_path)) {
    std::istringstream in(*text);
    for (std::string line; std::getline(in, line);) {
      auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string key = trim(line.substr(0, colon)), value = trim(line.substr(colon + 1));
      if (key == "processor") ++processors;
      if (key == "model name" && result.model_name.empty()) result.model_name = value;
      if (key == "physical id") physical_ids.insert(value);
    }
  }
  result.logical_cpus = std::max(processors, 1);
  result.sockets = std::max<int>(static_cast<int>(physical_ids.size()), 1);

  auto words = words_of(result.model_name);
  for (const char* file : {"cpu_tdp_codecarbon.csv", "green_algorithms_tdp_cpu.csv"}) {
    Match m = best_match(data_dir + "/hardware/" + file, words);
    if (m.tdp_w > 0) {
      result.tdp_w = m.tdp_w * result.sockets;
      result.source = std::string("data/hardware/") + file + ": " + m.row + " x " +
                      std::to_string(result.sockets) + " socket(s)";
      return result;
    }
  }
  result.tdp_w = default_core_tdp_w * result.logical_cpus;
  result.source = "default 12 W per core x " + std::to_string(result.logical_cpus) +
                  " CPUs (Green Algorithms v3.0, model not in the TDP tables)";
  return result;
}

}  // namespace erg
