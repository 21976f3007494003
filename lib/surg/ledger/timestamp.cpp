#include "surg/ledger/timestamp.hpp"

#include <cstdio>
#include <cstdlib>

#include <spdlog/spdlog.h>

#include "surg/core/error.hpp"

namespace surg::consent {
namespace {

using namespace std::chrono;

std::optional<TimePoint> make_time(int y, int mo, int d, int h, int mi, int s) {
  // A TimePoint counts nanoseconds in 64 bits: years past 2262 would overflow (found by the
  // sanitizers on a ledger line with one byte changed). No consent is dated outside this range.
  if (y < 1900 || y > 2200) return std::nullopt;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
  return sys_days{ymd} + hours{h} + minutes{mi} + seconds{s};
}

// Reads fixed-width fields left to right.
struct Scanner {
  std::string_view text;
  std::size_t pos = 0;
  bool number(int width, int& out) {
    if (pos + static_cast<std::size_t>(width) > text.size()) return false;
    out = 0;
    for (int i = 0; i < width; ++i) {
      const char c = text[pos++];
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    return true;
  }
  bool literal(char c) {
    if (pos >= text.size() || text[pos] != c) return false;
    ++pos;
    return true;
  }
  bool done() const { return pos == text.size(); }
};

}  // namespace

std::string format_utc(TimePoint t) {
  auto secs = floor<seconds>(t);
  auto days = floor<std::chrono::days>(secs);
  year_month_day ymd{days};
  hh_mm_ss hms{secs - days};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()));
  return buffer;
}

std::optional<TimePoint> parse_timestamp(std::string_view text) {
  // YYYY-MM-DDTHH:MM[:SS](Z|+HH:MM|-HH:MM), scanned by hand: this runs for every ledger entry.
  Scanner in{text};
  int y, mo, d, h, mi, s = 0;
  if (!(in.number(4, y) && in.literal('-') && in.number(2, mo) && in.literal('-') && in.number(2, d) &&
        in.literal('T') && in.number(2, h) && in.literal(':') && in.number(2, mi)))
    return std::nullopt;
  if (in.literal(':') && !in.number(2, s)) return std::nullopt;
  auto t = make_time(y, mo, d, h, mi, s);
  if (!t) return std::nullopt;
  if (in.literal('Z')) return in.done() ? t : std::nullopt;
  const bool plus = in.literal('+');
  if (!plus && !in.literal('-')) return std::nullopt;
  int oh, om;
  if (!(in.number(2, oh) && in.literal(':') && in.number(2, om) && in.done()) || oh > 23 || om > 59)
    return std::nullopt;
  const auto offset = hours{oh} + minutes{om};
  return plus ? *t - offset : *t + offset;
}

TimePoint parse_expiry(std::string_view text) {
  Scanner in{text};
  int y, mo, d;
  if (in.number(4, y) && in.literal('-') && in.number(2, mo) && in.literal('-') && in.number(2, d) &&
      in.done()) {
    if (auto t = make_time(y, mo, d, 0, 0, 0)) return *t + days{1};
  } else if (auto t = parse_timestamp(text)) {
    return *t;
  }
  throw UsageError("--expires: '" + std::string(text) +
                   "' is not a date (2026-12-31) or a UTC time (2026-12-31T18:00:00Z)");
}

std::unique_ptr<Clock> clock_from_env() {
  const char* now = std::getenv("SURG_CONSENT_NOW");
  if (now == nullptr || *now == '\0') return std::make_unique<SystemClock>();
#if !SURG_TEST_HOOKS
  // Release builds judge consents by the system clock only (doc/consent.md).
  spdlog::warn("SURG_CONSENT_NOW is ignored: only test builds have a consent clock override");
  return std::make_unique<SystemClock>();
#endif
  auto t = parse_timestamp(now);
  if (!t) throw UsageError("SURG_CONSENT_NOW: not an ISO-8601 UTC time: " + std::string(now));
  spdlog::warn("SURG_CONSENT_NOW is set: the consent clock is frozen at {} (tests only)", format_utc(*t));
  return std::make_unique<FixedClock>(*t);
}

}  // namespace surg::consent
