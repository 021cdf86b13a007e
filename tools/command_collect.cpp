// erg collect: merges a job's node spools into its trace (the slurmctld epilog runs it).
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <iostream>
#include <thread>

#include "accounting/emission_factors.hpp"
#include "aggregator/job_outputs.hpp"
#include "aggregator/job_assembler.hpp"
#include "aggregator/job_metadata.hpp"
#include "aggregator/job_sources.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "detach.hpp"
#include "ledger/ledger.hpp"
#include "slurm_admin_comment.hpp"
#include "slurm_job_state.hpp"
#include "spool_retention.hpp"
#include "report/text_report.hpp"
#include "session/spool_beside_trace.hpp"
#include "spool/spool_directory.hpp"
#include "trace/trace_file.hpp"
#include "util/errors.hpp"

namespace erg::tools {

namespace {

// erg collect --pack: the trace and its node files in one file that reads the same.
int pack(const po::variables_map& vm) {
  if (vm.count("folder") || vm.count("job") || vm.count("ledger-add") || vm.count("detach"))
    throw UsageError("--pack takes a trace and -o only");
  const std::string trace_path = vm["pack"].as<std::string>();
  std::filesystem::path packed = std::filesystem::path(trace_path);
  packed.replace_filename(packed.stem().string() + "-packed.h5");
  const std::string out = vm.count("output") ? vm["output"].as<std::string>() : packed.string();
  if (std::filesystem::weakly_canonical(out) == std::filesystem::weakly_canonical(trace_path))
    throw UsageError("--pack: the packed file cannot replace " + trace_path + " (its node files would be cut off)");
  if (std::string problem = trace_path_problem(out); !problem.empty()) throw UsageError(problem);
  const JobTrace trace = read_trace_file(trace_path);
  const JobReport report = make_job_report(trace);
  pack_trace_file(trace_path, trace, {report.summaries.nodes, report.summaries.power, trace_summary(report.account)}, out);
  if (!vm.count("quiet")) std::cerr << "erg: packed " << trace_path << " and its " << report.summaries.nodes.size()
                                    << " node file(s) into " << out << "\n";
  return 0;
}

}  // namespace

int command_collect(const Arguments& args) {
  po::options_description own("erg collect");
  own.add_options()("job", po::value<std::string>(), "the Slurm job id")
      ("folder", po::value<std::string>(), "a job's own spool folder (TRACE.spool, left by a killed erg run or MPI job)")
      ("output,o", po::value<std::string>(), "the trace to write (default SPOOL/<job>/trace.h5, or TRACE.h5 for TRACE.spool)")
      ("wait", po::value<double>(), "seconds to wait for the node daemons to finish (default 0)")
      ("job-state", po::value<std::string>(), "how the job ended: completed|failed|cancelled|timeout|unknown, a Slurm JobState, or slurm (ask squeue once the daemons finished: the slurmctld epilog)")
      ("ledger-add", "add the job to the site ledger (--ledger, ERG_LEDGER or the site file) once its trace is written, then remove the spool's folders older than spool-keep-days whose traces are in the ledger")
      ("admin-comment", "with --ledger-add: also put the job's energy and CO2e in its Slurm AdminComment (scontrol update)")
      ("pack", po::value<std::string>(), "TRACE.h5: write one self-contained file of the trace and its node files (TRACE.nodes/), for archival (-o, default TRACE-packed.h5)")
      ("quiet,q", "no report on stderr")
      ("detach", "go to the background once started (the slurmctld epilog)");
  po::positional_options_description positional;
  positional.add("folder", 1);
  po::variables_map vm;
  if (!parse_command_line(args, "erg collect --job ID --spool DIR [-o TRACE.h5] [--wait S] [--job-state STATE] [--ledger-add [--admin-comment]] [--detach] [-q]\n       erg collect TRACE.spool [-o TRACE.h5]\n       erg collect --pack TRACE.h5 [-o PACKED.h5]",
                          own, vm, &positional))
    return 0;
  if (vm.count("pack")) return pack(vm);
  Settings settings = settings_from(vm);
  const bool own_folder = vm.count("folder") > 0;
  if (own_folder && vm.count("job")) throw UsageError("give either a spool folder or --job, not both");
  const std::string job_id = own_folder ? "" : spool_job_id(vm, settings);
  double wait_s = vm.count("wait") ? checked_number("wait", vm["wait"].as<double>(), 0, 86400) : 0;

  if (vm.count("detach")) detach_from_caller();
  auto dir = own_folder ? spool::JobSpoolDirectory::open_at(vm["folder"].as<std::string>())
                        : spool::JobSpoolDirectory::open(settings.spool, job_id);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(wait_s);
  while (!job_spools_finished(dir) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(200));

  if (vm.count("output"))
    if (std::string problem = trace_path_problem(vm["output"].as<std::string>()); !problem.empty())
      throw UsageError(problem);
  JobInfo job = job_info_from_environment();
  set_job_end_from_slurm(job);  // the slurmctld epilog knows how the job ended
  if (vm.count("job-state")) {
    const std::string given = vm["job-state"].as<std::string>();
    if (given != "slurm") job.job_state = job_state_from(given);
    else if (auto state = final_slurm_job_state(job_id, 30)) job.job_state = job_state_from_or_unknown(*state);
  }
  const bool in_spool = !own_folder && !vm.count("output");
  std::string out = vm.count("output")  ? vm["output"].as<std::string>()
                    : own_folder       ? SpoolBesideTrace::trace_path_for(vm["folder"].as<std::string>())
                                       : settings.spool + "/" + job_id + "/trace.h5";
  // As root, in the job's own folder: readable by the job's group, like the rest of its
  // spool, not writable by the user; set through the new files' descriptors.
  std::optional<FileOwnership> ownership;
  struct stat folder {};
  if (in_spool && ::geteuid() == 0 && ::fstat(dir.fd(), &folder) == 0) ownership = FileOwnership{0, folder.st_gid, 0640};
  // One node's samples in memory at a time: a job of thousands of nodes is collected too.
  JobTrace trace = assemble_folder(dir, job, resolve_carbon(settings, resolve_data_dir(settings)), out, ownership);
  if (!own_folder) trace.job.job_id = job_id;
  JobReport report = write_job_outputs(trace, out, ownership);
  if (!vm.count("quiet")) std::cerr << text_report(report) << "  trace           " << out << "\n";
  // Here rather than in a later `erg ledger add` of the epilog: collect runs detached and
  // waits for the nodes, so only it knows when the trace exists. Every job, whatever its state.
  if (vm.count("ledger-add")) {
    // The ledger names the trace by its absolute path: a relative -o means nothing to a reader elsewhere.
    std::error_code ec;
    const std::string absolute = std::filesystem::absolute(out, ec).lexically_normal().string();
    ledger::LedgerRow row = ledger::ledger_row_from(report.trace, report.account, "", ec ? out : absolute);
    std::unique_ptr<ledger::Ledger> site_ledger;
    try {
      site_ledger = ledger::open_ledger(settings.ledger, ledger::LedgerAccess::add);
      site_ledger->add({row});
    } catch (const UsageError& e) {
      throw std::runtime_error("the trace " + out + " was written, but not added to the ledger: " + e.what());
    }
    if (!vm.count("quiet"))
      std::cerr << "  ledger          job " << trace.job.job_id << " added to " << ledger::ledger_display_name(settings.ledger) << "\n";
    if (vm.count("admin-comment") && !own_folder)
      if (std::string why = set_admin_comment(job_id, ledger::summary_line(row)); !why.empty())
        std::cerr << "erg collect: the job's AdminComment was not set: " << why << "\n";
    // Retention runs here, after this job is in the ledger: the epilog is the one place that
    // runs once per job on a host that sees the whole spool.
    if (settings.spool_keep_days && !own_folder) {
      SpoolPruning pruned = prune_spool(settings.spool, *settings.spool_keep_days, *site_ledger, row.cluster, job_id);
      if (pruned.removed > 0)
        std::cerr << "erg collect: removed " << pruned.removed << " job folder(s) older than "
                  << *settings.spool_keep_days << " days from " << settings.spool << " (their traces are in the ledger)\n";
      if (!pruned.first_failure.empty()) std::cerr << "erg collect: spool retention: " << pruned.first_failure << "\n";
    }
  }
  return 0;
}

}  // namespace erg::tools
