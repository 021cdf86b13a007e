#include "ledger/utc_date.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace erg::ledger {

namespace {

bool leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil):
// timegm() would do, but it normalises 2026-02-31 into March instead of refusing it.
long long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

bool valid_date(int y, int m, int d) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  return d <= days[m - 1] + (m == 2 && leap(y) ? 1 : 0);
}

std::string strftime_utc(double unix_s, const char* format) {
  if (!std::isfinite(unix_s)) return "";
  std::time_t seconds = static_cast<std::time_t>(std::floor(unix_s));
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, format, &tm);
  return buffer;
}

}  // namespace

std::optional<double> parse_utc_date(const std::string& date) {
  int y = 0, m = 0, d = 0, used = 0;
  if (date.size() != 10 || std::sscanf(date.c_str(), "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || used != 10 ||
      date[4] != '-' || date[7] != '-' || !valid_date(y, m, d))
    return std::nullopt;
  return static_cast<double>(days_from_civil(y, m, d)) * 86400.0;
}

std::optional<double> parse_utc_time(const std::string& text) {
  if (text.size() < 20 || text[10] != 'T') return std::nullopt;
  auto day = parse_utc_date(text.substr(0, 10));
  int hh = 0, mm = 0, ss = 0, used = 0;
  if (!day || std::sscanf(text.c_str() + 11, "%2d:%2d:%2d%n", &hh, &mm, &ss, &used) != 3 || used != 8 ||
      hh > 23 || mm > 59 || ss > 60)
    return std::nullopt;
  std::size_t i = 19;
  double fraction = 0, scale = 0.1;
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, scale /= 10) fraction += (text[i] - '0') * scale;
  }
  const std::string zone = text.substr(i);
  if (zone != "Z" && zone != "+00:00") return std::nullopt;
  return *day + hh * 3600.0 + mm * 60.0 + ss + fraction;
}

std::string utc_day(double unix_s) { return strftime_utc(unix_s, "%Y-%m-%d"); }
std::string utc_month(double unix_s) { return strftime_utc(unix_s, "%Y-%m"); }

}  // namespace erg::ledger
