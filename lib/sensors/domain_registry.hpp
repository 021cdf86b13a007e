#pragma once
#include <map>
#include <optional>
#include <string>

namespace erg {

// Who writes which domain of a node. Each domain is one dataset in the trace, so two sources
// writing the same name would lose the whole trace; every source claims its names here before
// it reads them, and the sources run in the registry's order (sensors/source_registry.cpp),
// so the earlier source wins.
class DomainRegistry {
 public:
  // Claims a fixed name ("cpu", "dram") for source. False when the name is taken, by
  // another source or by this one: a source that sums several zones into one domain claims
  // it once.
  bool claim(const std::string& name, const std::string& source);

  // Claims the first free name prefix<N>, N = 0, 1, ...: "gpu0", then "gpu1". A node's GPUs
  // of several vendors are then numbered one after the other, whoever claims first.
  std::string claim_next(const std::string& prefix, const std::string& source);

  // The source that holds name; nullopt when it is free.
  std::optional<std::string> owner(const std::string& name) const;

 private:
  std::map<std::string, std::string> owners_;  // domain -> source
};

}  // namespace erg
