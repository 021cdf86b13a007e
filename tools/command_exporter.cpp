// erg exporter: the node's live metrics for Prometheus (docs/metrics.md).
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <iostream>
#include <optional>
#include <string>

#include "accounting/emission_factors.hpp"
#include "aggregator/live_jobs.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "config/node_name.hpp"
#include "metrics/erg_metrics.hpp"
#include "metrics/exposition.hpp"
#include "metrics/latest_text.hpp"
#include "metrics/metrics_server.hpp"
#include "metrics/node_counters.hpp"
#include "sensors/models/process_tree.hpp"
#include "sensors/node_sensors.hpp"
#include "session/sensor_settings.hpp"
#include "spool/spool_directory.hpp"
#include "util/atomic_file.hpp"
#include "util/errors.hpp"
#include "util/periodic_thread.hpp"

namespace erg::tools {

namespace {

// erg's choice, not registered with Prometheus (its exporter range is full): docs/metrics.md.
constexpr const char* default_listen = "127.0.0.1:9767";
// The page is rebuilt at every sample, but no more often than this: a scrape every 5 s is
// already frequent, and a 1 ms interval must not rebuild it a thousand times a second.
constexpr double min_refresh_s = 0.2;

std::string checked_textfile_folder(const std::string& folder) {
  struct stat st{};
  if (::stat(folder.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw UsageError("--textfile '" + folder + "' is not a folder (node_exporter's --collector.textfile.directory)");
  return folder;
}

// What one refresh does: the node's counters and the running jobs' spools read, and the
// page built once for every scraper (and the textfile collector's file written, if asked).
class Refresher {
 public:
  Refresher(metrics::NodeCounters& counters, LiveJobs& jobs, metrics::LatestText& text, std::string textfile)
      : counters_(counters), jobs_(jobs), text_(text), textfile_(std::move(textfile)) {}

  void operator()() {
    metrics::NodeReading node = counters_.read();
    jobs_.update();
    std::string page = metrics::exposition_text(metrics::erg_metric_families(node, jobs_.readings()));
    if (!textfile_.empty()) write_textfile(page);
    text_.publish(std::move(page));
  }

 private:
  void write_textfile(const std::string& page) {
    try {
      write_file_atomically(textfile_ + "/erg.prom", page);
      textfile_error_.clear();
    } catch (const std::exception& e) {  // a full disk: said once, tried again at the next refresh
      if (textfile_error_ != e.what()) std::cerr << "erg exporter: " << e.what() << "\n";
      textfile_error_ = e.what();
    }
  }

  metrics::NodeCounters& counters_;
  LiveJobs& jobs_;
  metrics::LatestText& text_;
  std::string textfile_;
  std::string textfile_error_;
};

}  // namespace

int command_exporter(const Arguments& args) {
  po::options_description own("erg exporter");
  own.add_options()("listen", po::value<std::string>(), "HOST:PORT to serve /metrics on (default 127.0.0.1:9767)")
      ("textfile", po::value<std::string>(), "also write DIR/erg.prom for node_exporter's textfile collector");
  po::variables_map vm;
  if (!parse_command_line(args, "erg exporter [--listen HOST:PORT] [--spool DIR] [--textfile DIR] [--interval S]", own, vm))
    return 0;
  Settings settings = settings_from(vm);
  const auto address = metrics::parse_listen_address(vm.count("listen") ? vm["listen"].as<std::string>() : default_listen);
  const std::string textfile = vm.count("textfile") ? checked_textfile_folder(vm["textfile"].as<std::string>()) : "";
  const std::string node = node_name(settings);
  const CarbonSettings carbon = resolve_carbon(settings, resolve_data_dir(settings));

  // The service's threads inherit this mask: the signals are taken here, by sigwaitinfo.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&stop_signals, s);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // A scraper that hangs up mid-answer must not end the service.
  ::signal(SIGPIPE, SIG_IGN);

  metrics::LatestText text;
  metrics::MetricsServer server(address, text);  // first: a port in use is said at once

  SensorSettings sensor_settings = sensor_settings_from(settings);
  // Where no counter exists, the models estimate the whole node: every process.
  sensor_settings.job_roots = fixed_roots({1});
  NodeSensors sensors = discover_node_sensors(sensor_settings);
  for (const auto& w : sensors.warnings) std::cerr << "erg exporter: warning: " << w << "\n";
  metrics::NodeCounters counters(node, std::move(sensors), settings.interval_s);
  LiveJobs jobs(settings.spool, node, carbon);
  if (!settings.spool.empty()) {
    try {  // said once here: the refreshes skip a spool they cannot read, and try again
      spool::JobSpoolDirectory::job_ids(settings.spool);
    } catch (const std::exception& e) {
      std::cerr << "erg exporter: warning: " << e.what() << "; its jobs are shown once it can be read\n";
    }
  }
  Refresher refresh(counters, jobs, text, textfile);
  refresh();
  PeriodicThread refresher(std::max(settings.interval_s, min_refresh_s), [&refresh] { refresh(); });
  std::cerr << "erg exporter: serving http://" << (address.host.find(':') != std::string::npos ? "[" + address.host + "]" : address.host)
            << ":" << server.port() << "/metrics for node " << node
            << (settings.spool.empty() ? " (no --spool: the node only)" : ", jobs from " + settings.spool) << std::endl;

  int signal = 0;
  while (signal <= 0) {
    signal = sigwaitinfo(&stop_signals, nullptr);
    if (signal < 0 && errno != EINTR) break;
  }
  refresher.stop();
  return 0;
}

}  // namespace erg::tools
