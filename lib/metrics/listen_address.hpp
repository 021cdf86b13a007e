#pragma once
#include <string>

namespace erg::metrics {

// Where erg exporter listens: HOST:PORT, [IPv6]:PORT; port 0 asks the system for a free one.
struct ListenAddress {
  std::string host;
  int port = 0;
};

// Throws UsageError with one line for anything else.
ListenAddress parse_listen_address(const std::string& text);

}  // namespace erg::metrics
