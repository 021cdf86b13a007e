#include "sensors/domain_registry.hpp"

namespace erg {

bool DomainRegistry::claim(const std::string& name, const std::string& source) {
  return owners_.emplace(name, source).second;
}

std::string DomainRegistry::claim_next(const std::string& prefix, const std::string& source) {
  for (unsigned n = 0;; ++n) {
    std::string name = prefix + std::to_string(n);
    if (claim(name, source)) return name;
  }
}

std::optional<std::string> DomainRegistry::owner(const std::string& name) const {
  auto it = owners_.find(name);
  if (it == owners_.end()) return std::nullopt;
  return it->second;
}

}  // namespace erg
