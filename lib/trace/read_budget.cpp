#include "trace/read_budget.hpp"

#include <cstdlib>

#include "util/errors.hpp"
#include "util/text.hpp"

namespace erg {

void ReadBudget::take(std::uint64_t bytes, const std::string& what) {
  if (try_take(bytes)) return;
  throw TraceTooLarge(what + " needs " + std::to_string(bytes) + " bytes, more than the " +
                      std::to_string(left_bytes_) + " left of the " + std::to_string(max_bytes_) +
                      " bytes a trace may take to read (" + max_trace_bytes_variable + ")");
}

bool ReadBudget::try_take(std::uint64_t bytes) noexcept {
  if (bytes > left_bytes_) return false;
  left_bytes_ -= bytes;
  return true;
}

std::uint64_t max_trace_bytes_from_environment() {
  // Read here rather than with the site settings: it bounds one reader's memory, is no figure
  // of the accounting, and every command that reads a trace must honour it.
  const char* text = std::getenv(max_trace_bytes_variable);
  if (!text) return default_max_trace_bytes;
  auto value = parse_unsigned(text);
  if (!value || *value == 0)
    throw UsageError(std::string(max_trace_bytes_variable) + " is not a whole number of bytes of at least 1");
  return *value;
}

}  // namespace erg
