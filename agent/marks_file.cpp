#include "marks_file.hpp"
#include "util/json_text.hpp"

#include <unistd.h>

namespace erg {

MarksFile::MarksFile(const spool::JobSpoolDirectory& folder, double flush_s, Snapshot snapshot, Failed failed)
    : folder_(folder), name_("agent-" + std::to_string(::getpid()) + ".json") {
  saver_ = std::make_unique<PeriodicThread>(flush_s, [this, snapshot = std::move(snapshot), failed = std::move(failed)] {
    auto marks = snapshot();
    if (!marks) return;
    try {
      save(*marks);
    } catch (const std::exception&) {  // tried again at the next flush, and at finalize
      failed();
    }
  });
}

MarksFile::~MarksFile() { stop_saving(); }

void MarksFile::stop_saving() { saver_.reset(); }

void MarksFile::save(const JobMarks& marks) const { folder_.write_mark(name_, json_text(marks_json(marks))); }

void MarksFile::remove() const { folder_.remove("marks/" + name_); }

}  // namespace erg
