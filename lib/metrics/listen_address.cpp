#include "metrics/listen_address.hpp"

#include <charconv>

#include "util/errors.hpp"

namespace erg::metrics {

ListenAddress parse_listen_address(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    throw UsageError("--listen '" + text + "' is not HOST:PORT (such as 127.0.0.1:9767)");
  ListenAddress address;
  address.host = text.substr(0, colon);
  if (address.host.size() > 2 && address.host.front() == '[' && address.host.back() == ']')
    address.host = address.host.substr(1, address.host.size() - 2);
  else if (address.host.find(':') != std::string::npos)
    throw UsageError("--listen '" + text + "': an IPv6 address goes in brackets, such as [::1]:9767");
  const std::string port = text.substr(colon + 1);
  auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), address.port);
  if (port.empty() || error != std::errc() || end != port.data() + port.size() || address.port < 0 || address.port > 65535)
    throw UsageError("--listen '" + text + "': the port must be a number from 0 to 65535");
  return address;
}

}  // namespace erg::metrics
