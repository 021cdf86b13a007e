// erg agent: the node daemon that the Slurm prolog starts (slurm/README.md).
#include <pwd.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <iostream>

#include "aggregator/job_metadata.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "config/node_name.hpp"
#include "daemon_identity.hpp"
#include "detach.hpp"
#include "session/node_allocation.hpp"
#include "session/node_session.hpp"
#include "sensors/node_sensors.hpp"
#include "session/sensor_settings.hpp"
#include "sensors/models/slurm_job_processes.hpp"
#include "spool/spool_directory.hpp"
#include "util/errors.hpp"
#include "util/monotonic_clock.hpp"

namespace erg::tools {

namespace {

std::optional<unsigned long> env_number(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value) return std::nullopt;
  char* end = nullptr;
  unsigned long n = std::strtoul(value, &end, 10);
  return *end == '\0' ? std::optional<unsigned long>(n) : std::nullopt;
}

// The job's user and group, from slurmd's prolog environment (not from the user's job).
std::pair<std::optional<uid_t>, std::optional<gid_t>> job_owner() {
  std::optional<uid_t> uid;
  std::optional<gid_t> gid;
  if (auto u = env_number("SLURM_JOB_UID")) uid = static_cast<uid_t>(*u);
  if (auto g = env_number("SLURM_JOB_GID")) gid = static_cast<gid_t>(*g);
  if (uid && !gid) {
    passwd pw{}, *found = nullptr;
    char buffer[1024];
    if (getpwuid_r(*uid, &pw, buffer, sizeof buffer, &found) == 0 && found) gid = found->pw_gid;
  }
  return {uid, gid};
}

// Sends SIGTERM to the daemon named in the pid file and waits until it releases its spool.
// Only a daemon that still holds the spool's lock and is still the process its pid file
// names is signalled: after a daemon was killed, its pid may belong to anything.
int stop_daemon(const std::string& spool_root, const std::string& job_id, const std::string& node, double timeout_s) {
  auto dir = spool::JobSpoolDirectory::open(spool_root, job_id);
  auto pid_text = dir.read_file(node + ".pid", 64);
  auto daemon = pid_text ? parse_pid_file(*pid_text) : std::nullopt;
  if (!daemon || !dir.is_held(node + ".spool")) {
    std::cerr << "erg agent: no running daemon of job " << job_id << " on " << node << "\n";
    return 0;
  }
  if (!signal_if_same(*daemon, SIGTERM)) {
    std::cerr << "erg agent: pid " << daemon->pid << " is no longer the daemon of job " << job_id << " on " << node
              << "; not signalled\n";
    return 0;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (dir.is_held(node + ".spool")) {
    if (std::chrono::steady_clock::now() > deadline) {
      std::cerr << "erg agent: the daemon of job " << job_id << " did not stop in " << timeout_s << " s\n";
      return 0;
    }
    ::usleep(50000);
  }
  return 0;
}

}  // namespace

int command_agent(const Arguments& args) {
  po::options_description own("erg agent");
  own.add_options()("job", po::value<std::string>(), "the Slurm job id")
      ("flush", po::value<double>(), "seconds between flushes of the spool (default 1)")
      ("stop", "stop this node's daemon of the job (the epilog): SIGTERM, then wait for its final record")
      ("stop-timeout", po::value<double>(), "seconds --stop waits (default 10)")
      ("detach", "go to the background once started (the prolog)");
  po::variables_map vm;
  if (!parse_command_line(args, "erg agent --job ID --spool DIR [--interval S] [--flush S] [--detach]\n       erg agent --job ID --spool DIR --stop [--stop-timeout S]", own, vm)) return 0;
  Settings settings = settings_from(vm);
  const std::string job_id = spool_job_id(vm, settings);
  const std::string node = spool::checked_name("node name", node_name(settings));
  const double flush_s = vm.count("flush") ? checked_number("flush", vm["flush"].as<double>(), 0.01, 3600) : default_spool_flush_s;

  if (vm.count("stop"))
    return stop_daemon(settings.spool, job_id, node,
                       vm.count("stop-timeout") ? checked_number("stop-timeout", vm["stop-timeout"].as<double>(), 0, 3600) : 10);

  if (vm.count("detach")) detach_from_caller();
  auto [uid, gid] = job_owner();
  auto dir = spool::JobSpoolDirectory::create(settings.spool, job_id, gid, uid);

  // The sampler thread inherits this mask: the signals are taken here, by sigtimedwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&stop_signals, s);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  NodeSessionOptions options;
  options.sensors = sensor_settings_from(settings);
  options.sensors.job_roots = slurm_job_roots(job_id, node, uid);
  // A shared node's split: every job's processes, which only root can see.
  if (::geteuid() == 0) options.sensors.all_job_roots = slurm_all_job_roots(node);
  options.node = node;
  options.interval_s = settings.interval_s;
  options.job = job_info_from_environment();
  options.job.job_id = job_id;
  options.flush_s = flush_s;
  options.spool_required = true;
  options.share = node_share_for(settings, node, online_cpus(), online_cpus());
  std::optional<NodeSession> session;
  try {
    session.emplace(options, &dir, [](const std::string& message) { std::cerr << "erg agent: " << message << "\n"; });
  } catch (const SpoolLocked&) {
    std::cerr << "erg agent: job " << job_id << " on " << node << " is already sampled by another daemon\n";
    return 0;
  }
  {
    FileDescriptor pid_file = dir.open_for_append(node + ".pid");
    auto identity = own_identity();
    std::string pid = identity ? pid_file_text(*identity) : "";
    if (!identity || ::ftruncate(pid_file.get(), 0) != 0 || ::write(pid_file.get(), pid.data(), pid.size()) < 0)
      std::cerr << "erg agent: cannot write " << node << ".pid\n";
  }
  session->start();
  int signal = 0;
  while (signal <= 0) {
    signal = sigwaitinfo(&stop_signals, nullptr);
    if (signal < 0 && errno != EINTR) break;
  }
  session->stop(signal > 0 ? strsignal(signal) : "error");
  return 0;
}

}  // namespace erg::tools
