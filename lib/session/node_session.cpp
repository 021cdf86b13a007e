#include "session/node_session.hpp"

#include <algorithm>

#include "spool/spool_header.hpp"
#include "util/monotonic_clock.hpp"

namespace erg {

namespace {

// What the spool header records of the node before its first sample.
NodeTrace node_before_sampling(const std::string& node, const NodeShare& share, const Sampler& sampler,
                               const NodeSensors& sensors) {
  NodeTrace trace;
  trace.node = node;
  trace.share = share;
  for (const auto& d : sampler.domains()) trace.domains.push_back({d, {}});
  trace.cpu_tdp_w = sensors.cpu_tdp.tdp_w;
  trace.logical_cpus = sensors.cpu_tdp.logical_cpus;
  trace.notes = sensors.warnings;
  return trace;
}

}  // namespace

NodeSession::NodeSession(const NodeSessionOptions& options, const spool::JobSpoolDirectory* folder, Warn warn)
    : node_(options.node), folder_(folder), warn_(std::move(warn)) {
  SensorSettings sensor_settings = options.sensors;
  sensor_settings.record_cpu_time = options.share.is_shared();  // the split's inputs
  NodeSensors sensors = discover_node_sensors(sensor_settings);
  for (const auto& w : sensors.warnings) warn_("warning: " + w);
  NodeSensors header_part;
  header_part.cpu_tdp = sensors.cpu_tdp;
  header_part.warnings = sensors.warnings;
  const bool own_time_base = options.origin_s == 0;
  const double origin_s = own_time_base ? monotonic_now_s() : options.origin_s;
  const double start_unix_s = own_time_base ? unix_now_s() : options.start_unix_s;
  sampler_ = std::make_unique<Sampler>(std::move(sensors), options.interval_s, origin_s);
  if (options.sampler_cpus && CPU_COUNT(&*options.sampler_cpus) > 0) sampler_->set_cpus(*options.sampler_cpus);
  header_ = spool::spool_header(node_before_sampling(node_, options.share, *sampler_, header_part), options.job, start_unix_s,
                                options.interval_s);
  if (folder_) {
    try {
      spool_ = std::make_unique<NodeSpool>(*folder_, header_, sampler_->row_width());
    } catch (const SpoolLocked&) {
      throw;
    } catch (const std::exception& e) {
      if (options.spool_required) throw;
      warn_(std::string("warning: no crash-safe copy of this node's samples (") + e.what() +
            "): if the job is killed, they are lost");
    }
  }
  if (!spool_) kept_.emplace(sampler_->row_width(), Sampler::default_window_rows);
  flush_s_ = options.flush_s;
}

NodeSession::~NodeSession() {
  try {
    stop("end");
  } catch (...) {  // a destructor must not throw; stop() says what failed
  }
}

void NodeSession::start() {
  sampler_->start();
  flusher_ = std::make_unique<PeriodicThread>(flush_s_, [this] { flush(); });
}

double NodeSession::sample_now() { return sampler_->sample_now(); }

void NodeSession::flush() {
  std::lock_guard lock(flush_mutex_);
  if (footer_) return;
  taken_.clear();
  sampler_->take_samples(taken_);
  if (spool_) {
    if (std::string error = spool_->flush(taken_); !error.empty()) warn_(folder_->path() + ": " + error);
  } else {
    kept_->append(taken_);
  }
}

void NodeSession::stop(const std::string& stopped_by) {
  flusher_.reset();
  std::lock_guard lock(flush_mutex_);
  if (footer_) return;
  sampler_->stop();
  taken_.clear();
  sampler_->take_samples(taken_);
  notes_ = sampler_->sensor_notes();
  spool::SpoolFooter footer{sampler_->sampler_cpu_s(), stopped_by, unix_now_s(), sampler_->thinned_samples()};
  if (spool_) {
    if (std::string error = spool_->finish(taken_, notes_, footer); !error.empty()) warn_(folder_->path() + ": " + error);
  } else {
    kept_->append(taken_);
    footer.thinned_samples += kept_->thinned_rows();
  }
  footer_ = footer;
}

spool::SpoolContents NodeSession::contents() const {
  if (spool_) {
    auto bytes = folder_->read_file(spool_->file_name());
    if (!bytes) throw std::runtime_error(folder_->path() + "/" + spool_->file_name() + " cannot be read back");
    return spool::parse_spool(*bytes, folder_->path() + "/" + spool_->file_name());
  }
  // The same shape as a spool's contents, from the samples kept in memory.
  spool::SpoolContents contents = spool::contents_from_header(header_);
  spool::add_rows(contents, kept_->values(), kept_->width());
  contents.node.notes.insert(contents.node.notes.end(), notes_.begin(), notes_.end());
  contents.footer = footer_;
  if (footer_) contents.node.sampler_cpu_s = footer_->sampler_cpu_s;
  return contents;
}

}  // namespace erg
