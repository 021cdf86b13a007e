// Finalize latency: every rank is a node holding SECONDS of samples at 1 s (4 domains); the
// node leaders write their node files and reduce their summaries to rank 0 as erg_finalize
// does (agent/node_reduction.cpp), which then writes the job file and its summary. Rank 0
// prints the times ("gather_s": the reduction, node files included).
//   mpirun -np N erg_bench_gather [SECONDS]
#include <mpi.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

#include "aggregator/job_assembler.hpp"
#include "aggregator/job_outputs.hpp"
#include "node_reduction.hpp"

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
  // One folder for every rank's node file: rank 0 names it, the others are told.
  std::string out = "/tmp/erg-bench-gather-" + std::to_string(getpid());
  int length = static_cast<int>(out.size());
  MPI_Bcast(&length, 1, MPI_INT, 0, MPI_COMM_WORLD);
  out.resize(static_cast<size_t>(length));
  MPI_Bcast(out.data(), length, MPI_CHAR, 0, MPI_COMM_WORLD);
  if (rank == 0) std::filesystem::create_directories(out);
  const std::string trace_path = out + "/job.h5";
  erg::NodeReduction how;
  how.job_start_unix_s = 1.7e9;
  how.trace_path = trace_path;
  how.make_record = [](const erg::NodeSource& own, double end_s, int node_ranks) {
    erg::JobSources sources;
    sources.nodes.push_back(own);
    erg::JobInfo job;
    job.job_id = "bench";
    return erg::assemble_job_record(std::move(sources), job, erg::CarbonSettings{}, 1.7e9, end_s, node_ranks);
  };
  MPI_Barrier(MPI_COMM_WORLD);
  double start = MPI_Wtime();
  erg::ReducedNode reduced = erg::reduce_nodes(std::move(source), how, MPI_COMM_WORLD);
  double gathered = MPI_Wtime();
  if (rank == 0) {
    erg::write_job_outputs(*reduced.job, trace_path);
    double written = MPI_Wtime();
    std::printf("{\"ranks\": %d, \"samples_per_node\": %d, \"gather_s\": %.4f, \"write_s\": %.4f, \"finalize_s\": %.4f}\n",
                size, seconds + 1, gathered - start, written - gathered, written - start);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  if (rank == 0) std::filesystem::remove_all(out);
  MPI_Finalize();
  return 0;
}
