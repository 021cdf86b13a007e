#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <thread>

#include "metrics/latest_text.hpp"
#include "metrics/listen_address.hpp"

namespace httplib {
class Server;
}

namespace erg::metrics {

// The HTTP side of erg exporter (cpp-httplib): GET /metrics answers the latest text as it
// is, so that a scrape costs a copy, never a read of a sensor or a spool. A fixed number of
// threads serve the connections, each with short read and write timeouts, so that neither
// many scrapers nor a slow or malformed client can hold the exporter or its memory.
class MetricsServer {
 public:
  // Binds now and serves from its own thread; throws UsageError when it cannot bind.
  MetricsServer(const ListenAddress& address, const LatestText& text, std::size_t threads = default_threads);
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;
  ~MetricsServer();  // stops listening and waits for the connections being served

  int port() const { return port_; }  // the bound port (the system's choice for port 0)

  // Prometheus scrapes a target once per interval; four threads serve dozens of scrapers a
  // second, and more would only compete with the node's jobs.
  static constexpr std::size_t default_threads = 4;
  // A scraper sends its request at once; a client that says nothing holds a thread this long.
  static constexpr int timeout_s = 1;

 private:
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace erg::metrics
