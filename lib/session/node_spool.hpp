#pragma once
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "sampler/sampler.hpp"
#include "spool/spool_directory.hpp"
#include "spool/spool_writer.hpp"

namespace erg {

// How often spools are flushed unless told otherwise (erg agent --flush): what a kill loses.
inline constexpr double default_spool_flush_s = 1.0;

// Another process holds the node's spool: it is already being sampled.
struct SpoolLocked : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A node's crash-safe copy of its sampler's samples, <node>.spool in a job's spool folder:
// what a killed job keeps. The file stays locked while this object lives, so that erg
// collect knows the node is done when it can take the lock (a killed process lets go too).
class NodeSpool {
 public:
  // Opens the file, locks it and writes the header (spool::spool_header) if it is new.
  // Throws SpoolLocked, or std::runtime_error when it cannot be written.
  NodeSpool(const spool::JobSpoolDirectory& dir, const Sampler& sampler, const nlohmann::json& header);

  // Appends the samples taken since the last flush and syncs them to the disk. A failed
  // write (a full disk) keeps them for the next flush; returns its message when it is a new
  // one, so that the caller says each problem once, else "".
  std::string flush();
  // After the sampler has stopped: the last samples, the notes the sampler gathered while
  // running, and the final record that tells erg collect the node ended cleanly.
  std::string finish(const nlohmann::json& footer);

 private:
  const Sampler& sampler_;
  spool::SpoolWriter writer_;
  std::vector<std::string> header_notes_;
  size_t flushed_ = 0;
  std::string last_error_;
};

}  // namespace erg
