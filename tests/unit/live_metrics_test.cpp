// erg exporter's parts (docs/metrics.md): the text format, and a job's live spool read as it
// grows, charged as erg collect charges the whole spool at the end.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>

#include "aggregator/live_job_spool.hpp"
#include "aggregator/node_shares.hpp"
#include "metrics/erg_metrics.hpp"
#include "metrics/exposition.hpp"
#include "metrics/listen_address.hpp"
#include "spool/spool_format.hpp"
#include "spool/spool_reader.hpp"
#include "temp_dir.hpp"
#include "util/errors.hpp"

namespace erg {

using testing::TempDir;

namespace {

nlohmann::json rapl_cpu(const char* name, const char* measurement = "counter") {
  return {{"name", name}, {"source", "rapl"}, {"measurement", measurement}, {"attributes", {{"scope", "node"}}}};
}

// A node daemon's spool on a shared node: cpu (RAPL, the whole node at 40 W), the job's CPU
// time (busy on one of its two CPUs) and the node's; 40 samples at 0.1 s, in records of 3.
std::string shared_spool() {
  nlohmann::json head = {{"node", "n1"}, {"job_id", "7"}, {"start_unix_s", 1.7e9}, {"job", {{"user", "alice"}}},
                         {"share", {{"mode", "shared"}, {"job_cpus", 1}, {"node_cpus", 4}, {"idle_power_fraction", 0.3}}},
                         {"domains", {rapl_cpu("cpu"), {{"name", "job_cpu_time"}, {"source", "procfs"}, {"measurement", "cpu_time"}},
                                      {{"name", "node_cpu_time"}, {"source", "procfs"}, {"measurement", "cpu_time"}}}}};
  std::string bytes(spool::magic);
  bytes += spool::encode_record(spool::RecordType::header, head.dump());
  const std::uint32_t width = 4;
  for (int first = 0; first < 40; first += 3) {
    std::vector<double> values;
    for (int i = first; i < std::min(first + 3, 40); ++i) {
      const double t = 0.1 * i;
      // a failed read now and then: missing data, never zero
      values.insert(values.end(), {t, i % 7 == 5 ? NAN : 40 * t, 0.9 * t, 1.5 * t});
    }
    const std::uint32_t count = static_cast<std::uint32_t>(values.size() / width);
    std::string payload(8 + values.size() * sizeof(double), '\0');
    std::memcpy(payload.data(), &count, 4);
    std::memcpy(payload.data() + 4, &width, 4);
    std::memcpy(payload.data() + 8, values.data(), values.size() * sizeof(double));
    bytes += spool::encode_record(spool::RecordType::samples, payload);
  }
  return bytes;
}

double last_finite(const std::vector<double>& series) {
  for (auto it = series.rbegin(); it != series.rend(); ++it)
    if (std::isfinite(*it)) return *it;
  return NAN;
}

}  // namespace

TEST(Exposition, LabelValuesCannotLeaveTheirQuotes) {
  EXPECT_EQ(metrics::escape_label_value("plain"), "plain");
  EXPECT_EQ(metrics::escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  EXPECT_EQ(metrics::escape_label_value("\xff"), "\xef\xbf\xbd");  // U+FFFD: Prometheus wants UTF-8
}

TEST(Exposition, FamiliesHaveHelpAndTypeAndLeaveOutMissingValues) {
  metrics::NodeReading node{"n1", {{"cpu", 12.5}, {"dram", NAN}}, {{"cpu", 40}}};
  metrics::JobReading job{"42", "eve\"}", "n1", {{"cpu", 1e15}}, 0.25};
  std::string text = metrics::exposition_text(metrics::erg_metric_families(node, {job}));
  EXPECT_NE(text.find("# HELP erg_node_energy_joules_total "), std::string::npos);
  EXPECT_NE(text.find("# TYPE erg_node_energy_joules_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE erg_node_power_watts gauge\n"), std::string::npos);
  EXPECT_NE(text.find("erg_node_energy_joules_total{node=\"n1\",domain=\"cpu\"} 12.5\n"), std::string::npos);
  EXPECT_EQ(text.find("domain=\"dram\""), std::string::npos);
  EXPECT_NE(text.find("erg_job_energy_joules_total{job_id=\"42\",user=\"eve\\\"}\",node=\"n1\",domain=\"cpu\"} 1e+15\n"),
            std::string::npos);
  EXPECT_NE(text.find("erg_job_co2e_grams_total{job_id=\"42\",user=\"eve\\\"}\"} 0.25\n"), std::string::npos);
}

TEST(ListenAddress, HostAndPortOrOneClearError) {
  auto a = metrics::parse_listen_address("127.0.0.1:9767");
  EXPECT_EQ(a.host, "127.0.0.1");
  EXPECT_EQ(a.port, 9767);
  auto b = metrics::parse_listen_address("[::1]:0");
  EXPECT_EQ(b.host, "::1");
  EXPECT_EQ(b.port, 0);
  for (const char* bad : {"", "9767", ":9767", "host:", "host:x", "host:65536", "host:-1", "::1:9767", "h:1 "})
    EXPECT_THROW(metrics::parse_listen_address(bad), UsageError) << bad;
}

// The live figure is the one the job's trace will hold: the spool read as it grows, a few
// bytes at a time (records cut anywhere), charged as charge_node_share charges it whole.
TEST(LiveJobSpool, ChargesWhatTheWholeSpoolIsChargedWhateverTheCuts) {
  const std::string bytes = shared_spool();
  NodeTrace whole = spool::parse_spool(bytes, "n1.spool").node;
  charge_node_share(whole);
  const double expected_j = last_finite(whole.domain("cpu")->energy_j);
  ASSERT_GT(expected_j, 0);
  ASSERT_LT(expected_j, 40 * 3.9);  // a share, not the node

  for (std::size_t cut : {std::size_t{1}, std::size_t{7}, std::size_t{100}, bytes.size()}) {
    TempDir dir;
    auto folder = spool::JobSpoolDirectory::open_at(dir.path());
    FileDescriptor out(::open((dir / "n1.spool").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0640));
    CarbonSettings carbon;
    carbon.pue = 1.5;
    carbon.emission_factor_g_per_kwh = 400;
    const GridCarbon grid(carbon);
    LiveJobSpool live(folder, "n1.spool", grid, carbon.pue);
    for (std::size_t at = 0; at < bytes.size(); at += cut) {
      const std::size_t n = std::min(cut, bytes.size() - at);
      ASSERT_EQ(::write(out.get(), bytes.data() + at, n), static_cast<ssize_t>(n));
      live.update();
    }
    live.update();
    ASSERT_TRUE(live.has_header());
    EXPECT_EQ(live.user(), "alice");
    ASSERT_EQ(live.energy_j().size(), 1u) << "the CPU-time series are not energy";
    EXPECT_EQ(live.energy_j()[0].domain, "cpu");
    EXPECT_NEAR(live.energy_j()[0].energy_j, expected_j, 1e-9 * expected_j) << "cut every " << cut << " bytes";
    EXPECT_NEAR(live.co2e_g(), expected_j * 1.5 * 400 / 3.6e6, 1e-9 * expected_j);
  }
}

// Where the site gives the grid's intensity over time, each interval's energy is priced at
// the intensity then: here 100 g/kWh for the spool's first 2 s, 500 after.
TEST(LiveJobSpool, CO2eFollowsTheGridIntensityIntervalByInterval) {
  const std::string bytes = shared_spool();
  NodeTrace whole = spool::parse_spool(bytes, "n1.spool").node;
  charge_node_share(whole);
  const auto& charged = whole.domain("cpu")->energy_j;
  double expected_g = 0, before_j = NAN, before_s = NAN;
  for (std::size_t i = 0; i < charged.size(); ++i) {
    if (!std::isfinite(charged[i])) continue;
    if (std::isfinite(before_j)) expected_g += (charged[i] - before_j) * 1.2 * (before_s < 2 ? 100 : 500) / 3.6e6;
    before_j = charged[i];
    before_s = whole.time_s[i];
  }
  CarbonSettings carbon;
  carbon.pue = 1.2;
  carbon.emission_factor_g_per_kwh = 9999;  // outside the series only: never here
  carbon.intensity = {{1.7e9, 1.7e9 + 2}, {1.7e9 + 2, 1.7e9 + 10}, {100, 500}, "test"};
  const GridCarbon grid(carbon);
  TempDir dir;
  auto folder = spool::JobSpoolDirectory::open_at(dir.path());
  FileDescriptor out(::open((dir / "n1.spool").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0640));
  LiveJobSpool live(folder, "n1.spool", grid, carbon.pue);
  for (std::size_t at = 0; at < bytes.size(); at += 50) {
    const std::size_t n = std::min<std::size_t>(50, bytes.size() - at);
    ASSERT_EQ(::write(out.get(), bytes.data() + at, n), static_cast<ssize_t>(n));
    live.update();
  }
  live.update();
  ASSERT_GT(expected_g, 0);
  EXPECT_NEAR(live.co2e_g(), expected_g, 1e-9 * expected_g);
}

TEST(LiveJobSpool, AFileThatIsNotASpoolGivesNothing) {
  TempDir dir;
  dir.write("n1.spool", "not a spool at all, but long enough");
  auto folder = spool::JobSpoolDirectory::open_at(dir.path());
  const GridCarbon grid{CarbonSettings{}};
  LiveJobSpool live(folder, "n1.spool", grid, 1.56);
  live.update();
  live.update();
  EXPECT_FALSE(live.has_header());
  EXPECT_TRUE(live.energy_j().empty());
}

}  // namespace erg
