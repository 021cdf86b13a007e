#include "detach.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace erg::tools {

void detach_from_caller() {
  int ready[2];
  if (::pipe(ready) != 0) throw std::runtime_error(std::string("cannot detach: ") + std::strerror(errno));
  pid_t child = ::fork();
  if (child < 0) throw std::runtime_error(std::string("cannot detach: ") + std::strerror(errno));
  if (child > 0) {  // the caller's side: wait until the child is out of our process group
    ::close(ready[1]);
    char byte = 0;
    while (::read(ready[0], &byte, 1) < 0 && errno == EINTR) {
    }
    ::_exit(0);
  }
  ::close(ready[0]);
  ::setsid();
  int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null >= 0) {
    ::dup2(null, STDIN_FILENO);
    ::close(null);
  }
  char byte = 1;
  [[maybe_unused]] ssize_t n = ::write(ready[1], &byte, 1);
  ::close(ready[1]);
}

}  // namespace erg::tools
