#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "aggregator/job_marks.hpp"
#include "spool/spool_directory.hpp"
#include "util/periodic_thread.hpp"

namespace erg {

// Rank 0's phase marks in its job's spool folder (marks/agent-<pid>.json): saved at each
// flush while they change and at finalize, so that a killed job keeps its phases.
class MarksFile {
 public:
  // Called on the saving thread: the marks to save, or nothing when they have not changed
  // (or the agent is busy: it is asked again at the next flush).
  using Snapshot = std::function<std::optional<JobMarks>()>;
  // Called when a save failed (a full disk): the caller marks its marks as changed again.
  using Failed = std::function<void()>;

  MarksFile(const spool::JobSpoolDirectory& folder, double flush_s, Snapshot snapshot, Failed failed);
  ~MarksFile();
  void stop_saving();            // before the last save(), at finalize
  void save(const JobMarks& marks) const;  // throws std::runtime_error
  void remove() const;           // once a written trace holds the marks

 private:
  const spool::JobSpoolDirectory& folder_;
  std::string name_;
  std::unique_ptr<PeriodicThread> saver_;
};

}  // namespace erg
