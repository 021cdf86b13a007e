#include "spool/spool_reader.hpp"

#include "util/text.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <vector>

#include "trace/cumulative_energy.hpp"
#include "trace/recorded_ranges.hpp"
#include "trace/trace_schema.hpp"
#include "spool/spool_format.hpp"
#include "util/errors.hpp"
#include "util/file_descriptor.hpp"
#include "util/json_text.hpp"

namespace erg::spool {

namespace {

struct Record {
  RecordType type;
  std::string_view payload;
  size_t size;  // header + payload
};

std::optional<Record> record_at(std::string_view bytes, size_t offset) {
  if (bytes.size() - offset < record_header_bytes) return std::nullopt;
  std::uint32_t length = 0, crc = 0;
  std::memcpy(&length, bytes.data() + offset, 4);
  std::memcpy(&crc, bytes.data() + offset + 4, 4);
  auto type = static_cast<RecordType>(static_cast<unsigned char>(bytes[offset + 8]));
  if (type < RecordType::header || type > RecordType::footer) return std::nullopt;
  if (length > max_payload_bytes || length > bytes.size() - offset - record_header_bytes) return std::nullopt;
  std::string_view payload(bytes.data() + offset + record_header_bytes, length);
  if (checksum(type, payload) != crc) return std::nullopt;
  return Record{type, payload, record_header_bytes + length};
}

// A samples record is used whole or not at all: one whose energies go down or are not
// readings (inf, or beyond what a node can count; NaN is a failed read and kept) was not
// written by a sampler, so none of its samples is trusted. A sample without a finite time,
// or earlier than the one before, is only left out itself: it has no place on the clock.
bool add_samples(SpoolContents& out, std::string_view payload) {
  if (payload.size() < 8) return false;
  std::uint32_t count = 0, width = 0;
  std::memcpy(&count, payload.data(), 4);
  std::memcpy(&width, payload.data() + 4, 4);
  const size_t domains = out.node.domains.size();
  if (width != domains + 1 || payload.size() != 8 + size_t{count} * width * sizeof(double)) return false;

  // The last reading of each domain that was not NaN, from earlier records and then this one
  // (found by walking back only for contents this reader did not build).
  if (out.last_reading_j.size() != domains) {
    out.last_reading_j.assign(domains, std::nullopt);
    for (size_t d = 0; d < domains; ++d)
      for (auto it = out.node.domains[d].energy_j.rbegin(); it != out.node.domains[d].energy_j.rend(); ++it)
        if (!std::isnan(*it)) {
          out.last_reading_j[d] = *it;
          break;
        }
  }
  std::vector<std::optional<double>> last_j = out.last_reading_j;
  double last_time_s = out.node.time_s.empty() ? -1 : out.node.time_s.back();

  std::vector<double> kept;  // the record's usable rows, appended once all of them check out
  std::vector<double> row(width);
  const char* p = payload.data() + 8;
  for (std::uint32_t s = 0; s < count; ++s, p += width * sizeof(double)) {
    std::memcpy(row.data(), p, width * sizeof(double));
    if (!std::isfinite(row[0]) || row[0] < 0) continue;  // no time: not a sample
    if (!(row[0] >= last_time_s)) continue;              // out of order: not trusted
    for (size_t d = 0; d < domains; ++d) {
      const double energy_j = row[d + 1];
      if (!is_plausible_energy(energy_j)) return false;
      if (std::isnan(energy_j)) continue;
      if (last_j[d] && energy_decreases(*last_j[d], energy_j)) return false;
      last_j[d] = energy_j;
    }
    last_time_s = row[0];
    kept.insert(kept.end(), row.begin(), row.end());
  }
  for (size_t r = 0; r < kept.size(); r += width) {
    out.node.time_s.push_back(kept[r]);
    for (size_t d = 0; d < domains; ++d) out.node.domains[d].energy_j.push_back(kept[r + 1 + d]);
  }
  out.last_reading_j = std::move(last_j);  // the record is kept: its readings are the last ones
  return true;
}

// Domain names become HDF5 dataset names, and attribute keys attribute names.
bool is_usable_name(const std::string& name) {
  return !name.empty() && name.size() <= 200 && name != "." && name.find('/') == std::string::npos;
}

double finite_number(const nlohmann::json& header, const char* key, NumberRange range) {
  double value = header.at(key).get<double>();
  if (!range.contains(value)) throw std::invalid_argument(key);
  return value;
}

// A header is used whole or not at all: a spool whose header is not plainly right is refused,
// so that nothing in it reaches a trace that `erg report` would then refuse.
bool apply_header(SpoolContents& out, std::string_view payload) {
  try {
    auto header = nlohmann::json::parse(payload);
    NodeTrace node;
    node.node = header.at("node").get<std::string>();
    if (node.node.empty() || node.node.size() > 255) return false;
    for (const auto& d : header.at("domains")) {
      DomainInfo info{d.at("name").get<std::string>(), d.at("source").get<std::string>(),
                      d.value("path", std::string()), d.value("attributes", std::map<std::string, std::string>{})};
      info.measurement = d.contains("measurement") ? parse_measurement(d.at("measurement").get<std::string>())
                                                   : trace_schema::measurement_without_record(info.source);
      if (!is_usable_name(info.name) || node.domain(info.name)) return false;
      for (const auto& [key, value] : info.attributes)
        if (!is_usable_name(key)) return false;
      node.domains.push_back({std::move(info), {}});
    }
    if (node.domains.size() >= 63) return false;
    // erg collect aligns the nodes by it and dates the job from it: a spool without a
    // plausible one would date the job in 1970 or centuries away.
    finite_number(header, "start_unix_s", start_unix_range);
    if (header.contains("interval_s")) finite_number(header, "interval_s", interval_range);
    node.cpu_tdp_w = header.contains("cpu_tdp_w") ? finite_number(header, "cpu_tdp_w", {0, 1e6}) : 0.0;
    node.logical_cpus = header.value("logical_cpus", 0);
    if (node.logical_cpus < 0) return false;
    node.notes = header.value("notes", std::vector<std::string>{});
    if (header.contains("share")) {  // a node shared with other jobs: how its counters are split
      const auto& share = header.at("share");
      node.share.mode = share.at("mode").get<std::string>();
      if (node.share.mode != NodeShare::shared && node.share.mode != NodeShare::exclusive) return false;
      node.share.job_cpus = finite_number(share, "job_cpus", {0, 1e6});
      node.share.node_cpus = static_cast<int>(finite_number(share, "node_cpus", {1, 1e6}));
      node.share.idle_power_fraction = finite_number(share, "idle_power_fraction", {0.01, 1});
      node.share.allocation_source = escape_controls(share.value("allocation_source", std::string()).substr(0, 100));
      if (node.share.job_cpus > node.share.node_cpus) return false;
    }
    if (header.contains("job")) {
      const auto& job = header.at("job");
      if (!job.is_object()) return false;
      (void)job.value("name", std::string());  // each throws when the value is not text
      (void)job.value("user", std::string());
    }
    (void)header.value("job_id", std::string());
    out.node = std::move(node);
    out.header = std::move(header);
    return true;
  } catch (const std::exception&) {  // a missing key, a wrong type, a number out of range
    return false;
  }
}

}  // namespace

size_t read_records(SpoolContents& out, std::string_view bytes, size_t offset, bool complete) {
  bool have_header = !out.header.is_null();
  while (offset < bytes.size()) {
    auto record = record_at(bytes, offset);
    if (!record) {  // damaged: skip to the next place where a whole record checks out
      size_t resume = offset + 1;
      while (resume < bytes.size() && !record_at(bytes, resume)) ++resume;
      // A live spool's end may be a record still being written: it is damaged only once a
      // whole record follows it.
      if (resume == bytes.size() && !complete) return offset;
      out.skipped_bytes += resume - offset;
      offset = resume;
      continue;
    }
    offset += record->size;
    bool ok = true;
    switch (record->type) {
      case RecordType::header:
        ok = !have_header && apply_header(out, record->payload);
        have_header = have_header || ok;
        break;
      case RecordType::samples: ok = have_header && add_samples(out, record->payload); break;
      case RecordType::note:
        try {
          out.node.notes.push_back(nlohmann::json::parse(record->payload).at("note").get<std::string>());
        } catch (const nlohmann::json::exception&) {
          ok = false;
        }
        break;
      case RecordType::footer:
        try {
          out.footer = parse_footer(nlohmann::json::parse(record->payload));
          out.node.sampler_cpu_s = out.footer->sampler_cpu_s;
        } catch (const std::exception&) {
          ok = false;
        }
        break;
    }
    if (!ok) ++out.skipped_records;
  }
  return offset;
}

SpoolContents parse_spool(const std::string& bytes, const std::string& name) {
  if (bytes.compare(0, magic.size(), magic) != 0) throw UsageError(name + ": not an erg spool file");
  SpoolContents out;
  read_records(out, bytes, magic.size(), true);
  if (out.header.is_null()) throw UsageError(name + ": spool file without a valid header");
  return out;
}

SpoolContents contents_from_header(const nlohmann::json& header) {
  SpoolContents out;
  if (!apply_header(out, json_text(header))) throw std::runtime_error("not a valid spool header");
  return out;
}

void add_rows(SpoolContents& contents, const std::vector<double>& rows, size_t width) {
  // Through the samples record's own reader, so that rows kept in memory meet the same rules.
  const size_t per_record = 4096;
  for (size_t at = 0; at < rows.size(); at += per_record * width) {
    size_t n = std::min(rows.size() - at, per_record * width) / width;
    std::uint32_t count = static_cast<std::uint32_t>(n), w = static_cast<std::uint32_t>(width);
    std::string payload(8 + n * width * sizeof(double), '\0');
    std::memcpy(payload.data(), &count, 4);
    std::memcpy(payload.data() + 4, &w, 4);
    std::memcpy(payload.data() + 8, rows.data() + at, n * width * sizeof(double));
    if (!add_samples(contents, payload)) ++contents.skipped_records;
  }
}

std::optional<nlohmann::json> read_spool_header(const JobSpoolDirectory& dir, const std::string& name) {
  if (!is_safe_name(name)) return std::nullopt;
  FileDescriptor fd(::openat(dir.fd(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  std::string head(65536, '\0');
  ssize_t n = fd.valid() ? ::pread(fd.get(), head.data(), head.size(), 0) : -1;
  head.resize(n > 0 ? static_cast<size_t>(n) : 0);
  try {  // the header is the first record; what follows it may be cut here
    return parse_spool(head, name).header;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

SpoolContents read_spool_file(const std::string& path) {
  auto bytes = read_text_file(path);
  if (!bytes) throw UsageError(path + ": cannot be read");
  return parse_spool(*bytes, path);
}

}  // namespace erg::spool
