#pragma once

namespace erg::tools {

// Leaves the caller (a Slurm prolog or epilog) behind: forks, the child starts its own
// session, and only then does the parent exit. Slurm kills a script's process group when the
// script ends; a daemon started with `setsid prog &` races that kill, one detached by this
// handshake cannot lose it. Call before any thread starts. Returns in the child only.
void detach_from_caller();

}  // namespace erg::tools
