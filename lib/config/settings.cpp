#include "util/text.hpp"
#include "config/settings.hpp"

#include <dlfcn.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include "util/errors.hpp"

namespace erg {

po::options_description site_options() {
  po::options_description site("Site settings (also ERG_* variables and the site file)");
  site.add_options()
      ("pue", po::value<double>(), "power usage effectiveness of the site, >= 1 (default 1.56)")
      ("region", po::value<std::string>(), "grid region: ISO 3166 alpha-3 (DEU) or provider:region (gcp:europe-west3)")
      ("emission-factor", po::value<double>(), "grid emission factor in gCO2e/kWh (overrides --region)")
      ("mix", po::value<std::string>(), "electricity mix, e.g. coal=25,natural_gas=26,nuclear=14,...")
      ("intensity", po::value<std::string>(), "a CSV of the grid's carbon intensity over time (datetime,carbon_intensity_g_per_kwh); the emission factor holds where it has no value")
      ("embodied-g-per-node-hour", po::value<double>(), "embodied emissions of a node (without GPUs) per hour of use, gCO2e (default 55.96, data/embodied)")
      ("embodied-g-per-gpu-hour", po::value<double>(), "embodied emissions of a GPU per hour of use, gCO2e (default 3.357, data/embodied)")
      ("interval", po::value<double>(), "seconds between samples (default 1, down to 0.001)")
      ("out", po::value<std::string>(), "path of the HDF5 trace")
      ("powercap-root", po::value<std::string>(), "powercap sysfs root (default /sys/class/powercap)")
      ("data-dir", po::value<std::string>(), "erg's data folder (TDP tables, emission factors)")
      ("dram-w-per-gb", po::value<double>(), "DRAM model: watts per GB of resident memory (default 0.375)")
      ("node-name", po::value<std::string>(), "this node's name (default SLURMD_NODENAME, else the host name)")
      ("spool", po::value<std::string>(), "spool directory of the node daemons")
      ("nvml-library", po::value<std::string>(), "NVML library to load (default libnvidia-ml.so.1)")
      ("rocm-smi-library", po::value<std::string>(), "ROCm SMI library to load (default librocm_smi64.so)")
      ("node-share", po::value<std::string>(), "auto|exclusive|shared: split the node's counters with other jobs (default auto: where Slurm allocated part of the node)")
      ("idle-power-fraction", po::value<double>(), "shared nodes: the node's idle power as a fraction of its full-load power (default 0.3)")
      ("ledger", po::value<std::string>(), "the site ledger: sqlite:PATH (default sqlite:/var/lib/erg/ledger.sqlite) or postgresql://...")
      ("spool-keep-days", po::value<double>(), "days a job's spool folder is kept once its trace is in the ledger (default: forever)")
      ("disable", po::value<std::string>(), "1 to turn erg off (agent)");
  return site;
}

namespace {

// A site file is a few lines; more is the wrong file (a log, /dev/zero), not settings.
constexpr std::size_t max_site_file_bytes = std::size_t{1} << 20;

// The site file's text: ERG_CONFIG, which must be readable, else /etc/erg/erg.conf, if any.
std::optional<std::pair<std::string, std::string>> read_site_file() {
  const char* configured = std::getenv("ERG_CONFIG");
  const bool named = configured && *configured;
  const std::string path = named ? configured : "/etc/erg/erg.conf";
  std::error_code ec;
  // An ifstream opens a directory and reads nothing from it: an empty site file, silently.
  if (std::filesystem::is_directory(path, ec)) throw UsageError("site file " + path + " is a directory");
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    if (named) throw UsageError("site file " + path + " (ERG_CONFIG) cannot be read");
    return std::nullopt;
  }
  std::string text(max_site_file_bytes + 1, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (file.bad()) throw UsageError("site file " + path + " cannot be read");
  text.resize(static_cast<std::size_t>(file.gcount()));
  if (text.size() > max_site_file_bytes)
    throw UsageError("site file " + path + " is larger than 1 MiB: not a site file of name = value lines");
  return std::pair{path, text};
}

// Parse failures name where the bad value came from, in one line.
template <typename Parse>
void store_from(const std::string& origin, po::variables_map& vm, Parse parse) {
  try {
    po::store(parse(), vm);
  } catch (const po::error& e) {
    throw UsageError(origin + ": " + describe_option_error(e));
  }
}

}  // namespace

void add_environment_and_site_file(po::variables_map& vm) {
  static const po::options_description site = site_options();
  try {
    po::store(po::parse_environment(site,
                                    [](const std::string& variable) -> std::string {
                                      if (variable.rfind("ERG_", 0) != 0) return "";
                                      std::string option = variable.substr(4);
                                      for (char& c : option)
                                        c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                                      return site.find_nothrow(option, false) ? option : "";
                                    }),
              vm);
  } catch (const po::error& e) {
    // Name the variable and its value (ERG_INTERVAL=abc), not the option it stands for.
    auto named = dynamic_cast<const po::error_with_option_name*>(&e);
    std::string option = named ? named->get_option_name() : "";
    while (!option.empty() && option.front() == '-') option.erase(0, 1);
    if (option.empty()) throw UsageError("environment: " + describe_option_error(e));
    std::string variable = "ERG_";
    for (char c : option) variable += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const char* value = std::getenv(variable.c_str());
    std::string shown = value ? std::string(value).substr(0, 40) : "";
    throw UsageError("environment: " + variable + "=" + shown + ": " + describe_option_error(e));
  }
  if (auto site_file = read_site_file()) {
    std::istringstream text(site_file->second);
    add_site_file(text, site_file->first, vm);
  }
}

std::string describe_option_error(const po::error& e) {
  auto named = dynamic_cast<const po::error_with_option_name*>(&e);
  if (!named) return e.what();
  std::string option = named->get_option_name();
  if (dynamic_cast<const po::invalid_option_value*>(&e)) return "invalid value for " + option;
  if (dynamic_cast<const po::unknown_option*>(&e)) return "unknown option " + option;
  if (dynamic_cast<const po::multiple_occurrences*>(&e)) return option + " is given more than once";
  if (dynamic_cast<const po::required_option*>(&e)) return option + " is required";
  if (auto syntax = dynamic_cast<const po::invalid_config_file_syntax*>(&e))
    return "a line that is not 'name = value': '" + syntax->tokens() + "'";
  if (dynamic_cast<const po::invalid_syntax*>(&e)) return "invalid syntax at " + option;
  return "bad option " + option;
}

void add_site_file(std::istream& in, const std::string& origin, po::variables_map& vm) {
  static const po::options_description site = site_options();
  store_from("site file " + origin, vm, [&] { return po::parse_config_file(in, site, false); });
  vm.insert({"site-file", po::variable_value(origin, false)});
}

double checked_number(const std::string& option, double value, double min, double max) {
  if (!NumberRange{min, max}.contains(value)) {
    std::ostringstream message;
    message << "--" << option << " must be a number between " << min << " and " << max << ", not " << value;
    throw UsageError(message.str());
  }
  return value;
}

Settings settings_from(const po::variables_map& vm) {
  Settings s;
  auto text = [&](const char* name, std::string& out) {
    if (vm.count(name)) out = vm[name].as<std::string>();
  };
  if (vm.count("pue")) {
    double pue = vm["pue"].as<double>();
    if (!std::isfinite(pue) || pue < pue_range.min)
      throw UsageError("--pue must be at least 1 (facility energy cannot be below IT energy), not " +
                       std::to_string(pue));
    s.pue = checked_number("pue", pue, pue_range.min, pue_range.max);
  }
  if (vm.count("emission-factor"))
    s.emission_factor_g_per_kwh = checked_number("emission-factor", vm["emission-factor"].as<double>(),
                                                 emission_factor_range.min, emission_factor_range.max);
  if (vm.count("interval"))
    s.interval_s = checked_number("interval", vm["interval"].as<double>(), interval_range.min, interval_range.max);
  if (vm.count("dram-w-per-gb"))
    s.dram_w_per_gb = checked_number("dram-w-per-gb", vm["dram-w-per-gb"].as<double>(), 0, 100);
  text("region", s.region);
  text("mix", s.mix);
  text("intensity", s.intensity);
  if (vm.count("embodied-g-per-node-hour"))
    s.embodied_g_per_node_hour = checked_number("embodied-g-per-node-hour", vm["embodied-g-per-node-hour"].as<double>(), 0, 1e6);
  if (vm.count("embodied-g-per-gpu-hour"))
    s.embodied_g_per_gpu_hour = checked_number("embodied-g-per-gpu-hour", vm["embodied-g-per-gpu-hour"].as<double>(), 0, 1e6);
  if (vm.count("mix") && s.mix.find_first_not_of(" \t,") == std::string::npos)
    throw UsageError("--mix is empty: give shares such as coal=25,nuclear=75");
  if (vm.count("out") && !vm["out"].as<std::string>().empty()) s.out = vm["out"].as<std::string>();
  text("powercap-root", s.powercap_root);
  text("data-dir", s.data_dir);
  text("node-name", s.node_name);
  text("spool", s.spool);
  text("nvml-library", s.nvml_library);
  text("rocm-smi-library", s.rocm_smi_library);
  text("site-file", s.site_file);
  text("ledger", s.ledger);
  // The URL's form is checked here, by every command, so that a site file's typo shows at once
  // rather than in the first slurmctld epilog; lib/ledger opens it.
  const bool sqlite = s.ledger.rfind("sqlite:", 0) == 0 && s.ledger.size() > std::strlen("sqlite:");
  const bool postgres = s.ledger.rfind("postgresql://", 0) == 0 || s.ledger.rfind("postgres://", 0) == 0;
  if (!sqlite && !postgres)
    throw UsageError("--ledger must be sqlite:PATH or a postgresql:// URL, not '" + escape_controls(s.ledger.substr(0, 80)) + "'");
  if (vm.count("spool-keep-days"))
    s.spool_keep_days = checked_number("spool-keep-days", vm["spool-keep-days"].as<double>(), 0, 36500);
  text("node-share", s.node_share);
  if (s.node_share != "auto" && s.node_share != "exclusive" && s.node_share != "shared")
    throw UsageError("--node-share must be auto, exclusive or shared, not '" + escape_controls(s.node_share.substr(0, 40)) + "'");
  if (vm.count("idle-power-fraction"))
    s.idle_power_fraction = checked_number("idle-power-fraction", vm["idle-power-fraction"].as<double>(), 0.01, 1);
  if (vm.count("disable")) {
    std::string v = vm["disable"].as<std::string>();
    s.disable = !(v.empty() || v == "0" || v == "false" || v == "no" || v == "off");
  }
  return s;
}

Settings load_settings_from_environment() {
  po::variables_map vm;
  add_environment_and_site_file(vm);
  return settings_from(vm);
}

std::string resolve_data_dir(const Settings& settings) {
  if (!settings.data_dir.empty()) return settings.data_dir;
  namespace fs = std::filesystem;
  std::error_code ec;
  // Installed anywhere: share/erg beside the bin/ or lib/ that holds this code (erg or liberg_agent.so).
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&resolve_data_dir), &info) && info.dli_fname) {
    fs::path beside = fs::weakly_canonical(fs::path(info.dli_fname), ec).parent_path().parent_path() / "share" / "erg";
    if (fs::is_directory(beside / "hardware", ec)) return beside.string();
  }
  if (fs::is_directory(ERG_INSTALL_DATA_DIR "/hardware", ec)) return ERG_INSTALL_DATA_DIR;
  return ERG_SOURCE_DATA_DIR;
}

}  // namespace erg
