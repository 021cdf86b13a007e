#pragma once
#include <hdf5.h>

#include <string>
#include <vector>

namespace erg::hdf5 {

// An owned HDF5 identifier, closed with the function that fits its kind.
class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = H5I_INVALID_HID; }
  Handle& operator=(Handle&& o) noexcept;
  ~Handle();
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }

 private:
  hid_t id_ = H5I_INVALID_HID;
  herr_t (*close_)(hid_t) = nullptr;
};

// HDF5's automatic error stack printing is turned off while one of these lives.
class QuietErrors {
 public:
  QuietErrors();
  ~QuietErrors();
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;

 private:
  H5E_auto2_t saved_func_ = nullptr;
  void* saved_data_ = nullptr;
};

Handle utf8_string_type();
bool has_attribute(hid_t object, const std::string& name);
void write_attribute(hid_t object, const std::string& name, const std::string& value);
void write_attribute(hid_t object, const std::string& name, double value);
void write_attribute(hid_t object, const std::string& name, long long value);
// Read helpers throw std::runtime_error when the attribute is absent, of another kind, or
// holds more than one value.
std::string read_string_attribute(hid_t object, const std::string& name);
double read_double_attribute(hid_t object, const std::string& name);
long long read_integer_attribute(hid_t object, const std::string& name);

// The length of a 1-D dataset that holds its values. Throws std::runtime_error for another
// shape, or for a length the file does not store (a damaged or crafted file can declare 2^40
// values that were never written: allocating them would exhaust memory, not report damage).
hsize_t stored_length(hid_t dataset, const std::string& name, std::size_t min_bytes_per_value);

void write_doubles(hid_t parent, const std::string& name, const std::vector<double>& values);
std::vector<double> read_doubles(hid_t parent, const std::string& name);
void write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values);
std::vector<std::string> read_strings(hid_t parent, const std::string& name);
std::vector<std::string> child_names(hid_t group);

}  // namespace erg::hdf5
