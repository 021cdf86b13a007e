#include "metrics/exposition.hpp"

#include <charconv>
#include <cmath>

#include "util/text.hpp"

namespace erg::metrics {

namespace {

// The format's escapes: backslash and line feed everywhere, the double quote in label values.
std::string escaped(std::string_view text, bool quote) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' && quote)
      out += "\\\"";
    else
      out += c;
  }
  return out;
}

// The shortest text that reads back as the same double: a counter keeps its full precision.
void append_number(std::string& out, double value) {
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (error == std::errc()) out.append(buffer, end);
}

}  // namespace

// Prometheus refuses a whole scrape for one byte that is not UTF-8.
std::string escape_label_value(std::string_view value) { return escaped(valid_utf8(value), true); }

std::string exposition_text(const std::vector<MetricFamily>& families) {
  std::string out;
  for (const auto& family : families) {
    out += "# HELP " + family.name + " " + escaped(family.help, false) + "\n";
    out += "# TYPE " + family.name + " " + family.type + "\n";
    for (const auto& sample : family.samples) {
      if (!std::isfinite(sample.value)) continue;
      out += family.name;
      if (!sample.labels.empty()) {
        out += '{';
        for (std::size_t i = 0; i < sample.labels.size(); ++i) {
          if (i) out += ',';
          out += sample.labels[i].name + "=\"" + escape_label_value(sample.labels[i].value) + "\"";
        }
        out += '}';
      }
      out += ' ';
      append_number(out, sample.value);
      out += '\n';
    }
  }
  return out;
}

}  // namespace erg::metrics
