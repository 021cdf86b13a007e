#include "trace/trace_attributes.hpp"

#include <sstream>
#include <stdexcept>

#include "trace/hdf5_handle.hpp"

namespace erg::trace_schema {

void AttributeWriter::operator()(const Attribute& attribute, const std::string& value) {
  hdf5::write_attribute(object_, attribute.name, value);
}

void AttributeWriter::operator()(const Attribute& attribute, double value) {
  hdf5::write_attribute(object_, attribute.name, value);
}

void AttributeWriter::operator()(const Attribute& attribute, long long value) {
  hdf5::write_attribute(object_, attribute.name, value);
}

void AttributeWriter::operator()(const Attribute& attribute, std::uint64_t value) {
  hdf5::write_attribute(object_, attribute.name, static_cast<long long>(value));
}

void AttributeWriter::operator()(const Attribute& attribute, Measurement value) {
  hdf5::write_attribute(object_, attribute.name, std::string(measurement_name(value)));
}

bool AttributeReader::present(const Attribute& attribute) {
  if (!hdf5::has_attribute(object_, attribute.name)) {
    if (attribute.presence == Presence::required)
      throw std::runtime_error(where_ + "missing attribute " + attribute.name);
    return false;
  }
  found_.insert(attribute.name);
  return true;
}

void AttributeReader::operator()(const Attribute& attribute, std::string& value) {
  if (!present(attribute)) return;
  value = hdf5::read_string_attribute(object_, attribute.name);
  budget_.take(value.size(), hdf5::object_path(object_) + " attribute " + attribute.name);
}

// A recorded number outside what erg accepts for it would make every figure derived from it
// wrong (a PUE below 1, a negative emission factor): the trace is damaged.
void AttributeReader::operator()(const Attribute& attribute, double& value) {
  if (!present(attribute)) return;
  const double read = hdf5::read_double_attribute(object_, attribute.name);
  const NumberRange range = attribute.range;
  if (!range.contains(read)) {
    std::ostringstream message;
    message << where_ << "attribute " << attribute.name << " is " << read << ", not a number ";
    if (range.max < std::numeric_limits<double>::max()) message << "between " << range.min << " and " << range.max;
    else message << "of at least " << range.min;
    throw std::runtime_error(message.str());
  }
  value = read;
}

long long AttributeReader::integer_in_range(const Attribute& attribute) {
  const long long read = hdf5::read_integer_attribute(object_, attribute.name);
  if (!attribute.range.contains(static_cast<double>(read)))
    throw std::runtime_error(where_ + "attribute " + attribute.name + " is " + std::to_string(read) +
                             ", not a count from " + std::to_string(static_cast<long long>(attribute.range.min)) +
                             " to " + std::to_string(static_cast<long long>(attribute.range.max)));
  return read;
}

void AttributeReader::operator()(const Attribute& attribute, int& value) {
  if (present(attribute)) value = static_cast<int>(integer_in_range(attribute));
}

void AttributeReader::operator()(const Attribute& attribute, std::uint64_t& value) {
  if (present(attribute)) value = static_cast<std::uint64_t>(integer_in_range(attribute));
}

void AttributeReader::operator()(const Attribute& attribute, Measurement& value) {
  if (!present(attribute)) return;
  const std::string text = hdf5::read_string_attribute(object_, attribute.name);
  try {
    value = parse_measurement(text);
  } catch (const std::invalid_argument&) {
    throw std::runtime_error(where_ + "attribute " + attribute.name +
                             " is not one of counter, integrated_power, model");
  }
}

std::map<std::string, std::string> other_attributes(hid_t object, const KeyOf& key_of, ReadBudget& budget) {
  std::map<std::string, std::string> others;
  for (const auto& name : hdf5::attribute_names(object)) {
    auto key = key_of(name);
    if (!key) continue;
    std::optional<std::string> text;
    try {
      text = hdf5::read_attribute_as_text(object, name);
    } catch (const std::runtime_error&) {  // a string HDF5 cannot convert: as unreadable as a list
    }
    if (!text) continue;
    budget.take(name.size() + text->size(), hdf5::object_path(object) + " attribute " + name);
    others[*key] = std::move(*text);
  }
  return others;
}

}  // namespace erg::trace_schema
