#pragma once
#include <hdf5.h>

#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "trace/read_budget.hpp"

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

// The names of an object's attributes, in name order.
std::vector<std::string> attribute_names(hid_t object);
// One attribute as text: a string as it is, a number in decimal (the shortest text that reads
// back the same); nullopt for anything else (a list, a compound), which is not a value erg writes.
std::optional<std::string> read_attribute_as_text(hid_t object, const std::string& name);

// An object's path in its file ("/nodes/n1/time_s"), for messages.
std::string object_path(hid_t object);

// A filtered (compressed) dataset may declare at most this many times its stored bytes:
// deflate, the filter every HDF5 reads, expands at most 1032-fold.
constexpr hsize_t max_compression_ratio = 1100;

// The length of a 1-D dataset that holds its values, its memory taken from budget at
// memory_bytes_per_value. Throws std::runtime_error for another shape, for values kept
// outside the file (external or virtual storage), or for a length the file cannot hold:
// more values than its stored bytes (times max_compression_ratio when filtered, and never
// more than the file's size) or chunks larger than the dataset and 1 MiB; a damaged or crafted file
// can declare 2^40 values that were never written, and allocating them would exhaust memory,
// not report damage. Throws TraceTooLarge when the budget has not enough left.
hsize_t checked_length(hid_t dataset, std::size_t memory_bytes_per_value, ReadBudget& budget);

// A dataset transfer property list whose variable-length data (strings) HDF5 allocates from
// a budget, twice their size (HDF5's copy, then the caller's): a read that would exceed it
// fails instead of allocating. What such a read allocated is released with std::free (or
// H5Dvlen_reclaim with this list), also when it failed midway.
class BudgetedTransfer {
 public:
  explicit BudgetedTransfer(ReadBudget& budget);
  // Frees whatever HDF5 allocated through it and did not give back: a read that fails
  // midway leaves strings in its conversion buffer that no caller's buffer points to.
  ~BudgetedTransfer();
  BudgetedTransfer(const BudgetedTransfer&) = delete;  // HDF5 holds the address of budget_
  BudgetedTransfer& operator=(const BudgetedTransfer&) = delete;
  hid_t get() const { return plist_.get(); }
  // Whether an allocation was refused: a failed read was too large rather than damaged.
  bool refused() const { return refused_; }

 private:
  static void* allocate(size_t bytes, void* self);
  static void release(void* memory, void* self);
  ReadBudget& budget_;
  std::unordered_set<void*> live_;
  bool refused_ = false;
  Handle plist_;
};

// The readers below read only what the file itself holds (is_hard_link): a link to another
// file or another name is refused (std::runtime_error), never followed.
void write_doubles(hid_t parent, const std::string& name, const std::vector<double>& values);
std::vector<double> read_doubles(hid_t parent, const std::string& name, ReadBudget& budget);
void write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values);
std::vector<std::string> read_strings(hid_t parent, const std::string& name, ReadBudget& budget);
std::vector<std::string> child_names(hid_t group);
// Whether parent's link name is a hard link: erg reads only what the file itself holds, never
// an object another file (an external link) or another name (a soft link) stands for.
bool is_hard_link(hid_t parent, const std::string& name);
// The file an external link names ("" for any other kind of link).
std::string external_link_file(hid_t parent, const std::string& name);

}  // namespace erg::hdf5
