#include "config/settings.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "accounting/emission_factors.hpp"
#include "temp_dir.hpp"
#include "util/errors.hpp"

namespace erg {

using testing::TempDir;

namespace {

// Sets environment variables for one test and restores them after.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = getenv(name)) old_ = old;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) setenv(name_, old_->c_str(), 1);
    else unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

Settings parse(std::vector<std::string> args) {
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(site_options()).run(), vm);
  add_environment_and_site_file(vm);
  return settings_from(vm);
}

}  // namespace

TEST(Settings, CommandLineThenEnvironmentThenSiteFileThenDefaults) {
  TempDir dir;
  dir.write("erg.conf", "pue = 1.3\ninterval = 5\nregion = FRA\n");
  ScopedEnv config("ERG_CONFIG", dir / "erg.conf");
  ScopedEnv interval("ERG_INTERVAL", "2");
  Settings s = parse({"--pue", "1.1"});
  EXPECT_DOUBLE_EQ(*s.pue, 1.1);        // command line
  EXPECT_DOUBLE_EQ(s.interval_s, 2.0);  // environment over the site file
  EXPECT_EQ(s.region, "FRA");           // site file
  EXPECT_DOUBLE_EQ(s.dram_w_per_gb, 0.375);
  EXPECT_EQ(s.site_file, dir / "erg.conf");
}

TEST(Settings, BadValuesAreUsageErrors) {
  ScopedEnv config("ERG_CONFIG", "/dev/null");
  EXPECT_THROW(parse({"--interval", "0"}), UsageError);
  EXPECT_THROW(parse({"--interval", "-1"}), UsageError);
  EXPECT_THROW(parse({"--interval", "nan"}), UsageError);
  EXPECT_THROW(parse({"--pue", "0.9"}), UsageError);
  EXPECT_THROW(parse({"--pue", "abc"}), po::error);
  ScopedEnv bad("ERG_INTERVAL", "fast");
  EXPECT_THROW(parse({}), UsageError);
}

TEST(Settings, MalformedSiteFileIsAUsageError) {
  TempDir dir;
  dir.write("erg.conf", "this is not a setting\n");
  ScopedEnv config("ERG_CONFIG", dir / "erg.conf");
  EXPECT_THROW(parse({}), UsageError);
}

TEST(EmissionFactors, MixOfFuels) {
  EXPECT_NEAR(mix_factor_g_per_kwh(ERG_TEST_DATA_DIR, "coal=25,petroleum=35,natural_gas=26,nuclear=14"), 731.59, 1e-9);
  EXPECT_NEAR(mix_factor_g_per_kwh(ERG_TEST_DATA_DIR, "coal=0.5,nuclear=0.5"), (995 + 29) / 2.0, 1e-9);
  EXPECT_THROW(mix_factor_g_per_kwh(ERG_TEST_DATA_DIR, ""), UsageError);
  EXPECT_THROW(mix_factor_g_per_kwh(ERG_TEST_DATA_DIR, "coal=20,nuclear=20"), UsageError);
  EXPECT_THROW(mix_factor_g_per_kwh(ERG_TEST_DATA_DIR, "unobtainium=100"), UsageError);
}

TEST(EmissionFactors, RegionsCountriesAndClouds) {
  EXPECT_GT(find_region(ERG_TEST_DATA_DIR, "DEU").g_per_kwh, 100);
  EXPECT_EQ(find_region(ERG_TEST_DATA_DIR, "gcp:europe-west3").year, "2024");
  EXPECT_GT(find_region(ERG_TEST_DATA_DIR, "aws:us-east-1").g_per_kwh, 0);
  try {
    find_region(ERG_TEST_DATA_DIR, "DEX");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("DEU"), std::string::npos);
  }
}

TEST(EmissionFactors, DefaultsSaySoAndGivenValuesWin) {
  Settings s;
  CarbonSettings c = resolve_carbon(s, ERG_TEST_DATA_DIR);
  EXPECT_DOUBLE_EQ(c.pue, 1.56);
  EXPECT_DOUBLE_EQ(c.emission_factor_g_per_kwh, 475);
  EXPECT_NE(c.emission_factor_source.find("default"), std::string::npos);
  s.emission_factor_g_per_kwh = 100;
  s.region = "DEU";
  EXPECT_DOUBLE_EQ(resolve_carbon(s, ERG_TEST_DATA_DIR).emission_factor_g_per_kwh, 100);
}

}  // namespace erg
