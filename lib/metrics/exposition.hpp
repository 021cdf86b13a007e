#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace erg::metrics {

// The Prometheus text exposition format (version 0.0.4), as node_exporter and every
// Prometheus server read it: per family a HELP and a TYPE line, then one line per sample.
struct Label {
  std::string name;
  std::string value;
};

struct MetricSample {
  std::vector<Label> labels;
  double value = 0;
};

struct MetricFamily {
  std::string name;
  std::string help;
  std::string type;  // "counter" or "gauge"
  std::vector<MetricSample> samples;
};

// A label value between double quotes: backslash, double quote and line feed escaped. Job ids
// and user names come from files a job's user may influence; escaped, no value can end its
// quotes, add a label or start a line of its own; invalid UTF-8 becomes U+FFFD.
std::string escape_label_value(std::string_view value);

// The whole text of a scrape. Samples whose value is not a finite number are left out: a
// failed read is missing data, never a number that Prometheus would store.
std::string exposition_text(const std::vector<MetricFamily>& families);

// The Content-Type of that text.
inline constexpr const char* exposition_content_type = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace erg::metrics
