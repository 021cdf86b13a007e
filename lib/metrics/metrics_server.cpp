#include "metrics/metrics_server.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <chrono>

#include "metrics/exposition.hpp"
#include "util/errors.hpp"

namespace erg::metrics {

namespace {

// Debian's cpp-httplib 0.11 listens with a backlog of 5, built into the library: when more
// scrapers connect at once, the kernel drops their SYNs and they retry a second later.
// Linux lets listen(2) on a listening socket change its backlog.
class WideBacklogServer : public httplib::Server {
 public:
  void widen_backlog(int backlog) { ::listen(svr_sock_, backlog); }
};

}  // namespace

MetricsServer::MetricsServer(const ListenAddress& address, const LatestText& text, std::size_t threads)
    : server_(std::make_unique<WideBacklogServer>()) {
  auto& server = static_cast<WideBacklogServer&>(*server_);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_read_timeout(timeout_s, 0);
  server.set_write_timeout(timeout_s, 0);
  server.set_keep_alive_timeout(timeout_s);
  // One request per connection: a kept-alive connection holds its thread between requests,
  // so with a bounded pool, four keep-alive scrapers would make every other one wait.
  server.set_keep_alive_max_count(1);
  server.set_payload_max_length(4096);  // a scrape has no body
  server.Get("/metrics", [&text](const httplib::Request&, httplib::Response& response) {
    auto page = text.get();
    response.set_content(*page, exposition_content_type);
  });
  server.Get("/", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("erg exporter: the metrics are at /metrics (docs/metrics.md)\n", "text/plain; charset=utf-8");
  });
  server.set_exception_handler([](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
    response.status = 500;
  });
  if (address.port == 0) {
    port_ = server.bind_to_any_port(address.host);
    if (port_ <= 0) throw UsageError("--listen: cannot listen on " + address.host + " (is it an address of this node?)");
  } else {
    if (!server.bind_to_port(address.host, address.port))
      throw UsageError("--listen: cannot listen on " + address.host + ":" + std::to_string(address.port) +
                       " (in use, or not an address of this node)");
    port_ = address.port;
  }
  server.widen_backlog(128);
  thread_ = std::thread([&server] { server.listen_after_bind(); });
  // stop() does nothing until the server runs: wait for it, so the destructor can always stop it.
  for (int i = 0; i < 5000 && !server.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

MetricsServer::~MetricsServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace erg::metrics
