#include "spool/spool_footer.hpp"

#include <cmath>
#include <stdexcept>

namespace erg::spool {

nlohmann::json footer_json(const SpoolFooter& footer) {
  return {{"sampler_cpu_s", footer.sampler_cpu_s},
          {"stopped_by", footer.stopped_by},
          {"end_unix_s", footer.end_unix_s},
          {"thinned_samples", footer.thinned_samples}};
}

SpoolFooter parse_footer(const nlohmann::json& json) {
  if (!json.is_object()) throw std::runtime_error("a spool footer is a JSON object");
  auto non_negative = [&](const char* key) {
    const auto it = json.find(key);
    if (it == json.end() || !it->is_number()) return 0.0;
    double value = it->get<double>();
    return std::isfinite(value) && value >= 0 ? value : 0.0;
  };
  SpoolFooter footer;
  footer.sampler_cpu_s = non_negative("sampler_cpu_s");
  footer.end_unix_s = non_negative("end_unix_s");
  if (auto it = json.find("stopped_by"); it != json.end() && it->is_string()) footer.stopped_by = it->get<std::string>();
  if (auto it = json.find("thinned_samples"); it != json.end() && it->is_number_unsigned())
    footer.thinned_samples = it->get<std::uint64_t>();
  return footer;
}

}  // namespace erg::spool
