// The site ledger at the size of a year of a busy cluster: JOBS synthetic jobs (100 users,
// 20 accounts, 4 partitions, spread over 12 months) added to a ledger (SQLite or PostgreSQL),
// then the reports of erg ledger report by user, by month, and by user and month. Prints one
// JSON line. The ledger is emptied first: give it one of its own.
//   erg_bench_ledger JOBS sqlite:PATH|postgresql://...
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "ledger/ledger.hpp"
#include "ledger/postgres_connection.hpp"
#include "util/utc_date.hpp"

namespace {

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

erg::ledger::LedgerRow job(int i) {
  erg::ledger::LedgerRow r;
  r.job_id = std::to_string(100000 + i);
  r.cluster = "bench";
  r.user = "user" + std::to_string(i % 100);
  r.account = "account" + std::to_string(i % 20);
  r.partition = "part" + std::to_string(i % 4);
  r.start_unix_s = *erg::parse_utc_date("2026-01-01") + (i % 365) * 86400.0 + (i % 86400);
  r.start_day = erg::utc_day(r.start_unix_s);
  r.start_month = erg::utc_month(r.start_unix_s);
  r.start_utc = r.start_day + "T00:00:00Z";
  r.end_utc = r.start_utc;
  r.duration_s = 600 + i % 7200;
  r.job_state = i % 10 ? "completed" : "failed";
  r.exit_code = i % 10 ? 0 : 1;
  r.nodes = 1 + i % 8;
  r.node_hours = r.nodes * r.duration_s / 3600;
  r.it_energy_j = 300.0 * r.nodes * r.duration_s;
  r.facility_energy_j = 1.3 * r.it_energy_j;
  r.operational_co2e_g = r.facility_energy_j / 3.6e6 * 350;
  r.by_domain_j = {{"cpu", 0.6 * r.it_energy_j}, {"dram", 0.1 * r.it_energy_j}, {"gpu0", 0.3 * r.it_energy_j}};
  r.estimated_domains = {"dram"};
  r.estimated_energy_j = 0.1 * r.it_energy_j;
  r.trace_path = "/shared/erg-spool/" + r.job_id + "/trace.h5";
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const int jobs = argc > 1 ? std::atoi(argv[1]) : 100000;
  if (argc < 3) {
    std::fprintf(stderr, "usage: erg_bench_ledger JOBS sqlite:PATH|postgresql://...\n");
    return 2;
  }
  const std::string url = argv[2];
  using erg::ledger::LedgerAccess;
  const bool sqlite = url.rfind("sqlite:", 0) == 0;
  const std::string path = sqlite ? url.substr(7) : "";
  if (sqlite) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  } else {
    erg::ledger::PostgresConnection(url, LedgerAccess::add).execute({"DROP TABLE IF EXISTS jobs, job_domains, schema_version", {}});
  }

  // In batches of 1000, one transaction each (erg ledger add of many traces).
  auto t0 = std::chrono::steady_clock::now();
  {
    auto ledger = erg::ledger::open_ledger(url, LedgerAccess::add);
    for (int first = 0; first < jobs; first += 1000) {
      std::vector<erg::ledger::LedgerRow> rows;
      for (int i = first; i < std::min(jobs, first + 1000); ++i) rows.push_back(job(i));
      ledger->add(rows);
    }
  }
  const double batch_add_s = since(t0);

  // One job per opening, as each slurmctld epilog adds its own: open, migrate check, add, close.
  const int single = std::min(jobs, 200);
  t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < single; ++i) erg::ledger::open_ledger(url, LedgerAccess::add)->add({job(jobs + i)});
  const double single_add_ms = since(t0) * 1000 / single;

  auto ledger = erg::ledger::open_ledger(url, LedgerAccess::read);
  using G = erg::ledger::Grouping;
  auto timed_report = [&](std::vector<G> by, std::size_t& groups) {
    auto t = std::chrono::steady_clock::now();
    auto table = ledger->report({by, {}});
    groups = table.groups.size();
    return since(t) * 1000;
  };
  std::size_t user_groups = 0, month_groups = 0, user_month_groups = 0;
  const double by_user_ms = timed_report({G::user}, user_groups);
  const double by_month_ms = timed_report({G::month}, month_groups);
  const double by_user_month_ms = timed_report({G::user, G::month}, user_month_groups);
  erg::ledger::LedgerQuery one_user{{G::month}, {}};
  one_user.filter.user = "user7";
  t0 = std::chrono::steady_clock::now();
  ledger->report(one_user);
  const double one_user_ms = since(t0) * 1000;

  std::uintmax_t bytes = 0;
  if (sqlite) {
    for (const char* suffix : {"", "-wal"})
      if (std::filesystem::exists(path + suffix)) bytes += std::filesystem::file_size(path + suffix);
  } else {
    erg::ledger::PostgresConnection db(url, LedgerAccess::read);
    auto rows = db.query({"SELECT pg_total_relation_size('jobs') + pg_total_relation_size('job_domains')", {}});
    if (rows->next()) bytes = static_cast<std::uintmax_t>(rows->integer(0));
  }
  std::printf("{\"jobs\": %d, \"batch_add_s\": %.3f, \"batch_add_us_per_job\": %.1f, \"single_add_ms\": %.2f, "
              "\"by_user_ms\": %.1f, \"by_month_ms\": %.1f, \"by_user_month_ms\": %.1f, \"one_user_by_month_ms\": %.1f, "
              "\"groups\": [%zu, %zu, %zu], \"file_mb\": %.1f}\n",
              jobs + single, batch_add_s, batch_add_s * 1e6 / jobs, single_add_ms, by_user_ms, by_month_ms,
              by_user_month_ms, one_user_ms, user_groups, month_groups, user_month_groups, bytes / 1e6);
  return 0;
}
