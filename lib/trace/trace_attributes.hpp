#pragma once
// The archives that walk trace_schema.hpp's lists over one HDF5 object: one writes each
// attribute, the other reads each back, checks it, and sets the record's member.
#include <hdf5.h>

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "sensors/sensor.hpp"
#include "trace/read_budget.hpp"
#include "trace/trace_schema.hpp"

namespace erg::trace_schema {

// Writes each attribute: text as UTF-8 strings, real numbers as float64, integers as int64,
// measurement as its name. Throws std::runtime_error when HDF5 cannot.
class AttributeWriter {
 public:
  explicit AttributeWriter(hid_t object) : object_(object) {}
  void operator()(const Attribute& attribute, const std::string& value);
  void operator()(const Attribute& attribute, double value);
  void operator()(const Attribute& attribute, long long value);
  void operator()(const Attribute& attribute, int value) { (*this)(attribute, static_cast<long long>(value)); }
  void operator()(const Attribute& attribute, std::uint64_t value);
  void operator()(const Attribute& attribute, Measurement value);
  template <typename T>
  void operator()(const Attribute& attribute, Derived<T> value) {
    (*this)(attribute, value.value);
  }

 private:
  hid_t object_;
};

// Reads each attribute that is present into the record; leaves the record's value where an
// optional one is absent, and skips derived ones. Throws std::runtime_error, naming where
// (e.g. "node n1: ") and the attribute, when a required one is missing, one has another type
// or shape, or a number is outside its range. Text takes its memory from budget (one group
// linked under a million names would otherwise repeat its text a million times).
class AttributeReader {
 public:
  AttributeReader(hid_t object, std::string where, ReadBudget& budget)
      : object_(object), where_(std::move(where)), budget_(budget) {}
  void operator()(const Attribute& attribute, std::string& value);
  void operator()(const Attribute& attribute, double& value);
  void operator()(const Attribute& attribute, int& value);
  void operator()(const Attribute& attribute, std::uint64_t& value);
  void operator()(const Attribute& attribute, Measurement& value);
  template <typename T>
  void operator()(const Attribute&, Derived<T>) {}

  // Whether the last read found the attribute (false: it kept the record's default).
  bool found(const std::string& name) const { return found_.contains(name); }

 private:
  bool present(const Attribute& attribute);
  long long integer_in_range(const Attribute& attribute);
  hid_t object_;
  std::string where_;
  ReadBudget& budget_;
  std::set<std::string> found_;
};

// The attributes of object that key_of gives a key for (nullopt: not one of them), by key,
// each that reads as text (numbers as decimal text); lists and other shapes are skipped,
// being nothing erg or a sensor writes. Their text takes its memory from budget.
using KeyOf = std::function<std::optional<std::string>(const std::string& attribute)>;
std::map<std::string, std::string> other_attributes(hid_t object, const KeyOf& key_of, ReadBudget& budget);

}  // namespace erg::trace_schema
