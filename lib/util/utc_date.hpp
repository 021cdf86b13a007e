#pragma once
#include <optional>
#include <string>

namespace erg {

// Dates and times as erg reads and writes them: ISO 8601, UTC. The ledger groups jobs by the
// UTC day and month of their start, computed once when a row is made, so that its queries need
// no date functions (which differ between SQLite and PostgreSQL).

// "2026-12-03T18:34:42.123Z" (or without fraction, or "+00:00") -> seconds since the epoch;
// nullopt for text that is not such a UTC time.
std::optional<double> parse_utc_time(const std::string& iso8601);
// "2026-12-03" -> its 00:00 UTC in seconds since the epoch; nullopt when not a real date.
std::optional<double> parse_utc_date(const std::string& date);
// The forms of exported time series (grid intensity CSVs): "2026-12-03T10:00:00Z",
// "2026-12-03 10:00", "2026-12-03T10:00:00.000+01:00", "...+0100"; no zone means UTC.
std::optional<double> parse_iso8601(const std::string& text);
std::string iso8601_utc(double unix_s);  // "2026-12-03T10:00:00Z", whole seconds
std::string utc_day(double unix_s);    // "2026-12-03"
std::string utc_month(double unix_s);  // "2026-12"

}  // namespace erg
