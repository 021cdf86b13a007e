#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include "spool/spool_directory.hpp"
#include "spool/spool_format.hpp"
#include "spool/spool_reader.hpp"
#include "spool/spool_writer.hpp"
#include "temp_dir.hpp"
#include "util/errors.hpp"

namespace erg::spool {

using testing::TempDir;

namespace {

nlohmann::json header() {
  return {{"node", "n1"}, {"start_unix_s", 1.7e9}, {"domains", {{{"name", "cpu"}, {"source", "rapl"}}}}};
}

// A spool with a header and three sample records of 2 samples each (cpu = 10 x time).
std::string write_spool(const TempDir& dir) {
  std::string path = dir / "n1.spool";
  SpoolWriter writer(FileDescriptor(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0640)));
  writer.write_header(header());
  for (int r = 0; r < 3; ++r) {
    std::vector<double> rows;
    for (int s = 0; s < 2; ++s) {
      double t = r * 2 + s;
      rows.push_back(t);
      rows.push_back(10 * t);
    }
    writer.write_samples(rows, 2);
  }
  writer.write_note("hello");
  return path;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A spool of a header and one samples record per entry of records, each a flat list of
// (time_s, cpu energy_j) pairs.
std::string spool_of(const nlohmann::json& head, const std::vector<std::vector<double>>& records) {
  std::string bytes(magic);
  bytes += encode_record(RecordType::header, head.dump());
  for (const auto& values : records) {
    const std::uint32_t width = 2, count = static_cast<std::uint32_t>(values.size() / width);
    std::string payload(8 + values.size() * sizeof(double), '\0');
    std::memcpy(payload.data(), &count, 4);
    std::memcpy(payload.data() + 4, &width, 4);
    std::memcpy(payload.data() + 8, values.data(), values.size() * sizeof(double));
    bytes += encode_record(RecordType::samples, payload);
  }
  return bytes;
}

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

}  // namespace

TEST(Spool, RoundTrip) {
  TempDir dir;
  auto contents = read_spool_file(write_spool(dir));
  EXPECT_EQ(contents.node.node, "n1");
  EXPECT_EQ(contents.node.time_s.size(), 6u);
  EXPECT_DOUBLE_EQ(contents.node.domains[0].energy_j.back(), 50.0);
  EXPECT_EQ(contents.node.notes, std::vector<std::string>{"hello"});
  EXPECT_FALSE(contents.footer);
  EXPECT_EQ(contents.skipped_bytes, 0u);
}

TEST(Spool, TornTailIsSkippedAndCountedNothingValidLost) {
  TempDir dir;
  std::string bytes = read_all(write_spool(dir));
  const size_t note_bytes = 9 + std::string(R"({"note":"hello"})").size();
  for (size_t cut = 1; cut < note_bytes; ++cut) {  // a torn last record: every sample kept
    auto contents = parse_spool(bytes.substr(0, bytes.size() - cut), "torn");
    EXPECT_EQ(contents.node.time_s.size(), 6u) << cut;
    EXPECT_EQ(contents.skipped_bytes, note_bytes - cut);
  }
  // Torn inside the last samples record: the earlier two records are kept whole.
  auto contents = parse_spool(bytes.substr(0, bytes.size() - note_bytes - 5), "torn");
  EXPECT_EQ(contents.node.time_s.size(), 4u);
}

TEST(Spool, GarbageInTheMiddleIsSkippedAndLaterRecordsKept) {
  TempDir dir;
  std::string bytes = read_all(write_spool(dir));
  // Flip a byte inside the second samples record: that record is lost, the third is kept.
  size_t header_end = 8 + 9 + header().dump().size();
  size_t second = header_end + (9 + 8 + 4 * 8);
  bytes[second + 20] ^= 0x5a;
  auto contents = parse_spool(bytes, "damaged");
  EXPECT_EQ(contents.node.time_s.size(), 4u);
  EXPECT_DOUBLE_EQ(contents.node.time_s.back(), 5.0);
  EXPECT_GT(contents.skipped_bytes, 0u);
  EXPECT_EQ(contents.node.notes.size(), 1u);
}

TEST(Spool, NotASpoolOrNoHeaderIsAUsageError) {
  EXPECT_THROW(parse_spool("garbage", "x"), UsageError);
  EXPECT_THROW(parse_spool("ERGSPL1\n" + std::string(100, '\x07'), "x"), UsageError);
  EXPECT_THROW(read_spool_file("/nonexistent/n1.spool"), UsageError);
}

TEST(Spool, SampleRecordsWhoseEnergyIsNoReadingAreSkippedWhole) {
  // Between a good record (0 and 10 J) and a good one after it (40 and 50 J), one that no
  // sampler writes: it is skipped whole and counted, and the reading goes on after it.
  const std::vector<std::pair<const char*, std::vector<double>>> bad_records = {
      {"energy that goes down inside the record", {2, 30, 3, 20}},
      {"energy below the earlier record's", {2, 5, 3, 35}},
      {"energy below an earlier reading, after a failed read", {2, nan, 3, 9}},
      {"infinite energy", {2, inf, 3, 30}},
      {"minus infinite energy", {2, 20, 3, -inf}},
      {"1.7e308 J", {2, 1.7e308, 3, 1.7e308}},
      {"-1.7e308 J", {2, -1.7e308, 3, 30}},
      {"more than a node can count", {2, 2e15, 3, 2e15}},
  };
  for (const auto& [why, bad] : bad_records) {
    auto contents = parse_spool(spool_of(header(), {{0, 0, 1, 10}, bad, {4, 40, 5, 50}}), why);
    EXPECT_EQ(contents.skipped_records, 1u) << why;
    EXPECT_EQ(contents.node.time_s, (std::vector<double>{0, 1, 4, 5})) << why;
    EXPECT_EQ(contents.node.domains[0].energy_j, (std::vector<double>{0, 10, 40, 50})) << why;
  }
}

TEST(Spool, FailedReadsAndRoundingAreReadings) {
  // NaN is a failed read: kept as missing. A step down far below a joule is rounding, not damage.
  auto contents = parse_spool(spool_of(header(), {{0, 0, 1, nan, 2, 20}, {3, 20 - 1e-12, 4, 30}}), "n1");
  EXPECT_EQ(contents.skipped_records, 0u);
  ASSERT_EQ(contents.node.time_s.size(), 5u);
  EXPECT_TRUE(std::isnan(contents.node.domains[0].energy_j[1]));
  EXPECT_DOUBLE_EQ(contents.node.domains[0].energy_j[4], 30);
}

TEST(Spool, HeaderWithoutAPlausibleStartIsRefused) {
  // 1e11 s would print as a date in the year 5138 (or 1677, through int64 nanoseconds).
  for (double start_unix_s : {1e11, 0.0, -1.0, 946684799.0, 4102444801.0}) {
    auto head = header();
    head["start_unix_s"] = start_unix_s;
    EXPECT_THROW(parse_spool(spool_of(head, {{0, 0}}), "n1"), UsageError) << start_unix_s;
  }
  auto head = header();
  head.erase("start_unix_s");
  EXPECT_THROW(parse_spool(spool_of(head, {{0, 0}}), "n1"), UsageError);
  head["start_unix_s"] = 946684800.0;  // 2000-01-01
  EXPECT_EQ(parse_spool(spool_of(head, {{0, 0}}), "n1").node.time_s.size(), 1u);
}

TEST(SpoolDirectory, RefusesLinksAndUnsafeNames) {
  TempDir dir;
  std::filesystem::create_directory(dir / "elsewhere");
  std::filesystem::create_directory_symlink(dir / "elsewhere", dir / "42");
  EXPECT_THROW(JobSpoolDirectory::create(dir.path(), "42", std::nullopt, std::nullopt), std::runtime_error);
  EXPECT_THROW(JobSpoolDirectory::create(dir.path(), "../etc", std::nullopt, std::nullopt), UsageError);
  EXPECT_THROW(JobSpoolDirectory::create(dir.path(), "..", std::nullopt, std::nullopt), UsageError);

  auto job = JobSpoolDirectory::create(dir.path(), "43", std::nullopt, std::nullopt);
  EXPECT_EQ(std::filesystem::status(dir / "43").permissions() & std::filesystem::perms::others_all,
            std::filesystem::perms::none);
  std::filesystem::create_symlink("/etc/passwd", dir / "43/n1.spool");
  EXPECT_THROW(job.open_for_append("n1.spool"), std::runtime_error);
  EXPECT_FALSE(job.read_file("n1.spool"));  // a link is not read either
  EXPECT_THROW(job.open_for_append("a/b"), UsageError);
}

// Issue 14: a Slurm spool root that anyone but its owner can write is refused, whatever its
// sticky bit (in a 1777 root a user can still create a job's folder before the daemon). A
// spool beside a trace, in the user's own folder or /tmp, keeps the sticky exception.
TEST(SpoolDirectory, SpoolRootWritableByOthersIsRefusedEvenSticky) {
  TempDir dir;
  for (mode_t mode : {0777, 01777, 0775, 0757}) {
    ::chmod(dir.path().c_str(), mode);
    EXPECT_THROW(JobSpoolDirectory::create(dir.path(), "1", std::nullopt, std::nullopt), UsageError) << mode;
    EXPECT_THROW(JobSpoolDirectory::open(dir.path(), "1"), UsageError) << mode;
  }
  ::chmod(dir.path().c_str(), 0755);
  EXPECT_NO_THROW(JobSpoolDirectory::create(dir.path(), "1", std::nullopt, std::nullopt));
  ::chmod(dir.path().c_str(), 01777);
  EXPECT_NO_THROW(JobSpoolDirectory::create_at(dir / "job.spool"));
  if (::geteuid() == 0) {
    ::chmod(dir.path().c_str(), 0777);
    EXPECT_THROW(JobSpoolDirectory::create_at(dir / "job.spool"), UsageError);
  }
}

TEST(SpoolDirectory, AJobFolderWritableByOthersIsRefused) {
  TempDir dir;
  ::chmod(dir.path().c_str(), 0755);
  JobSpoolDirectory::create(dir.path(), "1", std::nullopt, std::nullopt);
  ::chmod((dir / "1").c_str(), 0770);
  EXPECT_THROW(JobSpoolDirectory::open(dir.path(), "1"), UsageError);
}

}  // namespace erg::spool
