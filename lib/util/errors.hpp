#pragma once
#include <stdexcept>
#include <string>

namespace erg {

// Bad usage or bad input: the tools print the message as one line and exit with status 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace erg
