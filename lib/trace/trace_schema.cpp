#include "trace/trace_schema.hpp"

namespace erg::trace_schema {

namespace {

// An archive that only keeps the names it is shown.
struct NameCollector {
  std::set<std::string> names;
  template <typename Value>
  void operator()(const Attribute& attribute, const Value&) {
    names.insert(attribute.name);
  }
};

constexpr std::string_view extra_prefix = "job_";

}  // namespace

Measurement measurement_without_record(const std::string& source) {
  return source == "model" ? Measurement::model : Measurement::counter;
}

const std::set<std::string>& root_attribute_names() {
  static const std::set<std::string> names = [] {
    NameCollector collector;
    collector.names = {format_attribute, format_version_attribute, n_nodes_attribute};
    const JobTrace trace;
    root_attributes(trace, collector);
    return collector.names;
  }();
  return names;
}

const std::set<std::string>& domain_attribute_names() {
  static const std::set<std::string> names = [] {
    NameCollector collector;
    const DomainInfo info;
    domain_attributes(info, collector);
    return collector.names;
  }();
  return names;
}

std::string extra_job_attribute(const std::string& key) { return std::string(extra_prefix) + key; }

std::optional<std::string> extra_job_key(const std::string& attribute) {
  if (!attribute.starts_with(extra_prefix) || root_attribute_names().contains(attribute)) return std::nullopt;
  return attribute.substr(extra_prefix.size());
}

}  // namespace erg::trace_schema
