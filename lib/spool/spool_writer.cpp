#include "spool/spool_writer.hpp"
#include "util/json_text.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace erg::spool {

SpoolWriter::SpoolWriter(FileDescriptor fd) : fd_(std::move(fd)) {
  struct stat st {};
  if (::fstat(fd_.get(), &st) == 0 && st.st_size == 0) {
    if (::write(fd_.get(), magic.data(), magic.size()) != static_cast<ssize_t>(magic.size()))
      throw std::runtime_error(std::string("cannot write the spool: ") + std::strerror(errno));
  }
}

void SpoolWriter::append(RecordType type, std::string_view payload) {
  std::string record = encode_record(type, payload);
  struct stat st {};
  off_t before = ::fstat(fd_.get(), &st) == 0 ? st.st_size : -1;
  ssize_t n;
  do {
    n = ::write(fd_.get(), record.data(), record.size());
  } while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(record.size())) {
    int error = n < 0 ? errno : ENOSPC;
    // A torn record would be skipped by the reader anyway; cutting it keeps the file clean.
    if (before >= 0 && ::ftruncate(fd_.get(), before) != 0) {
    }
    throw std::runtime_error(std::string("cannot write the spool: ") + std::strerror(error));
  }
}

void SpoolWriter::write_header(const nlohmann::json& header) { append(RecordType::header, json_text(header)); }

void SpoolWriter::write_samples(const std::vector<double>& rows, size_t width) {
  if (rows.empty() || width == 0) return;
  std::uint32_t count = static_cast<std::uint32_t>(rows.size() / width), w = static_cast<std::uint32_t>(width);
  std::string payload(8 + rows.size() * sizeof(double), '\0');
  std::memcpy(payload.data(), &count, 4);
  std::memcpy(payload.data() + 4, &w, 4);
  std::memcpy(payload.data() + 8, rows.data(), rows.size() * sizeof(double));
  append(RecordType::samples, payload);
}

void SpoolWriter::write_note(const std::string& note) { append(RecordType::note, json_text(nlohmann::json{{"note", note}})); }

void SpoolWriter::write_footer(const SpoolFooter& footer) { append(RecordType::footer, json_text(footer_json(footer))); }

void SpoolWriter::sync() {
  if (::fdatasync(fd_.get()) != 0 && errno != EINVAL)
    throw std::runtime_error(std::string("cannot sync the spool: ") + std::strerror(errno));
}

}  // namespace erg::spool
