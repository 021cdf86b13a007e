// Hostile traces: files that declare more than they hold, or hold values no sensor reads.
// Each is refused with one UsageError, before anything large is allocated.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "packed_trace.hpp"
#include "temp_dir.hpp"
#include "trace/hdf5_handle.hpp"
#include "trace/read_budget.hpp"
#include "trace/trace_file.hpp"
#include "util/errors.hpp"

namespace erg {

using hdf5::Handle;
using testing::TempDir;

namespace {

// A good trace of one node, n1, whose cpu counts one joule per sample.
std::string good_trace(const TempDir& dir, size_t samples = 5, const std::string& name = "t.h5") {
  JobTrace trace;
  trace.job.job_id = "1";
  NodeTrace node;
  node.node = "n1";
  DomainSeries cpu{{"cpu", "model", "cpu model", {}, Measurement::model}, {}};
  for (size_t i = 0; i < samples; ++i) {
    node.time_s.push_back(0.1 * static_cast<double>(i));
    cpu.energy_j.push_back(static_cast<double>(i));
  }
  node.domains.push_back(cpu);
  trace.nodes.push_back(node);
  testing::write_packed_trace(trace, dir / name);
  return dir / name;
}

// Opens a trace for editing with the HDF5 C API, as a crafted file would be made.
template <typename Edit>
void edit(const std::string& path, Edit edit_file) {
  hdf5::QuietErrors quiet;
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
  ASSERT_TRUE(file.valid());
  edit_file(file.get());
}

// Replaces a dataset by one of n float64 values made with the given creation properties.
void replace_dataset(hid_t file, const char* path, hsize_t n, hid_t creation) {
  ASSERT_GE(H5Ldelete(file, path, H5P_DEFAULT), 0);
  hsize_t maxdims = H5S_UNLIMITED;
  Handle space(H5Screate_simple(1, &n, &maxdims), H5Sclose);
  Handle dataset(H5Dcreate2(file, path, H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, creation, H5P_DEFAULT), H5Dclose);
  ASSERT_TRUE(dataset.valid()) << path;
}

void write_values(hid_t file, const char* path, const std::vector<double>& values) {
  Handle dataset(H5Dopen2(file, path, H5P_DEFAULT), H5Dclose);
  ASSERT_GE(H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0);
}

// The message of the UsageError that reading path throws ("" when it reads).
std::string refusal(const std::string& path, std::uint64_t max_bytes = default_max_trace_bytes) {
  try {
    read_trace_file(path, max_bytes, TraceRead::samples);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

// Sets an environment variable for one scope.
class ScopedVariable {
 public:
  ScopedVariable(const char* name, const char* value) : name_(name) { ::setenv(name, value, 1); }
  ~ScopedVariable() { ::unsetenv(name_); }
  ScopedVariable(const ScopedVariable&) = delete;
  ScopedVariable& operator=(const ScopedVariable&) = delete;

 private:
  const char* name_;
};

}  // namespace

TEST(TraceReadLimits, CompressedDataDeclaringBillionsOfValuesIsRefusedBeforeTheyAreAllocated) {
  TempDir dir;
  std::string path = good_trace(dir);
  // 2^31 values (16 GiB) in deflated 8 MiB chunks, of which one is written: a small file.
  edit(path, [](hid_t file) {
    Handle creation(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    const hsize_t chunk = hsize_t{1} << 20;
    H5Pset_chunk(creation.get(), 1, &chunk);
    H5Pset_deflate(creation.get(), 9);
    replace_dataset(file, "/nodes/n1/time_s", hsize_t{1} << 31, creation.get());
    Handle dataset(H5Dopen2(file, "/nodes/n1/time_s", H5P_DEFAULT), H5Dclose);
    std::vector<double> zeros(chunk, 0.0);
    Handle memory(H5Screate_simple(1, &chunk, nullptr), H5Sclose);
    Handle selection(H5Dget_space(dataset.get()), H5Sclose);
    const hsize_t start = 0;
    H5Sselect_hyperslab(selection.get(), H5S_SELECT_SET, &start, nullptr, &chunk, nullptr);
    ASSERT_GE(H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, memory.get(), selection.get(), H5P_DEFAULT, zeros.data()), 0);
  });
  EXPECT_LT(std::filesystem::file_size(path), 100'000u);
  std::string message = refusal(path);
  EXPECT_NE(message.find("/nodes/n1/time_s declares 2147483648 values"), std::string::npos) << message;
  EXPECT_NE(message.find("compressed"), std::string::npos) << message;
}

TEST(TraceReadLimits, ValuesKeptOutsideTheFileAreRefused) {
  TempDir dir;
  std::string path = good_trace(dir);
  edit(path, [](hid_t file) {
    Handle creation(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    H5Pset_external(creation.get(), "/dev/zero", 0, 5 * sizeof(double));
    ASSERT_GE(H5Ldelete(file, "/nodes/n1/time_s", H5P_DEFAULT), 0);
    hsize_t n = 5;
    Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose);
    Handle dataset(H5Dcreate2(file, "/nodes/n1/time_s", H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, creation.get(),
                              H5P_DEFAULT),
                   H5Dclose);
    ASSERT_TRUE(dataset.valid());
  });
  std::string message = refusal(path);
  EXPECT_NE(message.find("outside the file"), std::string::npos) << message;
}

TEST(TraceReadLimits, ChunksLargerThanTheirDatasetAreRefused) {
  TempDir dir;
  std::string path = good_trace(dir);
  // Reading a chunk allocates all of it: 32 MiB here, for 5 values.
  edit(path, [](hid_t file) {
    Handle creation(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    const hsize_t chunk = hsize_t{1} << 22;
    H5Pset_chunk(creation.get(), 1, &chunk);
    H5Pset_deflate(creation.get(), 9);
    replace_dataset(file, "/nodes/n1/time_s", 5, creation.get());
    write_values(file, "/nodes/n1/time_s", {0, 0.1, 0.2, 0.3, 0.4});
  });
  std::string message = refusal(path);
  EXPECT_NE(message.find("declares chunks of 4194304 values for 5 values"), std::string::npos) << message;
}

TEST(TraceReadLimits, OneDatasetLinkedUnderManyNamesCountsEachTime) {
  TempDir dir;
  std::string path = good_trace(dir, 10'000);  // 80 kB per dataset
  edit(path, [](hid_t file) {
    for (int i = 0; i < 200; ++i)
      ASSERT_GE(H5Lcreate_hard(file, "/nodes/n1", file, ("/nodes/copy" + std::to_string(i)).c_str(), H5P_DEFAULT,
                               H5P_DEFAULT),
                0);
  });
  EXPECT_LT(std::filesystem::file_size(path), 1'000'000u);
  std::string message = refusal(path, 8u << 20);  // 201 nodes x 160 kB = 32 MB
  EXPECT_NE(message.find("too large to read"), std::string::npos) << message;
  EXPECT_NE(message.find("ERG_MAX_TRACE_BYTES"), std::string::npos) << message;
  EXPECT_EQ(read_trace_file(path, 64u << 20, TraceRead::samples).nodes.size(), 201u);
}

TEST(TraceReadLimits, TextBeyondTheLimitIsRefusedWhileItIsRead) {
  TempDir dir;
  JobTrace trace;
  NodeTrace node;
  node.node = "n1";
  trace.nodes.push_back(node);
  trace.notes.assign(1000, std::string(10'000, 'x'));  // 10 MB of notes
  trace.phases.assign(1000, Phase{std::string(10'000, 'p'), "train", 0, 1, 0});
  testing::write_packed_trace(trace, dir / "t.h5");
  std::string message = refusal(dir / "t.h5", 4u << 20);
  EXPECT_NE(message.find("too large to read"), std::string::npos) << message;
  EXPECT_EQ(read_trace_file(dir / "t.h5", 64u << 20, TraceRead::samples).notes.size(), 1000u);
}

TEST(TraceReadLimits, TheLimitComesFromErgMaxTraceBytes) {
  TempDir dir;
  std::string path = good_trace(dir);
  {
    ScopedVariable limit(max_trace_bytes_variable, "100");
    EXPECT_THROW(read_trace_file(path, TraceRead::samples), UsageError);
  }
  for (const char* bad : {"abc", "0", "-1", "", "1e9", "99999999999999999999999"}) {
    ScopedVariable limit(max_trace_bytes_variable, bad);
    try {
      read_trace_file(path, TraceRead::samples);
      ADD_FAILURE() << bad;
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(max_trace_bytes_variable), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(read_trace_file(path, TraceRead::samples).nodes.size(), 1u);
}

TEST(TraceReadLimits, EnergyThatIsNoReadingIsDamage) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<std::pair<const char*, double>> values_at_sample_2 = {
      {"a counter going down", 0.5}, {"inf", inf},   {"-inf", -inf},
      {"1.7e308", 1.7e308},          {"-1.7e308", -1.7e308}, {"2e15 J", 2e15},
  };
  for (const auto& [why, value] : values_at_sample_2) {
    TempDir dir;
    std::string path = good_trace(dir);
    edit(path, [value = value](hid_t file) { write_values(file, "/nodes/n1/energy_j/cpu", {0, 1, value, 3, 4}); });
    std::string message = refusal(path);
    EXPECT_NE(message.find("damaged erg trace: node n1: energy_j/cpu at sample 2"), std::string::npos)
        << why << ": " << message;
  }
  // After a failed read, the next reading is compared with the one before the failure.
  TempDir dir;
  std::string path = good_trace(dir);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  edit(path, [&](hid_t file) { write_values(file, "/nodes/n1/energy_j/cpu", {0, 2, nan, 1, 4}); });
  EXPECT_NE(refusal(path).find("at sample 3 goes down from 2 J to 1 J"), std::string::npos) << refusal(path);
}

TEST(TraceReadLimits, FailedReadsAndRoundingAreReadings) {
  TempDir dir;
  std::string path = good_trace(dir);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  edit(path, [&](hid_t file) { write_values(file, "/nodes/n1/energy_j/cpu", {nan, 1, nan, 1 - 1e-12, 4}); });
  JobTrace trace = read_trace_file(path, TraceRead::samples);
  EXPECT_TRUE(std::isnan(trace.nodes[0].domains[0].energy_j[2]));
  EXPECT_EQ(trace.nodes[0].domains[0].energy_j[4], 4);
}

}  // namespace erg
