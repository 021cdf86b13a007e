#pragma once
#include <dlfcn.h>

#include <string>

namespace erg {

// A library loaded at run time (dlopen), so that erg builds and runs where it is absent.
class SharedLibrary {
 public:
  explicit SharedLibrary(const std::string& path) : handle_(::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) {
    if (!handle_) error_ = ::dlerror();
  }
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;
  ~SharedLibrary() {
    if (handle_) ::dlclose(handle_);
  }
  bool loaded() const { return handle_ != nullptr; }
  const std::string& error() const { return error_; }

  template <typename Function>
  Function symbol(const char* name) const {
    return handle_ ? reinterpret_cast<Function>(::dlsym(handle_, name)) : nullptr;
  }

 private:
  void* handle_;
  std::string error_;
};

}  // namespace erg
