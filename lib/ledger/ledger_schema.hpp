#pragma once
#include <string>
#include <vector>

#include "ledger/ledger_query.hpp"
#include "ledger/ledger_row.hpp"

namespace erg::ledger {

// The ledger's tables, as numbered migrations: migration N (1-based) takes a ledger from
// schema version N-1 to N, and schema_version holds the versions applied. A new column or
// index is a new migration appended here, never an edit of an old one, so that every ledger
// already in use reaches the same schema. Portable SQL only (SQLite and PostgreSQL): TEXT,
// INTEGER, BIGINT, DOUBLE PRECISION, and no names that either reserves (user, end, partition).
const std::vector<std::vector<std::string>>& ledger_migrations();
inline int latest_schema_version() { return static_cast<int>(ledger_migrations().size()); }

// Makes the version table where there is none (every back end runs it before reading it).
constexpr const char* schema_version_table_sql = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)";
constexpr const char* schema_version_sql = "SELECT MAX(version) FROM schema_version";
constexpr const char* record_schema_version_sql = "INSERT INTO schema_version (version) VALUES (?)";

// Adds or replaces the job's row (INSERT ... ON CONFLICT DO UPDATE: SQLite 3.24+, PostgreSQL 9.5+).
SqlStatement upsert_job_sql(const LedgerRow& row);
// Its energy per domain: the old rows deleted, then one insert per domain.
SqlStatement delete_job_domains_sql(const LedgerRow& row);
SqlStatement insert_job_domain_sql(const LedgerRow& row, const std::string& domain, double energy_j, bool estimated);
// A job's row back (tests, and the check that an add changed nothing): the columns of
// row_columns, in order; and its domains (domain, energy_j, estimated).
SqlStatement select_job_sql(const std::string& job_id, const std::string& cluster);
SqlStatement select_job_domains_sql(const std::string& job_id, const std::string& cluster);
const std::vector<std::string>& row_columns();

}  // namespace erg::ledger
