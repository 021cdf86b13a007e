#include "util/csv.hpp"

#include <cerrno>
#include <cstring>
#include <sstream>

#include "util/errors.hpp"
#include "util/file_descriptor.hpp"

namespace erg {

int CsvTable::column(const std::string& name) const {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') cells.back() += '"', ++i;
      else if (c == '"') quoted = false;
      else cells.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      cells.emplace_back();
    } else if (c != '\r') {
      cells.back() += c;
    }
  }
  return cells;
}

std::string read_input_file(const std::string& path) {
  // Not an ifstream: it opens a directory and then reads it as an empty file, or throws.
  // Bounded: a CSV, a label table or a trace's JSON summary is kilobytes; a huge file (or
  // /dev/zero) is the wrong file, not one to hold in memory.
  constexpr size_t max_input_bytes = size_t{64} << 20;
  auto text = read_text_file(path, max_input_bytes + 1);
  if (!text) throw UsageError(path + ": cannot be read: " + std::strerror(errno));
  if (text->size() > max_input_bytes) throw UsageError(path + " is larger than 64 MiB: not an input erg reads");
  return *text;
}

CsvTable read_csv_file(const std::string& path) {
  std::istringstream in(read_input_file(path));
  return parse_csv(in);
}

CsvTable parse_csv(std::istream& in) {
  CsvTable table;
  std::string line;
  if (!std::getline(in, line)) return table;
  table.header = split_csv_line(line);
  while (std::getline(in, line))
    if (!line.empty() && line != "\r") table.rows.push_back(split_csv_line(line));
  return table;
}

}  // namespace erg
