#include "util/trusted_folder.hpp"

#include <unistd.h>

namespace erg {

std::string folder_trust_problem(const struct stat& st) {
  if (st.st_uid != 0 && st.st_uid != ::geteuid()) return "belongs to another user (uid " + std::to_string(st.st_uid) + ")";
  if (st.st_mode & (S_IWGRP | S_IWOTH)) return "is writable by others than its owner";
  return "";
}

}  // namespace erg
