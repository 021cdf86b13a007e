// A small MPI "training" job accounted by erg: every rank does real floating-point work
// (a least-squares model fitted by gradient descent) in a search, a train and an inference
// phase, and reports the items it processed and an accuracy-like metric.
//
//   mpirun -np 4 ./erg_example_training [SECONDS_PER_PHASE]
#include <erg/erg.h>
#include <mpi.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

struct Data {
  std::vector<double> x, y;  // 16 features per sample
};

Data make_data(int rank, int samples) {
  Data d;
  unsigned state = 12345u + static_cast<unsigned>(rank);
  auto next = [&] { return (state = state * 1103515245u + 12345u) / 4294967296.0; };
  for (int i = 0; i < samples; ++i) {
    double target = 0;
    for (int f = 0; f < 16; ++f) {
      double v = next() - 0.5;
      d.x.push_back(v);
      target += (f + 1) * 0.1 * v;
    }
    d.y.push_back(target + 0.01 * (next() - 0.5));
  }
  return d;
}

// One pass of gradient descent over the local data; gradients averaged over all ranks.
double train_epoch(const Data& d, std::vector<double>& w, double rate) {
  std::vector<double> grad(16, 0.0);
  double loss = 0;
  size_t n = d.y.size();
  for (size_t i = 0; i < n; ++i) {
    double p = 0;
    for (int f = 0; f < 16; ++f) p += w[f] * d.x[i * 16 + f];
    double e = p - d.y[i];
    loss += e * e;
    for (int f = 0; f < 16; ++f) grad[f] += e * d.x[i * 16 + f];
  }
  MPI_Allreduce(MPI_IN_PLACE, grad.data(), 16, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  for (int f = 0; f < 16; ++f) w[f] -= rate * grad[f] / static_cast<double>(n * static_cast<size_t>(size));
  return loss / static_cast<double>(n);
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Runs epochs until the phase has lasted `seconds` on rank 0 (all ranks agree each epoch).
unsigned long long run_epochs(const Data& d, std::vector<double>& w, double rate, double seconds) {
  auto start = std::chrono::steady_clock::now();
  unsigned long long items = 0;
  for (int done = 0; !done;) {
    train_epoch(d, w, rate);
    items += d.y.size();
    done = seconds_since(start) >= seconds;
    MPI_Bcast(&done, 1, MPI_INT, 0, MPI_COMM_WORLD);
  }
  return items;
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  erg_init(MPI_COMM_WORLD);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  double phase_s = argc > 1 ? std::atof(argv[1]) : 1.0;
  Data data = make_data(rank, 4000);

  // Search: a few learning rates, each trained briefly; keep the best.
  erg_phase_begin("search", "search");
  double best_rate = 0.1, best_loss = 1e300;
  unsigned long long items = 0;
  for (double rate : {0.05, 0.2, 0.8}) {
    std::vector<double> w(16, 0.0);
    items += run_epochs(data, w, rate, phase_s / 3);
    double loss = train_epoch(data, w, 0.0);
    if (loss < best_loss) best_loss = loss, best_rate = rate;
  }
  erg_phase_items(items);
  erg_phase_end();

  erg_phase_begin("train", "train");
  std::vector<double> w(16, 0.0);
  erg_phase_items(run_epochs(data, w, best_rate, phase_s));
  erg_phase_end();

  // Inference: predictions on fresh data, counted as correct within a tolerance.
  erg_phase_begin("inference", "inference");
  Data test = make_data(rank + 1000, 4000);
  auto start = std::chrono::steady_clock::now();
  unsigned long long predictions = 0, correct = 0;
  for (int done = 0; !done;) {
    for (size_t i = 0; i < test.y.size(); ++i) {
      double p = 0;
      for (int f = 0; f < 16; ++f) p += w[f] * test.x[i * 16 + f];
      correct += std::fabs(p - test.y[i]) < 0.05;
    }
    predictions += test.y.size();
    done = seconds_since(start) >= phase_s;
    MPI_Bcast(&done, 1, MPI_INT, 0, MPI_COMM_WORLD);
  }
  erg_phase_items(predictions);
  erg_phase_end();

  unsigned long long totals[2] = {correct, predictions};
  MPI_Allreduce(MPI_IN_PLACE, totals, 2, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
  double accuracy = static_cast<double>(totals[0]) / static_cast<double>(totals[1]);
  erg_metric("accuracy", accuracy, 1);
  if (rank == 0) std::printf("best learning rate %.2f, accuracy %.3f\n", best_rate, accuracy);

  erg_finalize();
  MPI_Finalize();
  return 0;
}
