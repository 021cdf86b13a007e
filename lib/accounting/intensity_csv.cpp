#include "accounting/intensity_csv.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "util/csv.hpp"
#include "util/errors.hpp"
#include "util/text.hpp"
#include "util/utc_date.hpp"

namespace erg {

namespace {

// "Carbon Intensity gCO₂eq/kWh (LCA)" -> "carbonintensitygcoeqkwhlca": names compared by their
// letters and digits only, whatever their case, spaces, units and punctuation.
std::string normalized(const std::string& name) {
  std::string out;
  for (unsigned char c : name)
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
  return out;
}

int time_column(const CsvTable& table) {
  static const char* names[] = {"datetime", "datetimeutc", "timestamp", "timestamputc", "time", "timeutc", "date",
                                "dateutc", "utc", "start", "startutc", "starttime", "starttimeutc", "from", "periodstart"};
  for (const char* name : names)
    for (std::size_t i = 0; i < table.header.size(); ++i)
      if (normalized(table.header[i]) == name) return static_cast<int>(i);
  return -1;
}

int intensity_column(const CsvTable& table) {
  int lifecycle = -1, other = -1;
  for (std::size_t i = 0; i < table.header.size(); ++i) {
    const std::string n = normalized(table.header[i]);
    if (n == "carbonintensitygperkwh") return static_cast<int>(i);
    const bool intensity = n.find("carbonintensity") != std::string::npos || n.find("co2intensity") != std::string::npos ||
                           n.find("emissionfactor") != std::string::npos || n.find("gco2") != std::string::npos;
    if (!intensity) continue;
    const bool lca = n.find("lca") != std::string::npos || n.find("lifecycle") != std::string::npos;
    if (lca && lifecycle < 0) lifecycle = static_cast<int>(i);
    if (!lca && other < 0) other = static_cast<int>(i);
  }
  return lifecycle >= 0 ? lifecycle : other;
}

}  // namespace

GridIntensity read_intensity_csv(const std::string& path) {
  const CsvTable table = read_csv_file(path);
  const std::string where = "--intensity " + path;
  const int time = time_column(table), value = intensity_column(table);
  if (time < 0) throw UsageError(where + ": no time column (datetime, Datetime (UTC), timestamp, ...)");
  if (value < 0) throw UsageError(where + ": no intensity column (carbon_intensity_g_per_kwh, Carbon Intensity gCO2eq/kWh (LCA), ...)");
  GridIntensity series;
  series.source = path;
  std::size_t line = 1;
  for (const auto& row : table.rows) {
    ++line;
    if (row.size() == 1 && trim(row[0]).empty()) continue;  // a blank line
    const std::string at = where + " line " + std::to_string(line) + ": ";
    if (row.size() <= static_cast<std::size_t>(std::max(time, value))) throw UsageError(at + "too few fields");
    auto start = parse_iso8601(trim(row[static_cast<std::size_t>(time)]));
    if (!start) throw UsageError(at + "'" + escape_controls(row[static_cast<std::size_t>(time)].substr(0, 40)) + "' is not an ISO 8601 time");
    const std::string text = trim(row[static_cast<std::size_t>(value)]);
    char* end = nullptr;
    const double g = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !std::isfinite(g) || g < 0)
      throw UsageError(at + "the intensity '" + escape_controls(text.substr(0, 40)) + "' is not a finite number >= 0 (gCO2e/kWh)");
    if (!series.start_unix_s.empty() && *start <= series.start_unix_s.back())
      throw UsageError(at + (*start == series.start_unix_s.back() ? "a time given twice" : "a time before the line above it") +
                       ": the rows must go forward in time");
    if (!series.start_unix_s.empty()) series.end_unix_s.push_back(*start);
    series.start_unix_s.push_back(*start);
    series.g_per_kwh.push_back(g);
  }
  if (series.empty()) throw UsageError(where + ": no rows");
  const std::size_t n = series.start_unix_s.size();
  const double last_step_s = n > 1 ? series.start_unix_s[n - 1] - series.start_unix_s[n - 2] : 3600.0;
  series.end_unix_s.push_back(series.start_unix_s.back() + last_step_s);
  return series;
}

}  // namespace erg
