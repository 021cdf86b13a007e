// libFuzzer: the label CSV reader and the labelling of what it reads (quantile cut points,
// the first model as the reference).
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "label/metric_inputs.hpp"
#include "util/errors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    erg::MetricTable table = erg::parse_metrics_csv(in, "fuzz");
    erg::LabelSettings settings;
    settings.reference = table.models.front();
    settings.boundaries = "quantiles";
    std::vector<std::string> warnings;
    for (auto mode : {erg::CompoundMode::optimistic_median, erg::CompoundMode::median, erg::CompoundMode::mean}) {
      settings.mode = mode;
      erg::label_models(table, settings, warnings);
    }
  } catch (const erg::UsageError&) {
  }
  return 0;
}
