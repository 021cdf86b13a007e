#pragma once
#include <optional>
#include <string>

namespace erg {

// Parses an unsigned decimal integer from sysfs text ("12345\n"); nullopt when it is not one.
std::optional<unsigned long long> parse_unsigned(const std::string& text);
std::string trim(const std::string& text);
std::string to_lower(std::string text);

}  // namespace erg
