#include <gtest/gtest.h>

#include <limits>

#include "ledger/ledger.hpp"
#include "ledger/ledger_query.hpp"
#include "ledger/ledger_report.hpp"
#include "ledger/ledger_row.hpp"
#include "ledger/ledger_schema.hpp"
#include "ledger/postgres_connection.hpp"
#include "util/utc_date.hpp"
#include "temp_dir.hpp"
#include "util/errors.hpp"

namespace erg::ledger {

namespace {

// A job of `nodes` nodes whose cpu domain used cpu_j and whose dram (a model) used dram_j.
JobTrace trace_of(const std::string& job_id, const std::string& user, const std::string& account,
                  const std::string& start_utc, double cpu_j, double dram_j, int nodes = 1) {
  JobTrace t;
  t.job.job_id = job_id;
  t.job.user = user;
  t.job.extra["account"] = account;
  t.job.extra["partition"] = "batch";
  t.job.start_utc = start_utc;
  t.job.end_utc = start_utc;
  t.job.duration_s = 3600;
  t.job.job_state = "completed";
  t.job.exit_code = 0;
  t.carbon.pue = 1.5;
  t.carbon.emission_factor_g_per_kwh = 400;
  for (int i = 0; i < nodes; ++i) {
    NodeTrace n;
    n.node = "n" + std::to_string(i);
    n.time_s = {0, 3600};
    n.domains.push_back({{"cpu", "rapl", "", {}, Measurement::counter}, {0, cpu_j / nodes}});
    n.domains.push_back({{"dram", "model", "", {}, Measurement::model}, {0, dram_j / nodes}});
    t.nodes.push_back(n);
  }
  return t;
}

LedgerRow row_of(const JobTrace& t) { return ledger_row_from(t, account_job(t), "", "/traces/" + t.job.job_id + ".h5"); }

}  // namespace

TEST(UtcDate, ParsesTimesAndDaysAndRefusesOthers) {
  EXPECT_DOUBLE_EQ(*parse_utc_date("1970-01-02"), 86400);
  EXPECT_DOUBLE_EQ(*parse_utc_time("2026-12-03T18:34:42.500Z"), *parse_utc_date("2026-12-03") + 18 * 3600 + 34 * 60 + 42.5);
  EXPECT_DOUBLE_EQ(*parse_utc_time("2024-02-29T00:00:00+00:00"), *parse_utc_date("2024-02-29"));
  for (const char* bad : {"2026-02-30", "2026-13-01", "26-12-03", "2026-12-3", "yesterday", "2026-12-03x", ""})
    EXPECT_FALSE(parse_utc_date(bad)) << bad;
  EXPECT_FALSE(parse_utc_time("2026-12-03T18:34:42"));  // no zone: not UTC for sure
  for (const char* bad : {"2026-12-03T-1:34:42Z", "2026-12-03T 1:34:42Z", "2026-12-03T+1:34:42Z", "2026-12-03T18:-4:42Z"})
    EXPECT_FALSE(parse_utc_time(bad)) << bad;
  for (const char* bad : {"+026-12-03", "2026--1-03", "2026-12- 3"}) EXPECT_FALSE(parse_utc_date(bad)) << bad;
  EXPECT_EQ(utc_day(*parse_utc_time("2026-12-31T23:59:59Z")), "2026-12-31");
  EXPECT_EQ(utc_month(*parse_utc_time("2026-12-31T23:59:59Z")), "2026-12");
}

TEST(LedgerRow, FromTraceAndAccount) {
  JobTrace t = trace_of("42", "alice", "physics", "2026-11-30T23:30:00.000Z", 3.6e6, 1.8e6, 2);
  t.job.extra["cluster"] = "hpc1";
  LedgerRow r = row_of(t);
  EXPECT_EQ(r.job_id, "42");
  EXPECT_EQ(r.cluster, "hpc1");  // the trace's own, over the given one
  EXPECT_EQ(r.user, "alice");
  EXPECT_EQ(r.account, "physics");
  EXPECT_EQ(r.partition, "batch");
  EXPECT_EQ(r.start_day, "2026-11-30");
  EXPECT_EQ(r.start_month, "2026-11");
  EXPECT_EQ(r.nodes, 2);
  EXPECT_DOUBLE_EQ(r.node_hours, 2.0);
  EXPECT_DOUBLE_EQ(r.it_energy_j, 5.4e6);
  EXPECT_DOUBLE_EQ(r.facility_energy_j, 5.4e6 * 1.5);
  EXPECT_DOUBLE_EQ(r.operational_co2e_g, 1.5 * 1.5 * 400);
  EXPECT_DOUBLE_EQ(r.embodied_co2e_g, 0);
  EXPECT_DOUBLE_EQ(r.estimated_energy_j, 1.8e6);
  EXPECT_EQ(r.estimated_domains, std::vector<std::string>{"dram"});
  EXPECT_DOUBLE_EQ(r.by_domain_j.at("cpu"), 3.6e6);
  t.job.extra.erase("cluster");
  EXPECT_EQ(row_of(t).cluster, "local");
  EXPECT_EQ(ledger_row_from(t, account_job(t), "hpc2", "x").cluster, "hpc2");
  t.job.start_utc = "not a time";
  EXPECT_THROW(row_of(t), UsageError);
}

TEST(LedgerRow, FromSummaryJson) {
  auto summary = nlohmann::json::parse(R"({"job": {"job_id": "7", "user": "bob", "start_utc": "2026-01-05T10:00:00.000Z",
      "end_utc": "2026-01-05T11:00:00.000Z", "n_nodes": 3, "extra": {"account": "chem"}, "job_state": "failed",
      "exit_code": 1}, "duration_s": 1800, "energy": {"it_j": 100, "facility_j": 150, "by_domain": {"cpu": 100}},
      "co2e_g": 0.5, "estimated": []})");
  LedgerRow r = ledger_row_from_summary(summary, "c", "/x/job.json");
  // No partition in the summary: none in the row; the cluster given, since the job names none.
  EXPECT_EQ((std::vector<std::string>{r.user, r.account, r.partition, r.cluster, r.job_state}),
            (std::vector<std::string>{"bob", "chem", "", "c", "failed"}));
  EXPECT_DOUBLE_EQ(r.node_hours, 1.5);
  EXPECT_DOUBLE_EQ(r.operational_co2e_g, 0.5);
  summary["energy"].erase("it_j");
  EXPECT_THROW(ledger_row_from_summary(summary, "", ""), UsageError);
}

TEST(LedgerQuery, PortableSqlWithBoundValues) {
  LedgerFilter filter;
  filter.since_day = "2026-01-01";
  filter.user = "alice'; DROP TABLE jobs; --";
  SqlStatement s = grouped_sums_sql({Grouping::user, Grouping::month}, filter);
  EXPECT_EQ(s.sql.find("DROP"), std::string::npos);  // values are bound, never pasted
  EXPECT_NE(s.sql.find("GROUP BY user_name, start_month"), std::string::npos);
  EXPECT_EQ(s.parameters.size(), 2u);
  EXPECT_EQ(key_column_count({Grouping::job, Grouping::day}), 3u);
  EXPECT_THROW(grouping_from("week"), UsageError);
}

class SqliteLedgerTest : public ::testing::Test {
 protected:
  erg::testing::TempDir dir;
  std::string path() const { return dir / "ledger.sqlite"; }
  std::unique_ptr<Ledger> open(LedgerAccess access = LedgerAccess::add) {
    return open_ledger("sqlite:" + path(), access);
  }
};

TEST_F(SqliteLedgerTest, AddingAgainUpdatesTheRowAndChangesNothingElse) {
  LedgerRow r = row_of(trace_of("1", "alice", "physics", "2026-12-01T10:00:00Z", 3.6e6, 0));
  open()->add({r});
  open()->add({r});
  auto ledger = open(LedgerAccess::read);
  EXPECT_EQ(ledger->find("1", "local"), r);
  LedgerTable total = ledger->report({});
  EXPECT_EQ(total.total.jobs, 1);
  EXPECT_DOUBLE_EQ(total.total.it_energy_j, 3.6e6);
  // Adding the job again with other figures replaces them (one row per job id and cluster).
  r.it_energy_j = 7.2e6;
  r.by_domain_j = {{"gpu0", 7.2e6}};
  open()->add({r});
  EXPECT_EQ(open(LedgerAccess::read)->find("1", "local"), r);
  EXPECT_EQ(open(LedgerAccess::read)->report({}).total.jobs, 1);
}

TEST_F(SqliteLedgerTest, GroupsByUserAndMonthWithFilters) {
  std::vector<LedgerRow> rows = {row_of(trace_of("1", "alice", "physics", "2026-11-30T23:00:00Z", 3.6e6, 0)),
                                 row_of(trace_of("2", "alice", "physics", "2026-12-01T01:00:00Z", 7.2e6, 0)),
                                 row_of(trace_of("3", "bob", "chem", "2026-12-15T12:00:00Z", 1.8e6, 1.8e6, 4)),
                                 row_of(trace_of("4", "alice", "chem", "2026-12-20T12:00:00Z", 3.6e6, 0))};
  open()->add(rows);
  auto ledger = open(LedgerAccess::read);
  LedgerTable t = ledger->report({{Grouping::user, Grouping::month}, {}});
  EXPECT_EQ(t.key_names, (std::vector<std::string>{"user", "month"}));
  ASSERT_EQ(t.groups.size(), 3u);
  EXPECT_EQ(t.groups[0].key, (std::vector<std::string>{"alice", "2026-11"}));
  EXPECT_EQ(t.groups[0].sums.jobs, 1);
  EXPECT_EQ(t.groups[1].key, (std::vector<std::string>{"alice", "2026-12"}));
  EXPECT_EQ(t.groups[1].sums.jobs, 2);
  EXPECT_DOUBLE_EQ(t.groups[1].sums.it_energy_j, 10.8e6);
  EXPECT_EQ(t.groups[2].key, (std::vector<std::string>{"bob", "2026-12"}));
  EXPECT_DOUBLE_EQ(t.groups[2].sums.node_hours, 4);
  EXPECT_DOUBLE_EQ(t.groups[2].sums.estimated_energy_j, 1.8e6);
  EXPECT_EQ(t.total.jobs, 4);
  EXPECT_DOUBLE_EQ(t.total.it_energy_j, 18e6);
  EXPECT_DOUBLE_EQ(t.total.facility_energy_j, 18e6 * 1.5);

  LedgerQuery december{{Grouping::account}, {}};
  december.filter.since_day = "2026-12-01";
  december.filter.until_day = "2026-12-15";
  LedgerTable d = ledger->report(december);
  ASSERT_EQ(d.groups.size(), 2u);  // chem (job 3), physics (job 2)
  EXPECT_EQ(d.groups[0].key[0], "chem");
  EXPECT_EQ(d.groups[0].sums.jobs, 1);
  EXPECT_EQ(d.total.jobs, 2);
  LedgerQuery bobs{{Grouping::job}, {}};
  bobs.filter.user = "bob";
  LedgerTable b = ledger->report(bobs);
  ASSERT_EQ(b.groups.size(), 1u);
  EXPECT_EQ(b.groups[0].key, (std::vector<std::string>{"3", "local"}));

  nlohmann::json json = ledger_report_json(t);
  EXPECT_EQ(json["groups"][1]["key"]["user"], "alice");
  EXPECT_EQ(json["groups"][1]["key"]["month"], "2026-12");
  EXPECT_DOUBLE_EQ(json["groups"][1]["it_kwh"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(json["total"]["facility_kwh"].get<double>(), 7.5);
  EXPECT_EQ(json["total"]["jobs"], 4);
  std::string text = ledger_report_text(t);
  EXPECT_NE(text.find("alice"), std::string::npos);
  EXPECT_NE(text.find("3.00 kWh"), std::string::npos);
  EXPECT_EQ(text.find("e+"), std::string::npos);
  std::string csv = ledger_report_csv(t);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "user,month,jobs,node_hours,it_kwh,facility_kwh,co2e_kg,operational_co2e_kg,embodied_co2e_kg,estimated_it_kwh,"
            "avoidable_co2e_kg");
}

TEST_F(SqliteLedgerTest, AnAddThatFailsLeavesTheLedgerAsItWas) {
  LedgerRow good = row_of(trace_of("1", "alice", "a", "2026-12-01T10:00:00Z", 1, 0));
  open()->add({good});
  LedgerRow changed = good;
  changed.user = "mallory";
  // The second row breaks a NOT NULL constraint after the first was written: all or none.
  LedgerRow broken = row_of(trace_of("2", "bob", "a", "2026-12-01T10:00:00Z", 1, 0));
  broken.node_hours = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(open()->add({changed, broken}), UsageError);
  auto ledger = open(LedgerAccess::read);
  EXPECT_EQ(ledger->find("1", "local"), good);
  EXPECT_FALSE(ledger->find("2", "local"));
}

TEST_F(SqliteLedgerTest, MigratesOlderLedgersAndRefusesNewerOnes) {
  EXPECT_EQ(open_ledger("sqlite:" + path(), LedgerAccess::add, 1)->schema_version(), 1);
  // Read access never migrates: an old ledger is refused until its owner adds to it.
  EXPECT_THROW(open(LedgerAccess::read), UsageError);
  EXPECT_EQ(open()->schema_version(), latest_schema_version());
  EXPECT_EQ(open(LedgerAccess::read)->schema_version(), latest_schema_version());
  EXPECT_GE(latest_schema_version(), 3);
}

TEST_F(SqliteLedgerTest, BadLedgersAreUsageErrors) {
  EXPECT_THROW(open(LedgerAccess::read), UsageError);  // missing
  EXPECT_THROW(open_ledger("sqlite:" + dir.path() + "/no/such/folder/l.sqlite", LedgerAccess::add), UsageError);
  EXPECT_THROW(open_ledger("postgresql://db/erg", LedgerAccess::add), UsageError);
  EXPECT_THROW(open_ledger("mysql://db", LedgerAccess::add), UsageError);
  dir.write("garbage.sqlite", std::string(4096, 'x'));
  EXPECT_THROW(open_ledger("sqlite:" + (dir / "garbage.sqlite"), LedgerAccess::add), UsageError);
  EXPECT_THROW(open_ledger("sqlite:" + (dir / "garbage.sqlite"), LedgerAccess::read), UsageError);
}

}  // namespace erg::ledger

namespace erg::ledger {
// Readable failures: the row's fields, not its bytes.
void PrintTo(const LedgerRow& r, std::ostream* os) {
  *os << r.job_id << "|" << r.cluster << "|" << r.user << "|" << r.account << "|" << r.partition << "|" << r.start_utc
      << "|" << r.end_utc << "|" << r.start_unix_s << "|" << r.start_day << "|" << r.start_month << "|" << r.duration_s
      << "|" << r.job_state << "|" << r.exit_code << "|" << r.nodes << "|" << r.node_hours << "|" << r.it_energy_j << "|"
      << r.facility_energy_j << "|" << r.operational_co2e_g << "|" << r.embodied_co2e_g << "|" << r.estimated_energy_j
      << "|" << r.by_domain_j.size() << "|" << r.estimated_domains.size() << "|" << r.trace_path;
}
}  // namespace erg::ledger

namespace erg::ledger {

TEST(LedgerUrl, PasswordsAreNeverShown) {
  EXPECT_EQ(ledger_display_name("postgresql://erg:secret@db.example/erg"), "postgresql://erg@db.example/erg");
  EXPECT_EQ(ledger_display_name("postgresql:///erg?host=/run/pg&password=secret&user=erg"),
            "postgresql:///erg?host=/run/pg&password=...&user=erg");
  EXPECT_EQ(ledger_display_name("postgresql://db.example:5433/erg"), "postgresql://db.example:5433/erg");
  EXPECT_EQ(ledger_display_name("sqlite:/var/lib/erg/ledger.sqlite"), "sqlite:/var/lib/erg/ledger.sqlite");
}

TEST(LedgerRowSummary, OneLineForSlurmsAdminComment) {
  LedgerRow r;
  r.it_energy_j = 3.6e6 * 1.5;
  r.facility_energy_j = 3.6e6 * 1.95;
  r.operational_co2e_g = 512;
  r.trace_path = "/var/spool/erg/42/trace.h5";
  EXPECT_EQ(summary_line(r), "erg: IT 1.50 kWh, facility 1.95 kWh, 512 g CO2e; trace /var/spool/erg/42/trace.h5");
  r.estimated_energy_j = 3.6e5;
  EXPECT_NE(summary_line(r).find("(100 Wh of IT estimated)"), std::string::npos);
}

TEST(LedgerUrl, PlaceholdersAreNumberedForPostgres) {
  EXPECT_EQ(numbered_placeholders("SELECT a FROM t WHERE b = ? AND c = '?' AND d = ?"),
            "SELECT a FROM t WHERE b = $1 AND c = '?' AND d = $2");
}

}  // namespace erg::ledger
