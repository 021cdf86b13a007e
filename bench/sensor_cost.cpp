// Cost of one sample per sensor: a simulated RAPL tree with 8 counted zones, the CPU and DRAM
// models, a stand-in NVML with 8 GPUs (when its path is given). Median of repeated timed
// batches, in microseconds per sample.
//   erg_bench_sensor_cost [SAMPLES] [FAKE_GPU_LIBRARY]
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sensors/models/process_tree.hpp"
#include "sensors/node_sensors.hpp"
#include "sensors/rapl/rapl_sensor.hpp"

namespace {

double median_us_per_sample(erg::Sensor& sensor, int samples) {
  std::vector<double> energy(sensor.domains().size());
  std::vector<double> batches;
  const int batch = std::max(1, samples / 9);
  for (int b = 0; b < 9; ++b) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < batch; ++i) sensor.read(static_cast<double>(b * batch + i) * 1e-3, energy);
    batches.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() / batch);
  }
  std::sort(batches.begin(), batches.end());
  return batches[batches.size() / 2];
}

void write(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path) << text;
}

}  // namespace

int main(int argc, char** argv) {
  int samples = argc > 1 ? std::atoi(argv[1]) : 20000;
  std::string fake_gpu = argc > 2 ? argv[2] : "";
  char pattern[] = "/tmp/erg-bench-XXXXXX";
  std::string root = mkdtemp(pattern);
  // 4 packages, each with core (not counted) and dram: 8 counted zones.
  for (int p = 0; p < 4; ++p) {
    std::string zone = root + "/intel-rapl:" + std::to_string(p);
    write(zone + "/name", "package-" + std::to_string(p) + "\n");
    write(zone + "/energy_uj", "123456789\n");
    write(zone + "/max_energy_range_uj", "262143328850\n");
    for (auto [sub, name] : {std::pair{0, "core"}, std::pair{1, "dram"}}) {
      std::string subzone = zone + ":" + std::to_string(sub);
      write(root + "/intel-rapl:" + std::to_string(p) + ":" + std::to_string(sub) + "/name", std::string(name) + "\n");
      write(subzone + "/energy_uj", "1000\n");
      write(subzone + "/max_energy_range_uj", "65712999613\n");
    }
  }
  std::printf("{\n");
  auto rapl = erg::discover_rapl(root);
  size_t zones = 0;
  for (const auto& p : rapl.probes) zones += p.status == "used";
  std::printf("  \"rapl_zones\": %zu,\n  \"rapl_us_per_sample\": %.3f,\n", zones, median_us_per_sample(*rapl.sensor, samples));

  erg::SensorSettings settings;
  settings.powercap_root = "/nonexistent";
  settings.data_dir = ERG_BENCH_DATA_DIR;
  settings.job_roots = erg::fixed_roots({getpid()});
  settings.nvml_library = "/nonexistent";
  settings.rocm_smi_library = "/nonexistent";
  auto models = erg::discover_node_sensors(settings);
  std::printf("  \"cpu_model_us_per_sample\": %.3f,\n", median_us_per_sample(*models.sensors[0], std::max(1, samples / 20)));
  std::printf("  \"dram_model_us_per_sample\": %.3f", median_us_per_sample(*models.sensors[1], std::max(1, samples / 20)));

  if (!fake_gpu.empty()) {
    std::string script = root + "/gpus.txt";
    std::string text;
    for (int g = 0; g < 8; ++g) text += "device " + std::to_string(g) + " 300 1 FakeGPU GPU-" + std::to_string(g) + "\n";
    write(script, text);
    setenv("FAKE_GPU_SCRIPT", script.c_str(), 1);
    settings.nvml_library = fake_gpu;
    auto gpus = erg::discover_node_sensors(settings);
    for (auto& s : gpus.sensors)
      if (s->domains()[0].source == "nvml")
        std::printf(",\n  \"nvml_gpus\": %zu,\n  \"nvml_us_per_sample\": %.3f", s->domains().size(),
                    median_us_per_sample(*s, samples));
  }
  std::printf("\n}\n");
  std::filesystem::remove_all(root);
  return 0;
}
