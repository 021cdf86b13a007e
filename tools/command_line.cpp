#include "command_line.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>

#include "spool/spool_directory.hpp"
#include "util/errors.hpp"

namespace erg::tools {

namespace {

// The length of the well-formed UTF-8 sequence at text[i] (no overlong forms, no surrogates),
// or 0 where the bytes are not one.
std::size_t utf8_length(const std::string& text, std::size_t i) {
  auto in = [&](std::size_t k, unsigned lo, unsigned hi) {
    if (k >= text.size()) return false;
    unsigned byte = static_cast<unsigned char>(text[k]);
    return byte >= lo && byte <= hi;
  };
  unsigned lead = static_cast<unsigned char>(text[i]);
  if (lead >= 0xC2 && lead <= 0xDF) return in(i + 1, 0x80, 0xBF) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    bool second = in(i + 1, lead == 0xE0 ? 0xA0 : 0x80, lead == 0xED ? 0x9F : 0xBF);
    return second && in(i + 2, 0x80, 0xBF) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    bool second = in(i + 1, lead == 0xF0 ? 0x90 : 0x80, lead == 0xF4 ? 0x8F : 0xBF);
    return second && in(i + 2, 0x80, 0xBF) && in(i + 3, 0x80, 0xBF) ? 4 : 0;
  }
  return 0;
}

// Characters that end a line for some reader: C1 controls (NEL among them), U+2028, U+2029.
bool breaks_lines(const std::string& text, std::size_t i, std::size_t length) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  if (length == 2) return byte(i) == 0xC2 && byte(i + 1) < 0xA0;
  return length == 3 && byte(i) == 0xE2 && byte(i + 1) == 0x80 && (byte(i + 2) == 0xA8 || byte(i + 2) == 0xA9);
}

// The text cut into printable pieces: a character, or the escape of one byte.
std::vector<std::string> printable_pieces(const std::string& text) {
  std::vector<std::string> pieces;
  for (std::size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    std::size_t length = c >= 0x20 && c < 0x7F ? 1 : c >= 0x80 ? utf8_length(text, i) : 0;
    if (length > 0 && !breaks_lines(text, i, length)) {
      pieces.push_back(text.substr(i, length));
      i += length;
      continue;
    }
    const char* named = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : nullptr;
    char hex[8];
    std::snprintf(hex, sizeof hex, "\\x%02x", c);
    pieces.emplace_back(named ? named : hex);
    ++i;
  }
  return pieces;
}

}  // namespace

bool parse_command_line(const std::vector<std::string>& args, const std::string& usage,
                        po::options_description own, po::variables_map& vm,
                        const po::positional_options_description* positional, SiteSettings site) {
  own.add_options()("help,h", "show this help");
  po::options_description all;
  all.add(own).add(site_options());
  try {
    po::command_line_parser parser(args);
    parser.options(all);
    // Without a description Boost drops stray arguments silently; with an empty one it refuses them.
    const po::positional_options_description none;
    parser.positional(positional ? *positional : none);
    po::store(parser.run(), vm);
  } catch (const po::error& e) {
    throw UsageError(describe_option_error(e) + " (see --help)");
  }
  if (vm.count("help")) {
    std::cout << "usage: " << usage << "\n\n" << all << "\n";
    return false;
  }
  if (site == SiteSettings::from_everywhere) add_environment_and_site_file(vm);
  return true;
}

std::string checked_format(const po::variables_map& vm, const std::vector<std::string>& allowed) {
  std::string format = vm.count("format") ? vm["format"].as<std::string>() : allowed.front();
  for (const auto& a : allowed)
    if (a == format) return format;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : "|") + a;
  throw UsageError("--format must be one of " + list + ", not '" + format + "'");
}

std::string spool_job_id(const po::variables_map& vm, const Settings& settings) {
  if (!vm.count("job")) throw UsageError("--job ID is needed");
  if (settings.spool.empty())
    throw UsageError("no spool directory: --spool DIR, ERG_SPOOL, or spool = DIR in the site file");
  return spool::checked_name("job id", vm["job"].as<std::string>());
}

void write_output(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::cout << text;
    return;
  }
  std::ofstream out(path);
  out << text;
  if (!out) throw UsageError("cannot write " + path);
}

std::string printable_line(const std::string& text, std::size_t max_bytes) {
  std::vector<std::string> pieces = printable_pieces(text);
  std::size_t total = 0;
  for (const auto& p : pieces) total += p.size();
  if (total <= max_bytes) {
    std::string line;
    for (const auto& p : pieces) line += p;
    return line;
  }
  // Keep the start and the end: a message names the problem first and often its remedy last.
  const std::string elided = " [...] ";
  std::size_t head_bytes = max_bytes * 3 / 4, tail_bytes = max_bytes - head_bytes;
  std::string head, tail;
  for (std::size_t i = 0; i < pieces.size() && head.size() + pieces[i].size() <= head_bytes; ++i) head += pieces[i];
  for (std::size_t i = pieces.size(); i > 0 && tail.size() + pieces[i - 1].size() <= tail_bytes; --i)
    tail.insert(0, pieces[i - 1]);
  return head + elided + tail;
}

}  // namespace erg::tools
