#pragma once
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "sampler/sample_window.hpp"
#include "spool/spool_directory.hpp"
#include "spool/spool_footer.hpp"
#include "spool/spool_writer.hpp"

namespace erg {

// How often spools are flushed unless told otherwise (erg agent --flush): what a kill loses.
inline constexpr double default_spool_flush_s = 1.0;

// Another process holds the node's spool: it is already being sampled.
struct SpoolLocked : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A node's crash-safe record of its samples, <node>.spool in a job's spool folder: what a
// killed job keeps, and what its trace is built from. The file stays locked while this
// object lives, so that erg collect knows the node is done when it can take the lock (a
// killed process lets go too).
class NodeSpool {
 public:
  // Opens the file, locks it and writes the header (spool::spool_header).
  // Throws SpoolLocked, or std::runtime_error when it cannot be written.
  NodeSpool(const spool::JobSpoolDirectory& dir, const nlohmann::json& header, size_t row_width);

  // Appends rows (whole samples) and syncs them to the disk. A failed write (a full disk)
  // keeps them, bounded (SampleWindow), for the next flush; returns its message when it is
  // a new one, so that the caller says each problem once, else "".
  std::string flush(const std::vector<double>& rows);
  // The last rows, the notes gathered while sampling, and the final record that tells erg
  // collect the node ended cleanly.
  std::string finish(const std::vector<double>& rows, const std::vector<std::string>& notes, spool::SpoolFooter footer);
  const std::string& file_name() const { return file_name_; }

 private:
  std::string file_name_;
  spool::SpoolWriter writer_;
  std::vector<std::string> header_notes_;
  SampleWindow unwritten_;
  std::vector<double> batch_;
  std::string last_error_;
};

}  // namespace erg
