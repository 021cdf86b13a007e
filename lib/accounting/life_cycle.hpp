#pragma once
#include <optional>

#include "accounting/job_account.hpp"

namespace erg {

// The consolidated life-cycle model (Strubell/Patterson-style life cycle as in the
// life-cycle paper): L = CT + T + e x I, with CT the architecture search energy, T the
// training energy and I the energy of one inference; all IT energy in joules.
struct LifeCycle {
  double search_j = 0;                       // CT: the search phases
  double training_j = 0;                     // T: the train phases
  std::optional<double> inference_j_per_item;  // I: inference phase energy / its items
  double inferences = 0;                     // e: lifetime inferences projected
  double lifetime_j = 0;                     // L = CT + T + e x I
  // Inferences after which inference energy overtakes CT + T; none without I.
  std::optional<double> break_even_inferences;
};

// Life-cycle figures from measured phases; e defaults to the inferences measured.
LifeCycle life_cycle_of(const JobAccount& account, std::optional<double> lifetime_inferences);

// The same model from given figures (erg estimate): T = I x D x E x F, CT = H x T.
LifeCycle life_cycle_model(double inference_j, double samples, double epochs, double training_factor,
                           double searches, double inferences);

struct Overheads {
  double facility_j = 0;                 // (PUE - 1) x IT energy
  std::optional<double> training_ratio;  // training energy per item / inference energy per item
  double idle_j = 0;                     // energy outside any phase
  double idle_share = 0;                 // idle_j / IT energy
  double measurement_cpu_s = 0;          // the samplers' own CPU time
  double measurement_j = 0;              // its estimated energy
  double measurement_share = 0;          // measurement_j / IT energy
};

Overheads overheads_of(const std::vector<NodeSummary>& nodes, const JobAccount& account);

}  // namespace erg
