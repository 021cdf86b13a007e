#include <iostream>
#include <nlohmann/json.hpp>
#include <vector>

#include "accounting/emission_factors.hpp"
#include "accounting/grid_carbon.hpp"
#include "accounting/estimates.hpp"
#include "accounting/job_account.hpp"
#include "accounting/life_cycle.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "report/report_tables.hpp"
#include "util/errors.hpp"
#include "util/json_text.hpp"
#include "util/number_format.hpp"
#include "util/utc_date.hpp"

namespace erg::tools {

namespace {

constexpr const char* usage =
    "erg estimate [--energy-kwh E | --hours H [--cores N --core-w W] [--gpus N --gpu-w W] [--memory-gb M] [--usage U]\n"
    "                [--start TIME --intensity FILE.csv]\n"
    "              | --inference-j I --samples D --epochs E [--training-factor F] [--searches H] [--inferences e]\n"
    "              | --macs N --bits 8|16|32 [--accesses-8kb N] [--accesses-32kb N] [--accesses-1mb N] "
    "[--accesses-dram N]]\n"
    "              [--pue P] [--region R | --emission-factor G | --mix fuel=share,...] [--format text|json]";

// The forms of an estimate: the option that selects each, and the options it takes.
struct Form {
  const char* name;
  std::vector<const char*> options;  // the first selects the form
};
const std::vector<Form> forms = {
    {"energy", {"energy-kwh"}},
    {"hardware", {"hours", "cores", "core-w", "gpus", "gpu-w", "memory-gb", "usage"}},
    {"life-cycle", {"inference-j", "samples", "epochs", "training-factor", "searches", "inferences"}},
    {"operations", {"macs", "bits", "accesses-8kb", "accesses-32kb", "accesses-1mb", "accesses-dram"}},
};

struct Inputs {
  const po::variables_map& vm;
  bool has(const char* name) const { return vm.count(name) > 0; }
  double number(const char* name, double fallback, double min = 0, double max = 1e18) const {
    return has(name) ? checked_number(name, vm[name].as<double>(), min, max) : fallback;
  }
  double required(const char* name, const char* form) const {
    if (!has(name)) throw UsageError(std::string("--") + name + " is needed for the " + form + " estimate");
    return number(name, 0);
  }
};

}  // namespace

int command_estimate(const Arguments& args) {
  po::options_description own("erg estimate");
  own.add_options()
      ("format", po::value<std::string>(), "text or json")
      ("energy-kwh", po::value<double>(), "from energy: IT energy in kWh")
      ("hours", po::value<double>(), "from hardware: run time in hours")
      ("cores", po::value<double>(), "CPU cores")
      ("core-w", po::value<double>(), "W per core (default 12, Green Algorithms 'Any')")
      ("gpus", po::value<double>(), "GPUs")
      ("gpu-w", po::value<double>(), "W per GPU (default 200, Green Algorithms 'Any')")
      ("memory-gb", po::value<double>(), "memory in GB (0.3725 W/GB)")
      ("usage", po::value<double>(), "usage factor of cores and GPUs, 0..1 (default 1)")
      ("start", po::value<std::string>(), "with --hours and --intensity: when the run starts (ISO 8601 UTC), for the grid's intensity then")
      ("inference-j", po::value<double>(), "life cycle: energy of one inference I in J")
      ("samples", po::value<double>(), "training samples D")
      ("epochs", po::value<double>(), "epochs E")
      ("training-factor", po::value<double>(), "training energy per sample over inference energy F (default 5)")
      ("searches", po::value<double>(), "architecture search trainings H (default 0)")
      ("inferences", po::value<double>(), "lifetime inferences e (default 0)")
      ("macs", po::value<double>(), "operations: multiply-accumulates")
      ("bits", po::value<int>(), "operand width: 8, 16 or 32")
      ("accesses-8kb", po::value<double>(), "memory accesses to memories under 8 KB")
      ("accesses-32kb", po::value<double>(), "... under 32 KB")
      ("accesses-1mb", po::value<double>(), "... under 1 MB")
      ("accesses-dram", po::value<double>(), "... over 1 MB (DRAM)");
  po::variables_map vm;
  if (!parse_command_line(args, usage, own, vm)) return 0;
  std::string format = checked_format(vm, {"text", "json"});
  Settings settings = settings_from(vm);
  Inputs in{vm};

  int chosen = 0;
  for (const auto& form : forms) chosen += in.has(form.options.front());
  if (chosen != 1)
    throw UsageError(chosen == 0 ? "say what to estimate from: --energy-kwh, --hours, --inference-j or --macs"
                                 : "give one form only: --energy-kwh, --hours, --inference-j or --macs");
  // An option of another form would be ignored, and the estimate not be the one that was asked for.
  for (const auto& form : forms)
    if (!in.has(form.options.front()))
      for (const char* option : form.options)
        if (in.has(option))
          throw UsageError(std::string("--") + option + " belongs to the " + form.name + " estimate (--" +
                           form.options.front() + "), not this one");
  nlohmann::json out;
  double it_j = 0;
  std::optional<LifeCycle> lc;
  if (in.has("energy-kwh")) {
    out["form"] = "energy";
    it_j = in.number("energy-kwh", 0) * joules_per_kwh;
  } else if (in.has("hours")) {
    out["form"] = "hardware";
    double cores = in.number("cores", 0), gpus = in.number("gpus", 0);
    if (cores == 0 && gpus == 0 && !in.has("memory-gb")) throw UsageError("--hours needs --cores, --gpus or --memory-gb");
    it_j = hardware_energy_j(in.number("hours", 0), cores, in.number("core-w", 12, 0, 1e4), gpus,
                             in.number("gpu-w", 200, 0, 1e5), in.number("memory-gb", 0), in.number("usage", 1, 0, 1));
  } else if (in.has("inference-j")) {
    out["form"] = "life-cycle";
    lc = life_cycle_model(in.number("inference-j", 0), in.required("samples", "life-cycle"),
                          in.required("epochs", "life-cycle"), in.number("training-factor", 5),
                          in.number("searches", 0), in.number("inferences", 0));
    it_j = lc->lifetime_j;
  } else {
    out["form"] = "operations";
    if (!in.has("bits")) throw UsageError("--bits (8, 16 or 32) is needed for the operations estimate");
    it_j = operations_energy_j(in.number("macs", 0), vm["bits"].as<int>(),
                               {in.number("accesses-8kb", 0), in.number("accesses-32kb", 0),
                                in.number("accesses-1mb", 0), in.number("accesses-dram", 0)});
  }

  CarbonSettings carbon = resolve_carbon(settings, resolve_data_dir(settings));
  double operational_g = co2e_g(it_j, carbon);
  if (vm.count("start") || !carbon.intensity.empty()) {
    // A run at a time: its facility energy spread evenly over [start, start + hours] of the series.
    if (!in.has("hours")) throw UsageError("--start and --intensity take the hardware estimate (--hours): a run has a duration");
    if (!vm.count("start") || carbon.intensity.empty()) throw UsageError("--start and --intensity go together");
    const std::string start_text = vm["start"].as<std::string>();
    const auto start = parse_iso8601(start_text);
    if (!start) throw UsageError("--start must be an ISO 8601 time (2026-12-03T10:00:00Z), not '" + start_text.substr(0, 40) + "'");
    const double end = *start + in.number("hours", 0) * 3600;
    if (std::string problem = intensity_coverage_problem(carbon, *start, end); !problem.empty()) throw UsageError(problem);
    const GridCarbon grid(carbon);
    double uncovered_j = 0;
    operational_g = grid.co2e_g(facility_energy_j(it_j, carbon), *start, end, uncovered_j);
    out["start_utc"] = iso8601_utc(*start);
    out["intensity_source"] = carbon.intensity.source;
    out["uncovered_facility_kwh"] = uncovered_j / joules_per_kwh;
    if (auto best = best_start(grid, {facility_energy_j(it_j, carbon)}, end - *start)) {
      out["best_start_utc"] = iso8601_utc(best->start_unix_s);
      out["best_start_co2e_kg"] = best->co2e_g / 1000;
    }
  }
  out["it_energy_kwh"] = it_j / joules_per_kwh;
  out["facility_energy_kwh"] = facility_energy_j(it_j, carbon) / joules_per_kwh;
  out["co2e_kg"] = operational_g / 1000;
  out["pue"] = carbon.pue;
  out["pue_source"] = carbon.pue_source;
  out["emission_factor_g_per_kwh"] = carbon.emission_factor_g_per_kwh;
  out["emission_factor_source"] = carbon.emission_factor_source;
  out["region"] = carbon.region;
  if (lc) {
    out["search_kwh"] = lc->search_j / joules_per_kwh;
    out["training_kwh"] = lc->training_j / joules_per_kwh;
    out["inference_kwh"] = lc->inferences * lc->inference_j_per_item.value_or(0) / joules_per_kwh;
    out["break_even_inferences"] = lc->break_even_inferences ? nlohmann::json(*lc->break_even_inferences) : nullptr;
  }
  if (format == "json") {
    std::cout << json_text(out, 2) << "\n";
    return 0;
  }
  std::cout << "erg estimate (" << out["form"].get<std::string>() << ")\n";
  if (lc)
    std::cout << "  search (CT)     " << format_energy_j_wh(lc->search_j) << "\n  training (T)    "
              << format_energy_j_wh(lc->training_j) << "\n  inference (e I) "
              << format_energy_j_wh(lc->inferences * lc->inference_j_per_item.value_or(0)) << "\n";
  // The same words as the reports: "at PUE 1.56, default: ..." and "at 381 gCO2e/kWh DEU, ...".
  std::cout << "  IT energy       " << format_energy_j_wh(it_j) << "\n  facility energy "
            << format_energy_j_wh(facility_energy_j(it_j, carbon)) << " at " << pue_text(carbon)
            << "\n  CO2e            " << format_co2e(operational_g) << " at " << intensity_text(carbon) << "\n";
  if (out.contains("best_start_utc"))
    std::cout << "  best start      " << format_utc_time(out["best_start_utc"].get<std::string>()) << ": "
              << format_co2e(out["best_start_co2e_kg"].get<double>() * 1000) << " CO2e\n";
  return 0;
}

}  // namespace erg::tools
