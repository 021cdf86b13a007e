#pragma once
#include <memory>
#include <mutex>
#include <string>

namespace erg::metrics {

// The text of the last scrape page, built by the sampling side and handed whole to every
// scraper: a scrape copies a pointer under a lock held for nanoseconds, so neither side
// ever waits for the other's work (a slow scraper keeps its own copy alive).
class LatestText {
 public:
  void publish(std::string text);
  std::shared_ptr<const std::string> get() const;

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const std::string> text_ = std::make_shared<const std::string>();
};

}  // namespace erg::metrics
