#include "sampler/spool_beside_trace.hpp"

#include <filesystem>

namespace erg {

std::string SpoolBesideTrace::path_for(const std::string& trace_path) {
  return std::filesystem::path(trace_path).replace_extension(".spool").string();  // as job.json beside it
}

std::string SpoolBesideTrace::kept_note(const std::string& trace_path) {
  return "the measurements are kept in " + path_for(trace_path) + ": `erg collect " + path_for(trace_path) +
         "` writes " + trace_path + " once that is possible";
}

SpoolBesideTrace::SpoolBesideTrace(const std::string& trace_path, const Sampler& sampler, const nlohmann::json& header,
                                   double flush_s, Warn warn, std::function<void()> also_each_flush)
    : path_(path_for(trace_path)),
      folder_(spool::JobSpoolDirectory::create_at(path_)),
      node_file_(header.at("node").get<std::string>() + ".spool"),
      node_(folder_, sampler, header),
      warn_(std::move(warn)),
      also_each_flush_(std::move(also_each_flush)) {
  flusher_ = std::make_unique<PeriodicThread>(flush_s, [this] {
    if (std::string error = node_.flush(); !error.empty()) warn_(path_ + ": " + error);
    if (also_each_flush_) also_each_flush_();
  });
}

SpoolBesideTrace::~SpoolBesideTrace() { flusher_.reset(); }

void SpoolBesideTrace::finish(const nlohmann::json& footer) {
  flusher_.reset();
  if (std::string error = node_.finish(footer); !error.empty()) warn_(path_ + ": " + error);
}

void SpoolBesideTrace::remove() {
  flusher_.reset();
  folder_.remove(node_file_);
  spool::JobSpoolDirectory::remove_if_empty(path_);
}

}  // namespace erg
