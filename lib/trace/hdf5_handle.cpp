#include "trace/hdf5_handle.hpp"

#include <stdexcept>

namespace erg::hdf5 {

namespace {

void check(herr_t status, const std::string& what) {
  if (status < 0) throw std::runtime_error("HDF5: cannot " + what);
}

Handle check(hid_t id, herr_t (*close)(hid_t), const std::string& what) {
  if (id < 0) throw std::runtime_error("HDF5: cannot " + what);
  return Handle(id, close);
}

// The reads below hold one value: an attribute of many would be written past it.
Handle open_attribute(hid_t object, const std::string& name) {
  if (!has_attribute(object, name)) throw std::runtime_error("missing attribute " + name);
  auto attr = check(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
  auto space = check(H5Aget_space(attr.get()), H5Sclose, "read the shape of attribute " + name);
  if (H5Sget_simple_extent_npoints(space.get()) != 1)
    throw std::runtime_error("attribute " + name + " holds more than one value");
  return attr;
}

Handle scalar_space() { return check(H5Screate(H5S_SCALAR), H5Sclose, "create a dataspace"); }

Handle vector_space(size_t n) {
  hsize_t dims[1] = {n};
  return check(H5Screate_simple(1, dims, nullptr), H5Sclose, "create a dataspace");
}

template <typename T>
void write_numeric_attribute(hid_t object, const std::string& name, hid_t type, T value) {
  if (has_attribute(object, name)) H5Adelete(object, name.c_str());
  auto space = scalar_space();
  auto attr = check(H5Acreate2(object, name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                    "create attribute " + name);
  check(H5Awrite(attr.get(), type, &value), "write attribute " + name);
}

template <typename T>
T read_numeric_attribute(hid_t object, const std::string& name, hid_t memory_type, H5T_class_t expected) {
  auto attr = open_attribute(object, name);
  auto type = check(H5Aget_type(attr.get()), H5Tclose, "read attribute type");
  if (H5Tget_class(type.get()) != expected) throw std::runtime_error("attribute " + name + " has the wrong type");
  T value{};
  check(H5Aread(attr.get(), memory_type, &value), "read attribute " + name);
  return value;
}

}  // namespace

Handle& Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    if (id_ >= 0 && close_) close_(id_);
    id_ = o.id_;
    close_ = o.close_;
    o.id_ = H5I_INVALID_HID;
  }
  return *this;
}

Handle::~Handle() {
  if (id_ >= 0 && close_) close_(id_);
}

QuietErrors::QuietErrors() {
  H5Eget_auto2(H5E_DEFAULT, &saved_func_, &saved_data_);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

QuietErrors::~QuietErrors() { H5Eset_auto2(H5E_DEFAULT, saved_func_, saved_data_); }

Handle utf8_string_type() {
  auto type = check(H5Tcopy(H5T_C_S1), H5Tclose, "create a string type");
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  return type;
}

bool has_attribute(hid_t object, const std::string& name) { return H5Aexists(object, name.c_str()) > 0; }

void write_attribute(hid_t object, const std::string& name, const std::string& value) {
  if (has_attribute(object, name)) H5Adelete(object, name.c_str());
  auto type = utf8_string_type();
  auto space = scalar_space();
  auto attr = check(H5Acreate2(object, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                    "create attribute " + name);
  const char* data = value.c_str();
  check(H5Awrite(attr.get(), type.get(), &data), "write attribute " + name);
}

void write_attribute(hid_t object, const std::string& name, double value) {
  write_numeric_attribute(object, name, H5T_NATIVE_DOUBLE, value);
}

void write_attribute(hid_t object, const std::string& name, long long value) {
  write_numeric_attribute(object, name, H5T_NATIVE_LLONG, value);
}

std::string read_string_attribute(hid_t object, const std::string& name) {
  auto attr = open_attribute(object, name);
  auto type = check(H5Aget_type(attr.get()), H5Tclose, "read attribute type");
  if (H5Tget_class(type.get()) != H5T_STRING) throw std::runtime_error("attribute " + name + " is not a string");
  if (H5Tis_variable_str(type.get()) > 0) {
    auto memory_type = utf8_string_type();
    char* data = nullptr;
    check(H5Aread(attr.get(), memory_type.get(), &data), "read attribute " + name);
    std::string value = data ? data : "";
    H5free_memory(data);
    return value;
  }
  std::string value(H5Tget_size(type.get()), '\0');
  check(H5Aread(attr.get(), type.get(), value.data()), "read attribute " + name);
  return value.substr(0, value.find('\0'));
}

double read_double_attribute(hid_t object, const std::string& name) {
  auto attr = open_attribute(object, name);
  auto type = check(H5Aget_type(attr.get()), H5Tclose, "read attribute type");
  auto cls = H5Tget_class(type.get());
  if (cls != H5T_FLOAT && cls != H5T_INTEGER) throw std::runtime_error("attribute " + name + " is not a number");
  double value = 0;
  check(H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &value), "read attribute " + name);
  return value;
}

long long read_integer_attribute(hid_t object, const std::string& name) {
  return read_numeric_attribute<long long>(object, name, H5T_NATIVE_LLONG, H5T_INTEGER);
}

void write_doubles(hid_t parent, const std::string& name, const std::vector<double>& values) {
  auto space = vector_space(values.size());
  auto dataset = check(H5Dcreate2(parent, name.c_str(), H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT,
                                  H5P_DEFAULT),
                       H5Dclose, "create dataset " + name);
  if (!values.empty())
    check(H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          "write dataset " + name);
}

hsize_t stored_length(hid_t dataset, const std::string& name, std::size_t min_bytes_per_value) {
  auto space = check(H5Dget_space(dataset), H5Sclose, "read the shape of " + name);
  if (H5Sget_simple_extent_ndims(space.get()) != 1) throw std::runtime_error("dataset " + name + " is not 1-D");
  hsize_t n = 0;
  H5Sget_simple_extent_dims(space.get(), &n, nullptr);
  // Compressed data may take fewer bytes than its values; data without filters may not.
  auto plist = check(H5Dget_create_plist(dataset), H5Pclose, "read the layout of " + name);
  const hsize_t stored_bytes = H5Dget_storage_size(dataset);
  if (n > 0 && H5Pget_nfilters(plist.get()) == 0 && stored_bytes / min_bytes_per_value < n)
    throw std::runtime_error("dataset " + name + " declares " + std::to_string(n) + " values but stores " +
                             std::to_string(stored_bytes) + " bytes");
  return n;
}

std::vector<double> read_doubles(hid_t parent, const std::string& name) {
  auto dataset = check(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
  std::vector<double> values(stored_length(dataset.get(), name, sizeof(double)));
  const hsize_t n = values.size();
  if (n > 0)
    check(H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          "read dataset " + name);
  return values;
}

void write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values) {
  auto type = utf8_string_type();
  auto space = vector_space(values.size());
  auto dataset = check(H5Dcreate2(parent, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT,
                                  H5P_DEFAULT),
                       H5Dclose, "create dataset " + name);
  std::vector<const char*> pointers;
  for (const auto& v : values) pointers.push_back(v.c_str());
  if (!values.empty())
    check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
          "write dataset " + name);
}

std::vector<std::string> read_strings(hid_t parent, const std::string& name) {
  auto dataset = check(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
  const hsize_t n = stored_length(dataset.get(), name, 1);
  auto type = utf8_string_type();
  std::vector<char*> pointers(n, nullptr);
  if (n > 0)
    check(H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
          "read dataset " + name);
  std::vector<std::string> values;
  for (char* p : pointers) {
    values.emplace_back(p ? p : "");
    H5free_memory(p);
  }
  return values;
}

std::vector<std::string> child_names(hid_t group) {
  std::vector<std::string> names;
  H5Literate(
      group, H5_INDEX_NAME, H5_ITER_INC, nullptr,
      [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->emplace_back(name);
        return 0;
      },
      &names);
  return names;
}

}  // namespace erg::hdf5
