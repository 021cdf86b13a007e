#include "ledger/postgres_connection.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <type_traits>
#include <vector>

#include "util/errors.hpp"

namespace erg::ledger {

namespace {

// libpq's messages end in a line break and may run on: the first line is the one a user reads.
std::string first_line(const char* message) {
  std::string text = message ? message : "";
  text = text.substr(0, std::min(text.find('\n'), std::size_t{200}));
  return text.empty() ? "unknown error" : text;
}

// Every value travels as text, which PostgreSQL converts to its column's type: a double with
// the 17 digits that bring it back exactly.
std::string as_text(const SqlValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::nullptr_t>) return "";
        else if constexpr (std::is_same_v<T, long long>) return std::to_string(v);
        else if constexpr (std::is_same_v<T, double>) {
          char text[40];
          std::snprintf(text, sizeof text, "%.17g", v);
          return text;
        } else return v;
      },
      value);
}

struct ClearResult {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ClearResult>;

// libpq runs a statement whole: its rows are all here, read in order.
class PostgresRows : public SqlRows {
 public:
  explicit PostgresRows(Result result) : result_(std::move(result)), rows_(PQntuples(result_.get())) {}
  bool next() override { return ++row_ < rows_; }
  std::string text(int column) const override {
    return std::string(PQgetvalue(result_.get(), row_, column),
                       static_cast<std::size_t>(PQgetlength(result_.get(), row_, column)));
  }
  double number(int column, double null_value) const override {
    if (PQgetisnull(result_.get(), row_, column)) return null_value;
    // PostgreSQL prints NaN and Infinity as strtod reads them.
    return std::strtod(PQgetvalue(result_.get(), row_, column), nullptr);
  }
  long long integer(int column) const override { return std::strtoll(PQgetvalue(result_.get(), row_, column), nullptr, 10); }

 private:
  Result result_;
  int rows_;
  int row_ = -1;
};

// The server's notices ("relation already exists, skipping") would go to stderr.
void ignore_notice(void*, const char*) {}

}  // namespace

std::string numbered_placeholders(const std::string& sql) {
  std::string numbered;
  bool quoted = false;
  int next = 1;
  for (char c : sql) {
    if (c == '\'') quoted = !quoted;
    if (c == '?' && !quoted) numbered += "$" + std::to_string(next++);
    else numbered += c;
  }
  return numbered;
}

void PostgresConnection::Close::operator()(pg_conn* connection) const { PQfinish(connection); }

PostgresConnection::PostgresConnection(const std::string& url, LedgerAccess access) {
  // The URL's own settings come last, so that they win over these defaults.
  const std::string timeout = std::to_string(connect_timeout_s);
  const char* keywords[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
  const char* values[] = {timeout.c_str(), "erg", url.c_str(), nullptr};
  connection_.reset(PQconnectdbParams(keywords, values, 1));
  if (!connection_) throw UsageError("cannot open the ledger: out of memory");
  if (PQstatus(connection_.get()) != CONNECTION_OK)
    throw UsageError("cannot open the ledger: " + first_line(PQerrorMessage(connection_.get())));
  PQsetNoticeProcessor(connection_.get(), ignore_notice, nullptr);
  // Read access writes nothing, whatever the role may do.
  if (access == LedgerAccess::read) execute({"SET default_transaction_read_only = on", {}});
}

std::unique_ptr<SqlRows> PostgresConnection::query(const SqlStatement& statement) {
  std::vector<std::string> texts;
  std::vector<const char*> values;
  texts.reserve(statement.parameters.size());
  for (const auto& parameter : statement.parameters) {
    texts.push_back(as_text(parameter));
    values.push_back(std::holds_alternative<std::nullptr_t>(parameter) ? nullptr : texts.back().c_str());
  }
  Result result(PQexecParams(connection_.get(), numbered_placeholders(statement.sql).c_str(),
                             static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0));
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    throw UsageError("ledger: " + first_line(result ? PQresultErrorMessage(result.get()) : PQerrorMessage(connection_.get())));
  return std::make_unique<PostgresRows>(std::move(result));
}

void PostgresConnection::begin_write() {
  execute({"BEGIN", {}});
  execute({"SELECT pg_advisory_xact_lock(?)", {writer_lock_key}});
}

// Repeatable read: the groups and the total are sums of the same jobs.
void PostgresConnection::begin_read() { execute({"BEGIN ISOLATION LEVEL REPEATABLE READ", {}}); }

void PostgresConnection::rollback() noexcept { PQclear(PQexec(connection_.get(), "ROLLBACK")); }

bool PostgresConnection::has_table(const std::string& name) {
  auto rows = query({"SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE tablename = ? AND schemaname = current_schema()",
                     {name}});
  return rows->next() && rows->integer(0) > 0;
}

}  // namespace erg::ledger
