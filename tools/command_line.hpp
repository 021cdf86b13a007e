#pragma once
#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include "config/settings.hpp"

namespace erg::tools {

namespace po = boost::program_options;

enum class SiteSettings { from_everywhere, command_line_only };

// Parses a command's arguments (its own options plus the site settings), then, unless
// command_line_only, the environment and the site file under them. --help prints usage and
// returns false. Throws UsageError.
bool parse_command_line(const std::vector<std::string>& args, const std::string& usage,
                        po::options_description own, po::variables_map& vm,
                        const po::positional_options_description* positional = nullptr,
                        SiteSettings site = SiteSettings::from_everywhere);

// Checks that a --format value is one of the allowed ones.
std::string checked_format(const po::variables_map& vm, const std::vector<std::string>& allowed);

// The --job of erg agent and erg collect, checked to be a safe file name, with a spool set.
std::string spool_job_id(const po::variables_map& vm, const Settings& settings);

// Writes text to a file (-o), or to stdout when path is empty or "-".
void write_output(const std::string& path, const std::string& text);

// An error message as one printable line of at most about max_bytes. Messages quote the bad
// value, and a bad value can hold line breaks, control characters, bytes that are not UTF-8
// or megabytes of text: these are escaped (\n, \x01) and the middle of a long line elided.
std::string printable_line(const std::string& text, std::size_t max_bytes = 400);

}  // namespace erg::tools
