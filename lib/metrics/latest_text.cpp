#include "metrics/latest_text.hpp"

namespace erg::metrics {

void LatestText::publish(std::string text) {
  auto next = std::make_shared<const std::string>(std::move(text));
  std::lock_guard lock(mutex_);
  text_.swap(next);  // the old text is freed outside the lock (next's destructor)
}

std::shared_ptr<const std::string> LatestText::get() const {
  std::lock_guard lock(mutex_);
  return text_;
}

}  // namespace erg::metrics
