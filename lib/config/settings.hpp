#pragma once
#include <boost/program_options.hpp>
#include <cmath>
#include <optional>
#include <string>

#include "trace/recorded_ranges.hpp"

namespace erg {

namespace po = boost::program_options;

// The settings every part of erg shares. Each comes from the command line, else an ERG_*
// environment variable (ERG_EMISSION_FACTOR for --emission-factor), else the site file
// (ERG_CONFIG, default /etc/erg/erg.conf, lines such as "pue = 1.2"), else its default.
struct Settings {
  std::optional<double> pue;
  std::string region;
  std::optional<double> emission_factor_g_per_kwh;
  std::string mix;
  std::string intensity;  // a CSV of the grid's intensity over time (docs/accounting.md)
  std::optional<double> embodied_g_per_node_hour;
  std::optional<double> embodied_g_per_gpu_hour;
  double interval_s = 1.0;
  std::string out = "job.h5";  // the trace; its JSON summary goes beside it
  std::string powercap_root = "/sys/class/powercap";
  std::string data_dir;
  double dram_w_per_gb = 0.375;
  std::string node_name;
  std::string spool;
  std::string nvml_library;      // default libnvidia-ml.so.1
  std::string rocm_smi_library;  // default librocm_smi64.so
  bool disable = false;
  // Nodes shared with other jobs (docs/accounting.md): auto, exclusive or shared, and the
  // split rule's idle power as a fraction of full-load power.
  std::string node_share = "auto";
  double idle_power_fraction = 0.3;
  // The site ledger (docs/ledger.md): sqlite:PATH or a postgresql:// URL.
  std::string ledger = "sqlite:/var/lib/erg/ledger.sqlite";
  // Days a job's folder stays in the spool once its trace is in the ledger; unset: forever.
  std::optional<double> spool_keep_days;
  std::string site_file;  // the one that was read, if any
};

// The options of Settings, to add to a command's own options.
po::options_description site_options();

// Stores the environment, then the site file, under what the command line already stored.
// Throws UsageError for a malformed value or site file.
void add_environment_and_site_file(po::variables_map& vm);

// Stores a site file's settings (as read from origin) under what vm already holds.
void add_site_file(std::istream& in, const std::string& origin, po::variables_map& vm);

// Validates and converts; throws UsageError with one clear line.
Settings settings_from(const po::variables_map& vm);

// For the agent inside an MPI job: environment and site file only.
Settings load_settings_from_environment();

// Where data/ is: --data-dir or ERG_DATA_DIR, else the installed share/erg, else the source tree's.
std::string resolve_data_dir(const Settings& settings);

// One line for a Boost.ProgramOptions error. Never calls what() on errors that name an
// option: Boost 1.74 substitutes "%value%" placeholders in a loop that never ends when the
// bad value itself holds "%value%" (found by fuzzing: `pue = %value%` hung erg_init).
std::string describe_option_error(const po::error& e);

// A number option that must be finite and within [min, max].
double checked_number(const std::string& option, double value, double min, double max);

}  // namespace erg
