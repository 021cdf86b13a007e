#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>

namespace erg {

// The memory that reading one trace may take for its values. A damaged or crafted file can
// declare far more values than it holds (a 15 KB file whose compressed time_s declares 2^31
// values), or link one large dataset under many names: reading what it declares would
// exhaust memory before any check on the values could run. Every read takes its bytes from
// one budget first, so a file is refused before the allocation, not after it.
class ReadBudget {
 public:
  explicit ReadBudget(std::uint64_t max_bytes) : max_bytes_(max_bytes), left_bytes_(max_bytes) {}

  // Takes bytes for what (an HDF5 path); throws TraceTooLarge when fewer are left.
  void take(std::uint64_t bytes, const std::string& what);
  // The same without an exception, for HDF5's C callbacks: false when fewer are left.
  bool try_take(std::uint64_t bytes) noexcept;

  std::uint64_t max_bytes() const { return max_bytes_; }
  std::uint64_t left_bytes() const { return left_bytes_; }

 private:
  std::uint64_t max_bytes_;
  std::uint64_t left_bytes_;
};

// A trace larger than the reader's limit: not damage, so said apart from it.
struct TraceTooLarge : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// ERG_MAX_TRACE_BYTES, the limit a person raises to read a very large trace on purpose.
constexpr const char* max_trace_bytes_variable = "ERG_MAX_TRACE_BYTES";
// 2 GiB: 268 million float64 values, a day at 1 s of 600 nodes with 4 domains each. A limit
// on what the reader holds at once, not on what erg writes.
constexpr std::uint64_t default_max_trace_bytes = std::uint64_t{1} << 31;

// The limit from ERG_MAX_TRACE_BYTES (a whole number of bytes, at least 1), else the default.
// Throws UsageError when the variable is set to anything else.
std::uint64_t max_trace_bytes_from_environment();

}  // namespace erg
