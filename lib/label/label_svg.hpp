#pragma once
#include <map>
#include <string>

#include "label/model_labels.hpp"

namespace erg {

// One label in the look of an EU energy label: the A-E arrow scale with the model's class
// highlighted, its key figures, task and environment. Self-contained SVG.
std::string label_svg(const ModelLabel& label, const std::string& reference,
                      const std::map<std::string, std::string>& facts);

}  // namespace erg
