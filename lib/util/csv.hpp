#pragma once
#include <string>
#include <vector>

namespace erg {

// A CSV table with a header row; fields may be quoted ("a, b"), with "" for a quote.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  // Index of a header column, or -1.
  int column(const std::string& name) const;
};

std::vector<std::string> split_csv_line(const std::string& line);
// The whole text of a file erg reads as input (a CSV, a JSON file); throws UsageError when it
// cannot be read, as when it is a directory.
std::string read_input_file(const std::string& path);
// Throws UsageError when the file cannot be read.
CsvTable read_csv_file(const std::string& path);
CsvTable parse_csv(std::istream& in);

}  // namespace erg
