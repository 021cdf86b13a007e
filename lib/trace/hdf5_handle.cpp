#include "trace/hdf5_handle.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <limits>
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

std::vector<std::string> attribute_names(hid_t object) {
  std::vector<std::string> names;
  H5Aiterate2(
      object, H5_INDEX_NAME, H5_ITER_INC, nullptr,
      [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->emplace_back(name);  // no exception crosses C here
        return 0;
      },
      &names);
  return names;
}

std::optional<std::string> read_attribute_as_text(hid_t object, const std::string& name) {
  Handle attr(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose);
  if (!attr.valid()) return std::nullopt;
  Handle space(H5Aget_space(attr.get()), H5Sclose);
  Handle type(H5Aget_type(attr.get()), H5Tclose);
  if (!space.valid() || !type.valid() || H5Sget_simple_extent_npoints(space.get()) != 1) return std::nullopt;
  switch (H5Tget_class(type.get())) {
    case H5T_STRING: return read_string_attribute(object, name);
    case H5T_INTEGER: return std::to_string(read_integer_attribute(object, name));
    case H5T_FLOAT: {
      char text[32];
      auto [end, error] = std::to_chars(text, text + sizeof text, read_double_attribute(object, name));
      if (error != std::errc()) return std::nullopt;
      return std::string(text, end);
    }
    default: return std::nullopt;
  }
}

std::string object_path(hid_t object) {
  ssize_t length = H5Iget_name(object, nullptr, 0);
  if (length <= 0) return "(unnamed)";
  std::string path(static_cast<size_t>(length) + 1, '\0');
  H5Iget_name(object, path.data(), path.size());
  path.resize(static_cast<size_t>(length));
  return path;
}

hsize_t checked_length(hid_t dataset, std::size_t memory_bytes_per_value, ReadBudget& budget) {
  const std::string path = object_path(dataset);
  auto space = check(H5Dget_space(dataset), H5Sclose, "read the shape of " + path);
  if (H5Sget_simple_extent_ndims(space.get()) != 1) throw std::runtime_error(path + " is not 1-D");
  hsize_t n = 0;
  H5Sget_simple_extent_dims(space.get(), &n, nullptr);

  auto plist = check(H5Dget_create_plist(dataset), H5Pclose, "read the layout of " + path);
  const H5D_layout_t layout = H5Pget_layout(plist.get());
  // Values kept in other files are no part of the trace, and could be any file at all.
  if (layout == H5D_VIRTUAL || H5Pget_external_count(plist.get()) != 0)
    throw std::runtime_error(path + " keeps its values outside the file (external or virtual storage)");

  // What the file can hold: its stored bytes, never more than the whole file's, and for
  // compressed data the most that deflate expands them to. A number in a damaged file is
  // no evidence of what the file holds; its size is.
  auto type = check(H5Dget_type(dataset), H5Tclose, "read the type of " + path);
  const hsize_t file_bytes_per_value = std::max<hsize_t>(H5Tget_size(type.get()), 1);
  auto file = check(H5Iget_file_id(dataset), H5Fclose, "find the file of " + path);
  hsize_t file_bytes = 0;
  H5Fget_filesize(file.get(), &file_bytes);
  const hsize_t stored_bytes = std::min<hsize_t>(H5Dget_storage_size(dataset), file_bytes);
  const bool filtered = H5Pget_nfilters(plist.get()) > 0;
  const hsize_t holdable_bytes = filtered ? stored_bytes * max_compression_ratio : stored_bytes;
  if (n > holdable_bytes / file_bytes_per_value)
    throw std::runtime_error(path + " declares " + std::to_string(n) + " values of " +
                             std::to_string(file_bytes_per_value) + " bytes but stores " +
                             std::to_string(stored_bytes) + (filtered ? " compressed bytes" : " bytes"));

  // Reading a chunk allocates it whole, however few of its values the dataset declares.
  if (layout == H5D_CHUNKED) {
    hsize_t chunk = 0;
    constexpr hsize_t small_chunk_bytes = 1 << 20;
    if (H5Pget_chunk(plist.get(), 1, &chunk) != 1 ||
        chunk > std::max(n, small_chunk_bytes / file_bytes_per_value))
      throw std::runtime_error(path + " declares chunks of " + std::to_string(chunk) + " values for " +
                               std::to_string(n) + " values");
  }
  // n * memory_bytes_per_value, saturated: a product that wraps around would pass any budget.
  const std::uint64_t most = std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t per_value = std::max<std::uint64_t>(memory_bytes_per_value, 1);
  budget.take(n > most / per_value ? most : n * per_value, path);
  return n;
}

void* BudgetedTransfer::allocate(size_t bytes, void* self) {
  auto* transfer = static_cast<BudgetedTransfer*>(self);
  if (!transfer->budget_.try_take(2 * std::uint64_t{bytes})) {
    transfer->refused_ = true;
    return nullptr;
  }
  void* memory = std::malloc(bytes);
  if (memory) {
    try {
      transfer->live_.insert(memory);
    } catch (const std::bad_alloc&) {  // no exception may cross HDF5's C frames
      std::free(memory);
      return nullptr;
    }
  }
  return memory;
}

void BudgetedTransfer::release(void* memory, void* self) {
  if (!memory) return;
  static_cast<BudgetedTransfer*>(self)->live_.erase(memory);
  std::free(memory);
}

BudgetedTransfer::~BudgetedTransfer() {
  for (void* memory : live_) std::free(memory);
}

BudgetedTransfer::BudgetedTransfer(ReadBudget& budget)
    : budget_(budget), plist_(check(H5Pcreate(H5P_DATASET_XFER), H5Pclose, "create a transfer property list")) {
  check(H5Pset_vlen_mem_manager(plist_.get(), allocate, this, release, this),
        "bound the memory of variable-length data");
}

std::vector<double> read_doubles(hid_t parent, const std::string& name, ReadBudget& budget) {
  if (!is_hard_link(parent, name)) throw std::runtime_error(name + " is missing or held in another file or under another name");
  auto dataset = check(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
  std::vector<double> values(checked_length(dataset.get(), sizeof(double), budget));
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

std::vector<std::string> read_strings(hid_t parent, const std::string& name, ReadBudget& budget) {
  if (!is_hard_link(parent, name)) throw std::runtime_error(name + " is missing or held in another file or under another name");
  auto dataset = check(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
  // Each value costs its pointer and its copy, and its characters twice (HDF5's, then ours).
  const hsize_t n = checked_length(dataset.get(), sizeof(char*) + sizeof(std::string), budget);
  auto type = utf8_string_type();
  BudgetedTransfer transfer(budget);
  std::vector<char*> pointers(n, nullptr);
  const bool read =
      n == 0 || H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, transfer.get(), pointers.data()) >= 0;
  std::vector<std::string> values;
  if (read)
    for (char* p : pointers) values.emplace_back(p ? p : "");
  // The strings are BudgetedTransfer's: it frees them, also what a read that failed midway left.
  if (transfer.refused())
    throw TraceTooLarge(object_path(dataset.get()) + " holds more text than the " +
                        std::to_string(budget.max_bytes()) + " bytes a trace may take to read (" +
                        max_trace_bytes_variable + ")");
  if (!read) throw std::runtime_error("HDF5: cannot read dataset " + name);
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

bool is_hard_link(hid_t parent, const std::string& name) {
  H5L_info_t info{};
  return H5Lget_info(parent, name.c_str(), &info, H5P_DEFAULT) >= 0 && info.type == H5L_TYPE_HARD;
}

std::string external_link_file(hid_t parent, const std::string& name) {
  H5L_info_t info{};
  if (H5Lget_info(parent, name.c_str(), &info, H5P_DEFAULT) < 0 || info.type != H5L_TYPE_EXTERNAL) return "";
  if (info.u.val_size == 0 || info.u.val_size > 65536) return "";
  std::string value(info.u.val_size, '\0');
  if (H5Lget_val(parent, name.c_str(), value.data(), value.size(), H5P_DEFAULT) < 0) return "";
  const char* file = nullptr;
  const char* object = nullptr;
  unsigned flags = 0;
  if (H5Lunpack_elink_val(value.data(), value.size(), &flags, &file, &object) < 0 || !file) return "";
  return file;
}

}  // namespace erg::hdf5
