// Finalize latency: every rank is a node holding SECONDS of samples at 1 s (4 domains); the
// nodes' spool contents are gathered to rank 0 as erg_finalize does (agent/node_gather.cpp),
// which then assembles the job (aggregator/job_assembler.cpp) and writes the trace and its
// summary. Rank 0 prints the times.
//   mpirun -np N erg_bench_gather [SECONDS]
#include <mpi.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

#include "aggregator/job_assembler.hpp"
#include "aggregator/job_outputs.hpp"
#include "node_gather.hpp"

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int seconds = argc > 1 ? std::atoi(argv[1]) : 3600;
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  erg::NodeSource source;
  source.spool.header = {{"start_unix_s", 1.7e9}, {"interval_s", 1.0}};
  source.spool.footer = erg::spool::SpoolFooter{};
  source.n_ranks = 1;
  erg::NodeTrace& node = source.spool.node;
  node.node = "node" + std::to_string(rank);
  for (int i = 0; i <= seconds; ++i) node.time_s.push_back(i);
  for (const char* domain : {"cpu", "dram", "gpu0", "gpu1"}) {
    erg::DomainSeries series{{domain, "rapl", ""}, {}};
    for (int i = 0; i <= seconds; ++i) series.energy_j.push_back(150.0 * i);
    node.domains.push_back(std::move(series));
  }
  MPI_Barrier(MPI_COMM_WORLD);
  double start = MPI_Wtime();
  auto nodes = erg::gather_node_sources(std::move(source), MPI_COMM_WORLD);
  double gathered = MPI_Wtime();
  if (rank == 0) {
    erg::JobSources sources;
    sources.nodes = std::move(nodes);
    erg::JobInfo job;
    job.job_id = "bench";
    erg::JobTrace trace = erg::assemble_job(std::move(sources), job, erg::CarbonSettings{});
    std::string out = "/tmp/erg-bench-gather-" + std::to_string(getpid()) + ".h5";
    erg::write_job_outputs(trace, out);
    double written = MPI_Wtime();
    std::printf("{\"ranks\": %d, \"samples_per_node\": %d, \"gather_s\": %.4f, \"write_s\": %.4f, \"finalize_s\": %.4f}\n",
                size, seconds + 1, gathered - start, written - gathered, written - start);
    std::remove(out.c_str());
    std::remove(erg::json_path_for(out).c_str());
  }
  MPI_Finalize();
  return 0;
}
