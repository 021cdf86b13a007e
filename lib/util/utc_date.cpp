#include "util/utc_date.hpp"

#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <ctime>

namespace erg {

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

// sscanf's %d takes a sign and spaces: the places that must hold digits are checked first.
bool digits_at(const std::string& text, std::initializer_list<std::size_t> places) {
  for (std::size_t i : places)
    if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
  return true;
}

}  // namespace

std::optional<double> parse_utc_date(const std::string& date) {
  int y = 0, m = 0, d = 0, used = 0;
  if (date.size() != 10 || !digits_at(date, {0, 1, 2, 3, 5, 6, 8, 9}) || std::sscanf(date.c_str(), "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || used != 10 ||
      date[4] != '-' || date[7] != '-' || !valid_date(y, m, d))
    return std::nullopt;
  return static_cast<double>(days_from_civil(y, m, d)) * 86400.0;
}

std::optional<double> parse_utc_time(const std::string& text) {
  if (text.size() < 20 || text[10] != 'T' || !digits_at(text, {11, 12, 14, 15, 17, 18}) || text[13] != ':' ||
      text[16] != ':')
    return std::nullopt;
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

std::optional<double> parse_iso8601(const std::string& text) {
  if (text.size() < 16 || (text[10] != 'T' && text[10] != ' ') || text[13] != ':' || !digits_at(text, {11, 12, 14, 15}))
    return std::nullopt;
  auto day = parse_utc_date(text.substr(0, 10));
  if (!day) return std::nullopt;
  const int hh = (text[11] - '0') * 10 + (text[12] - '0'), mm = (text[14] - '0') * 10 + (text[15] - '0');
  double seconds = 0;
  std::size_t i = 16;
  if (i < text.size() && text[i] == ':') {
    if (!digits_at(text, {17, 18})) return std::nullopt;
    seconds = (text[17] - '0') * 10 + (text[18] - '0');
    i = 19;
    if (i < text.size() && text[i] == '.') {
      double scale = 0.1;
      for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, scale /= 10) seconds += (text[i] - '0') * scale;
    }
  }
  if (hh > 23 || mm > 59 || seconds >= 61) return std::nullopt;
  double offset_s = 0;
  const std::string zone = text.substr(i);
  if (zone.empty() || zone == "Z") {
    offset_s = 0;
  } else if ((zone[0] == '+' || zone[0] == '-') && (zone.size() == 6 || zone.size() == 5)) {
    const std::string hhmm = zone.size() == 6 ? zone.substr(1, 2) + zone.substr(4, 2) : zone.substr(1, 4);
    if ((zone.size() == 6 && zone[3] != ':') || !digits_at(hhmm, {0, 1, 2, 3})) return std::nullopt;
    offset_s = ((hhmm[0] - '0') * 10 + (hhmm[1] - '0')) * 3600.0 + ((hhmm[2] - '0') * 10 + (hhmm[3] - '0')) * 60.0;
    if (zone[0] == '-') offset_s = -offset_s;
  } else {
    return std::nullopt;
  }
  // 10:00+01:00 is 09:00 UTC.
  return *day + hh * 3600.0 + mm * 60.0 + seconds - offset_s;
}

std::string iso8601_utc(double unix_s) { return strftime_utc(std::round(unix_s), "%Y-%m-%dT%H:%M:%SZ"); }

std::string utc_day(double unix_s) { return strftime_utc(unix_s, "%Y-%m-%d"); }
std::string utc_month(double unix_s) { return strftime_utc(unix_s, "%Y-%m"); }

}  // namespace erg
