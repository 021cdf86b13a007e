#include "stamped_stderr.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <streambuf>

#include "config/node_name.hpp"
#include "config/settings.hpp"

namespace erg::tools {

namespace {

// The value of --job (as "--job X" or "--job=X"), or "?".
std::string job_argument(const Arguments& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--job" && i + 1 < args.size()) return args[i + 1];
    if (args[i].rfind("--job=", 0) == 0) return args[i].substr(6);
  }
  return "?";
}

// `2>>log`, as the Slurm scripts run erg: a log file, not a terminal or a caller's pipe.
bool appends_to_file(int fd) {
  struct stat info {};
  int flags = ::fcntl(fd, F_GETFL);
  return flags >= 0 && (flags & O_APPEND) && ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode);
}

std::string utc_now() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace

class StampedStderr::LineBuffer : public std::streambuf {
 public:
  explicit LineBuffer(std::string context) : context_(std::move(context)) {}
  ~LineBuffer() override {
    if (!line_.empty()) write_line();
  }

 protected:
  // The daemon's threads (the flusher's warnings, the main thread's) share std::cerr.
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    std::lock_guard lock(mutex_);
    put(static_cast<char>(c));
    return c;
  }
  std::streamsize xsputn(const char* text, std::streamsize n) override {
    std::lock_guard lock(mutex_);
    for (std::streamsize i = 0; i < n; ++i) put(text[i]);
    return n;
  }

 private:
  // Longer lines are cut: a log line is for a person to read, and one write(2) stays atomic.
  static constexpr std::size_t max_line_bytes = 3000;

  void put(char c) {
    if (c == '\n') {
      write_line();
    } else if (line_.size() < max_line_bytes) {
      line_.push_back(c);
    }
  }

  void write_line() {
    std::string text = utc_now() + " " + context_ + ": " + line_ + "\n";
    line_.clear();
    const char* data = text.data();
    std::size_t left = text.size();
    while (left > 0) {
      ssize_t n = ::write(STDERR_FILENO, data, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // a log that cannot be written is not the job's problem
      data += n;
      left -= static_cast<std::size_t>(n);
    }
  }

  std::mutex mutex_;
  std::string context_;
  std::string line_;
};

StampedStderr::StampedStderr(const std::string& command, const Arguments& args) {
  if (!appends_to_file(STDERR_FILENO)) return;
  Settings node;  // only the node's name; the command itself reads and checks all settings
  if (const char* name = std::getenv("ERG_NODE_NAME")) node.node_name = name;
  buffer_ = std::make_unique<LineBuffer>("erg " + command + " job " + job_argument(args) + " node " + node_name(node));
  previous_ = std::cerr.rdbuf(buffer_.get());
}

StampedStderr::~StampedStderr() {
  if (buffer_) std::cerr.rdbuf(previous_);
}

}  // namespace erg::tools
