#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace erg {

// Parses an unsigned decimal integer from sysfs text ("12345\n"); nullopt when it is not one.
std::optional<unsigned long long> parse_unsigned(const std::string& text);
std::string trim(const std::string& text);
std::string to_lower(std::string text);

// Text that users write (phase and metric names, Slurm job names, marks) reaches JSON, HDF5
// and terminals: invalid UTF-8 sequences become U+FFFD, so that every writer accepts it.
std::string valid_utf8(std::string_view text);
// For a terminal or a Markdown file: control characters (ESC, BEL, ..., DEL) other than
// newline and tab are shown as \xNN, so that no name can move the cursor or ring a bell.
std::string escape_controls(std::string_view text);

}  // namespace erg
