// The agent's memory per hour of sampling, and the spool file's bytes per sample: a sampler
// with 4 domains takes SAMPLES samples as fast as it can (the memory it keeps depends on the
// samples, not on the interval), handing them on every 1000 samples as the node session's
// flush does, and a spool is written as the node session writes it.
//   erg_bench_memory [SAMPLES]
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "sampler/sampler.hpp"
#include "spool/spool_writer.hpp"
#include "util/monotonic_clock.hpp"

namespace {

class FourDomains final : public erg::Sensor {
 public:
  const std::vector<erg::DomainInfo>& domains() const override { return domains_; }
  void read(double time_s, std::span<double> energy_j) override {
    for (auto& e : energy_j) e = 100 * time_s;
  }

 private:
  std::vector<erg::DomainInfo> domains_{{"cpu", "x", ""}, {"dram", "x", ""}, {"gpu0", "x", ""}, {"gpu1", "x", ""}};
};

long rss_kb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  long samples = argc > 1 ? std::atol(argv[1]) : 1000000;
  erg::NodeSensors sensors;
  sensors.sensors.push_back(std::make_unique<FourDomains>());
  erg::Sampler sampler(std::move(sensors), 3600, erg::monotonic_now_s());
  std::vector<double> taken;
  long before_kb = rss_kb();
  for (long i = 0; i < samples; ++i) {
    sampler.sample_now();
    if (i % 1000 == 999) {
      taken.clear();
      sampler.take_samples(taken);
    }
  }
  long after_kb = rss_kb();
  double bytes_per_sample = (after_kb - before_kb) * 1024.0 / static_cast<double>(samples);

  std::string path = "/tmp/erg-bench-spool-" + std::to_string(getpid());
  double spool_bytes[2];
  int per_record[2] = {1, 10};  // 1 s interval and 0.1 s interval, flushed every second
  for (int k = 0; k < 2; ++k) {
    {
      erg::spool::SpoolWriter writer(erg::FileDescriptor(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600)));
      writer.write_header({{"node", "n0"}, {"domains", nlohmann::json::array()}});
      struct stat st {};
      ::stat(path.c_str(), &st);
      off_t header = st.st_size;
      std::vector<double> rows(static_cast<size_t>(per_record[k]) * 5, 1.0);
      for (int r = 0; r < 1000; ++r) writer.write_samples(rows, 5);
      ::stat(path.c_str(), &st);
      spool_bytes[k] = static_cast<double>(st.st_size - header) / (1000.0 * per_record[k]);
    }
    std::remove(path.c_str());
  }
  std::printf("{\"samples\": %ld, \"domains\": 4, \"agent_bytes_per_sample\": %.1f, "
              "\"agent_mb_per_hour_at_1s\": %.3f, \"agent_mb_per_hour_at_1ms\": %.1f, "
              "\"spool_bytes_per_sample_at_1s\": %.1f, \"spool_bytes_per_sample_at_100ms\": %.1f}\n",
              samples, bytes_per_sample, bytes_per_sample * 3600 / 1e6, bytes_per_sample * 3.6e6 / 1e6, spool_bytes[0],
              spool_bytes[1]);
  return 0;
}
