#include <sched.h>
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
#include <optional>

#include "aggregator/job_assembler.hpp"
#include "aggregator/job_metadata.hpp"
#include "aggregator/job_outputs.hpp"
#include "accounting/emission_factors.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "config/node_name.hpp"
#include "report/text_report.hpp"
#include "session/node_allocation.hpp"
#include "session/node_session.hpp"
#include "session/spool_beside_trace.hpp"
#include "sensors/node_sensors.hpp"
#include "session/sensor_settings.hpp"
#include "util/errors.hpp"
#include "util/monotonic_clock.hpp"
#include "util/text.hpp"

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

  JobInfo job = job_info_from_environment();
  job.job_name = valid_utf8(command[0]);
  job.extra["command"] = job.job_name;
  const CarbonSettings carbon = resolve_carbon(settings, data_dir);

  std::vector<char*> argv;
  for (auto& a : command) argv.push_back(a.data());
  argv.push_back(nullptr);

  struct sigaction action {};
  action.sa_handler = forward_signal;
  sigemptyset(&action.sa_mask);
  struct sigaction old_int {}, old_term {};
  sigaction(SIGINT, &action, &old_int);
  sigaction(SIGTERM, &action, &old_term);

  auto say = [](const std::string& message) { std::cerr << "erg run: " << message << "\n"; };
  SpoolBesideTrace::set_aside_earlier(out, say);
  std::optional<SpoolBesideTrace> folder;
  try {
    folder.emplace(out);
  } catch (const std::exception& e) {
    say(std::string("warning: no crash-safe copy of the samples (") + e.what() +
        "); if erg run is killed, the measurements are lost");
  }
  NodeSessionOptions session_options;
  session_options.sensors = sensor_settings_from(settings);
  session_options.sensors.job_roots = [] {
    pid_t child = forward_to.load();
    return child > 0 ? std::vector<pid_t>{child} : std::vector<pid_t>{};
  };
  session_options.node = node_name(settings);
  session_options.interval_s = settings.interval_s;
  session_options.job = job;
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  const int cpus_allowed = sched_getaffinity(0, sizeof allowed, &allowed) == 0 ? CPU_COUNT(&allowed) : online_cpus();
  session_options.share = node_share_for(settings, session_options.node, cpus_allowed, online_cpus());
  // Out of descriptors, memory or threads, erg cannot account the run, but the command is
  // the user's: it runs all the same, and erg says why there is no trace.
  std::unique_ptr<NodeSession> session;
  try {
    session = std::make_unique<NodeSession>(session_options, folder ? &folder->folder() : nullptr, say);
    session->start();
  } catch (const UsageError&) {
    throw;
  } catch (const std::exception& e) {
    say(std::string("warning: this run is not accounted (") + e.what() + "); the command runs without erg");
    session.reset();
  }

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
    // Wait for the end without reaping: the models read the finished command's CPU time
    // from its /proc entry, which lasts until it is reaped. A short job would else end
    // between two samples and take its CPU time along (0 J for a 0.6 s busy command).
    siginfo_t info{};
    while (::waitid(P_PID, static_cast<id_t>(child), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR) {
    }
    if (session) try {
        session->sample_now();
      } catch (const std::exception&) {  // the last sample at stop() counts what it can
      }
    while (::waitpid(child, &wait_status, 0) < 0 && errno == EINTR) {
    }
  }
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  int status = exit_status_of(wait_status);
  if (!session) {
    if (folder) folder->remove(session_options.node + ".spool");
    return status;
  }
  session->stop("end");
  try {
    JobSources sources;
    sources.nodes.push_back({session->contents(), false, 1});
    set_job_end(job, wait_status);
    JobTrace trace = assemble_job(std::move(sources), job, carbon);
    JobReport report = write_job_outputs(trace, out);
    std::cerr << text_report(report) << "  trace           " << out << "\n";
  } catch (const std::exception& e) {
    std::cerr << "erg run: " << e.what() << "\n";
    if (session->spooled()) std::cerr << "erg run: " << SpoolBesideTrace::kept_note(out) << "\n";
    return status == 0 ? 1 : status;
  }
  if (folder && session->spooled()) folder->remove(session_options.node + ".spool");
  return status;
}

}  // namespace erg::tools
