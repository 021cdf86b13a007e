#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "aggregator/job_metadata.hpp"
#include "aggregator/job_outputs.hpp"
#include "accounting/emission_factors.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "config/node_name.hpp"
#include "report/text_report.hpp"
#include "sampler/sampler.hpp"
#include "session/spool_beside_trace.hpp"
#include "spool/spool_header.hpp"
#include "sensors/node_sensors.hpp"
#include "session/sensor_settings.hpp"
#include "util/errors.hpp"
#include "util/monotonic_clock.hpp"

namespace erg::tools {

namespace {

// A signal handler can reach only static storage: the child to forward SIGINT/SIGTERM to,
// or the signal that arrived before there was a child.
std::atomic<pid_t> forward_to{0};
std::atomic<int> pending_signal{0};

void forward_signal(int signal) {
  pid_t child = forward_to.load();
  if (child > 0) ::kill(child, signal);
  else pending_signal.store(signal);
}

int exit_status_of(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return 1;
}

}  // namespace

int command_run(const Arguments& args) {
  auto separator = std::find(args.begin(), args.end(), "--");
  Arguments options(args.begin(), separator);
  std::vector<std::string> command(separator == args.end() ? separator : separator + 1, args.end());

  po::options_description own("erg run");
  po::variables_map vm;
  if (!parse_command_line(options, "erg run [OPTIONS] -- COMMAND [ARGS...]", own, vm)) return 0;
  Settings settings = settings_from(vm);
  if (command.empty()) throw UsageError("no command to run: erg run [OPTIONS] -- COMMAND [ARGS...]");
  const std::string data_dir = resolve_data_dir(settings);
  const std::string& out = settings.out;
  if (std::string problem = trace_path_problem(out); !problem.empty()) throw UsageError(problem);

  JobTrace trace;
  trace.job = job_info_from_environment();
  trace.job.job_name = command[0];
  trace.job.extra["command"] = command[0];
  trace.carbon = resolve_carbon(settings, data_dir);
  trace.interval_s = settings.interval_s;

  std::vector<char*> argv;
  for (auto& a : command) argv.push_back(a.data());
  argv.push_back(nullptr);

  struct sigaction action {};
  action.sa_handler = forward_signal;
  sigemptyset(&action.sa_mask);
  struct sigaction old_int {}, old_term {};
  sigaction(SIGINT, &action, &old_int);
  sigaction(SIGTERM, &action, &old_term);

  SensorSettings sensor_settings = sensor_settings_from(settings);
  sensor_settings.job_roots = [] {
    pid_t child = forward_to.load();
    return child > 0 ? std::vector<pid_t>{child} : std::vector<pid_t>{};
  };
  NodeSensors node = discover_node_sensors(sensor_settings);
  for (const auto& w : node.warnings) std::cerr << "erg run: warning: " << w << "\n";

  const auto start_wall = std::chrono::system_clock::now();
  const double origin_s = monotonic_now_s();
  Sampler sampler(std::move(node), settings.interval_s, origin_s, node_name(settings));
  std::unique_ptr<SpoolBesideTrace> spool;
  auto say = [](const std::string& message) { std::cerr << "erg run: " << message << "\n"; };
  SpoolBesideTrace::set_aside_earlier(out, say);
  try {
    spool = std::make_unique<SpoolBesideTrace>(
        out, sampler, spool::spool_header(sampler.trace(), trace.job, unix_seconds(start_wall), settings.interval_s),
        say);
  } catch (const std::exception& e) {
    std::cerr << "erg run: warning: no crash-safe copy of the samples (" << e.what()
              << "); if erg run is killed, the measurements are lost\n";
  }
  sampler.start();

  pid_t child = ::fork();
  if (child == 0) {
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGTERM, &old_term, nullptr);
    ::execvp(argv[0], argv.data());
    std::fprintf(stderr, "erg run: cannot run %s: %s\n", argv[0], std::strerror(errno));
    ::_exit(127);
  }
  int wait_status = 0;
  if (child < 0) {
    std::cerr << "erg run: cannot start " << command[0] << ": " << std::strerror(errno) << "\n";
    wait_status = 127 << 8;
  } else {
    forward_to.store(child);
    if (int signal = pending_signal.exchange(0)) ::kill(child, signal);
    while (::waitpid(child, &wait_status, 0) < 0 && errno == EINTR) {
    }
  }
  sampler.stop();
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  if (spool) spool->finish({{"sampler_cpu_s", sampler.sampler_cpu_s()}, {"stopped_by", "end"}, {"end_unix_s", unix_now_s()}});

  trace.job.start_utc = utc_iso8601(start_wall);
  trace.job.duration_s = monotonic_now_s() - origin_s;
  trace.job.end_utc = utc_iso8601(start_wall, trace.job.duration_s);
  trace.nodes.push_back(std::move(sampler.trace()));
  finish_job_trace(trace);
  int status = exit_status_of(wait_status);
  try {
    JobReport report = write_job_outputs(trace, out);
    std::cerr << text_report(report) << "  trace           " << out << "\n";
  } catch (const std::exception& e) {
    std::cerr << "erg run: " << e.what() << "\n";
    if (spool)
      std::cerr << "erg run: " << SpoolBesideTrace::kept_note(out) << "\n";
    return status == 0 ? 1 : status;
  }
  if (spool) spool->remove();
  return status;
}

}  // namespace erg::tools
