// libFuzzer: the marks reader, which root's erg collect runs on files the job's user writes
// (marks/*.json): nothing may crash it, nest it into a stack overflow or make it keep what
// breaks the rules (docs/security.md).
#include <cstddef>
#include <cstdint>
#include <string>

#include "aggregator/job_marks.hpp"
#include "util/json_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    erg::JobMarks marks = erg::parse_marks(text);
    if (marks.n_ranks < 0) __builtin_trap();
    for (const auto& p : marks.phases)
      if (!(p.end_s >= p.start_s) || p.items > 1000000000000000ull) __builtin_trap();
    // What was kept is written back as valid JSON and reads back the same way.
    erg::JobMarks again = erg::parse_marks(erg::json_text(erg::marks_json(marks)));
    if (again.phases.size() != marks.phases.size() || again.metrics.size() != marks.metrics.size()) __builtin_trap();
  } catch (const std::runtime_error&) {
  }
  return 0;
}
