// erg collect: merges a job's node spools into its trace (the slurmctld epilog runs it).
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "accounting/emission_factors.hpp"
#include "aggregator/job_outputs.hpp"
#include "aggregator/spool_collect.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "detach.hpp"
#include "report/text_report.hpp"
#include "spool/spool_directory.hpp"
#include "util/errors.hpp"

namespace erg::tools {

int command_collect(const Arguments& args) {
  po::options_description own("erg collect");
  own.add_options()("job", po::value<std::string>(), "the Slurm job id")
      ("output,o", po::value<std::string>(), "the trace to write (default SPOOL/<job>/trace.h5, and trace.json)")
      ("wait", po::value<double>(), "seconds to wait for the node daemons to finish (default 0)")
      ("quiet,q", "no report on stderr")
      ("detach", "go to the background once started (the slurmctld epilog)");
  po::variables_map vm;
  if (!parse_command_line(args, "erg collect --job ID --spool DIR [-o TRACE.h5] [--wait S]", own, vm)) return 0;
  Settings settings = settings_from(vm);
  const std::string job_id = spool_job_id(vm, settings);
  double wait_s = vm.count("wait") ? checked_number("wait", vm["wait"].as<double>(), 0, 86400) : 0;

  if (vm.count("detach")) detach_from_caller();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(wait_s);
  while (!job_spools_finished(settings.spool, job_id) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(200));

  JobTrace trace = collect_job(settings.spool, job_id, resolve_carbon(settings, resolve_data_dir(settings)));
  const bool in_spool = !vm.count("output");
  std::string out = in_spool ? settings.spool + "/" + job_id + "/trace.h5" : vm["output"].as<std::string>();
  JobReport report = write_job_outputs(trace, out);
  if (in_spool && ::geteuid() == 0) {
    // Readable by the job's group, like the rest of its spool; not writable by the user.
    struct stat dir {};
    if (::stat((settings.spool + "/" + job_id).c_str(), &dir) == 0)
      for (const std::string& path : {out, json_path_for(out)})
        if (::chown(path.c_str(), 0, dir.st_gid) != 0 || ::chmod(path.c_str(), 0640) != 0)
          std::cerr << "erg collect: cannot set the owner of " << path << "\n";
  }
  if (!vm.count("quiet")) std::cerr << text_report(report) << "  trace           " << out << "\n";
  return 0;
}

}  // namespace erg::tools
