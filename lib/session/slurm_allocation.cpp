#include "session/slurm_allocation.hpp"

#include <cctype>
#include <stdexcept>

namespace erg {

namespace {

unsigned long parse_count(const std::string& text) {
  if (text.empty() || text.size() > 9) throw std::invalid_argument("not a count: " + text);
  for (char c : text)
    if (!std::isdigit(static_cast<unsigned char>(c))) throw std::invalid_argument("not a count: " + text);
  return std::stoul(text);
}

// "1-3,07" inside brackets: the numbers, zero-padded to the width Slurm wrote them with.
void expand_ranges(const std::string& prefix, const std::string& ranges, const std::string& suffix,
                   std::vector<std::string>& names, std::size_t max_names) {
  std::size_t start = 0;
  while (start <= ranges.size()) {
    std::size_t comma = ranges.find(',', start);
    std::string range = ranges.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    std::size_t dash = range.find('-');
    std::string first = range.substr(0, dash), last = dash == std::string::npos ? first : range.substr(dash + 1);
    const unsigned long from = parse_count(first), to = parse_count(last);
    if (to < from || to - from >= max_names) throw std::invalid_argument("bad range " + range);
    for (unsigned long n = from; n <= to; ++n) {
      if (names.size() >= max_names) throw std::invalid_argument("too many hosts");
      std::string number = std::to_string(n);
      if (number.size() < first.size()) number.insert(0, first.size() - number.size(), '0');
      names.push_back(prefix + number + suffix);
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
}

}  // namespace

std::vector<std::string> expand_slurm_hostlist(const std::string& hostlist, std::size_t max_names) {
  std::vector<std::string> names;
  std::size_t at = 0;
  while (at < hostlist.size()) {
    // One entry runs to the next comma outside brackets.
    std::size_t end = at;
    int depth = 0;
    while (end < hostlist.size() && (hostlist[end] != ',' || depth > 0)) {
      if (hostlist[end] == '[') ++depth;
      if (hostlist[end] == ']') --depth;
      if (depth < 0 || depth > 1) throw std::invalid_argument("unbalanced brackets in " + hostlist);
      ++end;
    }
    if (depth != 0) throw std::invalid_argument("unbalanced brackets in " + hostlist);
    const std::string entry = hostlist.substr(at, end - at);
    if (entry.empty()) throw std::invalid_argument("empty host name in " + hostlist);
    std::size_t open = entry.find('[');
    if (open == std::string::npos) {
      if (names.size() >= max_names) throw std::invalid_argument("too many hosts");
      names.push_back(entry);
    } else {
      std::size_t close = entry.find(']', open);
      if (entry.find('[', close) != std::string::npos)
        throw std::invalid_argument("more than one bracket group in " + entry);
      expand_ranges(entry.substr(0, open), entry.substr(open + 1, close - open - 1), entry.substr(close + 1), names,
                    max_names);
    }
    at = end + 1;
  }
  return names;
}

std::optional<int> slurm_cpus_on_node(const std::string& cpus_per_node, const std::string& nodelist,
                                      const std::string& node) {
  try {
    const auto nodes = expand_slurm_hostlist(nodelist);
    std::size_t index = 0;
    while (index < nodes.size() && nodes[index] != node) ++index;
    if (index == nodes.size()) return std::nullopt;
    // "2(x3),1": 2 CPUs on each of the first three nodes, 1 on the fourth.
    std::size_t seen = 0, start = 0;
    while (start < cpus_per_node.size()) {
      std::size_t comma = cpus_per_node.find(',', start);
      std::string item = cpus_per_node.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      unsigned long repeat = 1;
      if (std::size_t paren = item.find("(x"); paren != std::string::npos) {
        if (item.back() != ')') return std::nullopt;
        repeat = parse_count(item.substr(paren + 2, item.size() - paren - 3));
        item = item.substr(0, paren);
      }
      const unsigned long cpus = parse_count(item);
      if (index < seen + repeat) return static_cast<int>(cpus);
      seen += repeat;
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

}  // namespace erg
