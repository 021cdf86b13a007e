// libFuzzer: the site file and the command-line options (the input split at newlines into
// a site file half and an argument half).
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "util/errors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto split = text.find('\x01');
  std::string site = text.substr(0, split), args = split == std::string::npos ? "" : text.substr(split + 1);
  try {
    erg::po::variables_map vm;
    std::vector<std::string> argv;
    std::istringstream words(args);
    for (std::string w; std::getline(words, w, '\n');) argv.push_back(w);
    erg::po::store(erg::po::command_line_parser(argv).options(erg::site_options()).run(), vm);
    std::istringstream file(site);
    erg::add_site_file(file, "fuzz", vm);
    erg::settings_from(vm);
  } catch (const erg::UsageError&) {
  } catch (const erg::po::error&) {
  }
  return 0;
}
