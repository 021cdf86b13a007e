#pragma once
#include <sys/stat.h>

#include <string>

namespace erg {

// Why a folder that erg writes in as root cannot be trusted, or "": who may write it must be
// its owner only, and the owner root or erg's own user. Anyone else who can write it can
// rename entries, plant links or forge files there, whatever the sticky bit says (it does
// not stop mkdir, or renaming one's own). Used for the spool root, its job folders and the
// ledger's folder.
std::string folder_trust_problem(const struct stat& folder);

}  // namespace erg
