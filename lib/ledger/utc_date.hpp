#pragma once
#include <optional>
#include <string>

namespace erg::ledger {

// The ledger groups jobs by the UTC day and month of their start, computed here once, when
// a row is made, so that the queries need no date functions (which differ between SQLite
// and PostgreSQL) and stay portable.

// "2026-12-03T18:34:42.123Z" (or without fraction, or "+00:00") -> seconds since the epoch;
// nullopt for text that is not such a UTC time.
std::optional<double> parse_utc_time(const std::string& iso8601);
// "2026-12-03" -> its 00:00 UTC in seconds since the epoch; nullopt when not a real date.
std::optional<double> parse_utc_date(const std::string& date);
std::string utc_day(double unix_s);    // "2026-12-03"
std::string utc_month(double unix_s);  // "2026-12"

}  // namespace erg::ledger
