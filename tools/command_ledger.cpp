// erg ledger: the site's record of every job (docs/ledger.md). `add` records traces, `report`
// sums them per user, account, partition, day, month or job.
#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <set>

#include "accounting/job_account.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "ledger/ledger.hpp"
#include "ledger/ledger_report.hpp"
#include "util/utc_date.hpp"
#include "trace/trace_file.hpp"
#include "util/csv.hpp"
#include "util/errors.hpp"
#include "util/json_text.hpp"

namespace erg::tools {

namespace {

constexpr const char* ledger_usage =
    "erg ledger add TRACE.h5|TRACE.json ... [--cluster NAME] [--replace] [--ledger URL]\n"
    "       erg ledger report [--by user|account|partition|day|month|job]... [--since DATE] [--until DATE]\n"
    "                         [--user U] [--account A] [--format text|csv|json|html] [-o FILE] [--ledger URL]";

// One trace as a ledger row: the HDF5 trace accounted again, or the figures of its JSON
// summary. Throws UsageError for a file that is neither.
ledger::LedgerRow row_of(const std::string& path, const std::string& cluster) {
  std::error_code ec;
  const std::string absolute = std::filesystem::absolute(path, ec).lexically_normal().string();
  const std::string recorded = ec ? path : absolute;
  if (path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0) {
    // A summary stands for the trace it was written beside: the same job from the same trace,
    // whichever of the two is added.
    std::string recorded_trace = recorded;
    const std::string beside = recorded.substr(0, recorded.size() - 5) + ".h5";
    if (std::filesystem::is_regular_file(beside, ec)) recorded_trace = beside;
    nlohmann::json summary;
    try {
      summary = nlohmann::json::parse(read_input_file(path));
    } catch (const nlohmann::json::exception&) {
      throw UsageError(path + " is not JSON");
    }
    try {
      return ledger::ledger_row_from_summary(summary, cluster, recorded_trace);
    } catch (const UsageError& e) {
      throw UsageError(path + ": " + e.what());
    }
  }
  JobTrace trace = read_trace_file(path);
  try {
    return ledger::ledger_row_from(trace, account_job(trace), cluster, recorded);
  } catch (const UsageError& e) {
    throw UsageError(path + ": " + e.what());
  }
}

int ledger_add(const Arguments& args) {
  po::options_description own("erg ledger add");
  own.add_options()("traces", po::value<std::vector<std::string>>()->multitoken(), "the jobs' traces (.h5, or .json summaries)")
      ("cluster", po::value<std::string>(), "the cluster of traces that do not name theirs (default local)")
      ("replace", "record a job that the ledger holds from another trace from this one instead");
  po::positional_options_description positional;
  positional.add("traces", -1);
  po::variables_map vm;
  if (!parse_command_line(args, ledger_usage, own, vm, &positional)) return 0;
  Settings settings = settings_from(vm);
  if (!vm.count("traces")) throw UsageError("no trace given: erg ledger add TRACE.h5 ...");
  const std::string cluster = vm.count("cluster") ? vm["cluster"].as<std::string>() : "";
  // Every trace read before the ledger is opened: one that is not a trace leaves it untouched.
  std::vector<ledger::LedgerRow> rows;
  for (const auto& path : vm["traces"].as<std::vector<std::string>>()) rows.push_back(row_of(path, cluster));
  auto site_ledger = ledger::open_ledger(settings.ledger, ledger::LedgerAccess::add);
  // A job is recorded from one trace: adding it again from another (a copy, a trace its user
  // made) takes --replace, so that no one replaces the epilog's figures by mistake.
  if (!vm.count("replace"))
    for (const auto& row : rows)
      if (auto held = site_ledger->find(row.job_id, row.cluster); held && held->trace_path != row.trace_path)
        throw UsageError("job " + row.job_id + " (" + row.cluster + ") is recorded from " + held->trace_path +
                         ", not " + row.trace_path + ": --replace records it from the new trace");
  site_ledger->add(rows);
  for (const auto& row : rows)
    std::cout << "job " << printable_line(row.job_id, 100) << " (" << printable_line(row.cluster, 100) << ") recorded from "
              << printable_line(row.trace_path) << "\n";
  return 0;
}

std::string own_user_name() {
  passwd pw{}, *found = nullptr;
  char buffer[1024];
  if (getpwuid_r(geteuid(), &pw, buffer, sizeof buffer, &found) == 0 && found) return found->pw_name;
  throw UsageError("this process's user (uid " + std::to_string(geteuid()) + ") has no name: it cannot see its jobs");
}

std::string checked_day(const po::variables_map& vm, const char* option) {
  const std::string text = vm[option].as<std::string>();
  if (!parse_utc_date(text))
    throw UsageError(std::string("--") + option + " must be a date YYYY-MM-DD, not '" + text.substr(0, 40) + "'");
  return text;
}

int ledger_report(const Arguments& args) {
  po::options_description own("erg ledger report");
  own.add_options()("by", po::value<std::vector<std::string>>(), "group by user, account, partition, day, month or job (repeat, or a,b; default user)")
      ("since", po::value<std::string>(), "jobs that started on or after this day (YYYY-MM-DD, UTC)")
      ("until", po::value<std::string>(), "jobs that started on or before this day (YYYY-MM-DD, UTC)")
      ("user", po::value<std::string>(), "only this user's jobs")
      ("account", po::value<std::string>(), "only this account's jobs")
      ("format", po::value<std::string>(), "text, csv, json or html")
      ("output,o", po::value<std::string>(), "write to FILE instead of stdout");
  po::variables_map vm;
  if (!parse_command_line(args, ledger_usage, own, vm)) return 0;
  const std::string format = checked_format(vm, {"text", "csv", "json", "html"});
  Settings settings = settings_from(vm);
  ledger::LedgerQuery query;
  std::set<ledger::Grouping> seen;
  for (const auto& given : vm.count("by") ? vm["by"].as<std::vector<std::string>>() : std::vector<std::string>{"user"})
    for (const auto& word : split_csv_line(given)) {
      ledger::Grouping g = ledger::grouping_from(word);
      if (seen.insert(g).second) query.by.push_back(g);
    }
  if (vm.count("since")) query.filter.since_day = checked_day(vm, "since");
  if (vm.count("until")) query.filter.until_day = checked_day(vm, "until");
  if (query.filter.since_day && query.filter.until_day && *query.filter.since_day > *query.filter.until_day)
    throw UsageError("--since " + *query.filter.since_day + " is after --until " + *query.filter.until_day);
  if (vm.count("user")) query.filter.user = vm["user"].as<std::string>();
  if (vm.count("account")) query.filter.account = vm["account"].as<std::string>();
  // Privacy, not security (docs/ledger.md, "Permissions"): the file's mode decides who may read
  // it at all; of a ledger it can read, a user other than root is shown only their own jobs.
  if (::geteuid() != 0) {
    const std::string self = own_user_name();
    if (query.filter.user && *query.filter.user != self)
      throw UsageError("only root sees other users' jobs in the ledger (--user " + query.filter.user->substr(0, 40) + ")");
    query.filter.user = self;
  }
  auto ledger = ledger::open_ledger(settings.ledger, ledger::LedgerAccess::read);
  ledger::LedgerTable table = ledger->report(query);
  const std::string output = vm.count("output") ? vm["output"].as<std::string>() : "";
  if (format == "json") {
    write_output(output, json_text(ledger::ledger_report_json(table), 2) + "\n");
  } else if (format == "csv") {
    write_output(output, ledger::ledger_report_csv(table));
  } else if (format == "html") {
    // Days while they fit on a chart, else months.
    ledger::LedgerQuery over_time = query;
    over_time.by.push_back(ledger::Grouping::day);
    ledger::LedgerTable by_period = ledger->report(over_time);
    std::set<std::string> days;
    for (const auto& g : by_period.groups) days.insert(g.key.back());
    std::string period = "day";
    if (days.size() > 62) {
      over_time.by.back() = ledger::Grouping::month;
      by_period = ledger->report(over_time);
      period = "month";
    }
    std::string subtitle = ledger::ledger_display_name(settings.ledger);
    if (query.filter.since_day) subtitle += ", since " + *query.filter.since_day;
    if (query.filter.until_day) subtitle += ", until " + *query.filter.until_day;
    if (query.filter.user) subtitle += ", user " + *query.filter.user;
    if (query.filter.account) subtitle += ", account " + *query.filter.account;
    write_output(output, ledger::ledger_report_html(table, by_period, period, subtitle));
  } else {
    write_output(output, ledger::ledger_report_text(table));
  }
  return 0;
}

}  // namespace

int command_ledger(const Arguments& args) {
  if (args.empty()) throw UsageError("a subcommand is needed: erg ledger add|report (erg ledger --help)");
  if (args[0] == "--help" || args[0] == "-h") {
    std::cout << "usage: " << ledger_usage << "\n";
    return 0;
  }
  const Arguments rest(args.begin() + 1, args.end());
  if (args[0] == "add") return ledger_add(rest);
  if (args[0] == "report") return ledger_report(rest);
  throw UsageError("unknown subcommand '" + args[0].substr(0, 40) + "': add or report");
}

}  // namespace erg::tools
