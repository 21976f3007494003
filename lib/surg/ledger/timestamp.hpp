#pragma once
// Times in the ledger are UTC ISO-8601 with seconds ("2026-11-28T04:21:22Z"): one spelling per
// instant, so lines stay canonical and compare as strings in time order.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "surg/core/clock.hpp"

namespace surg::consent {

using TimePoint = std::chrono::system_clock::time_point;

std::string format_utc(TimePoint t);

// "2026-11-28T04:21:22Z", "2026-11-28T05:21:22+01:00", "2026-11-28T04:21Z".
// nullopt on anything else (including a missing zone: local time is ambiguous in a record).
std::optional<TimePoint> parse_timestamp(std::string_view text);

// An expiry as given to --expires: a timestamp, or a date "2026-12-31" meaning the whole day
// (UTC) is included, i.e. expiry at 2027-01-01T00:00:00Z. Throws UsageError.
TimePoint parse_expiry(std::string_view text);

// A clock stopped at one instant (tests, SURG_CONSENT_NOW).
class FixedClock : public Clock {
 public:
  explicit FixedClock(TimePoint t) : t_(t) {}
  TimePoint now() const override { return t_; }
  void set(TimePoint t) { t_ = t; }

 private:
  TimePoint t_;
};

// SystemClock; in builds with SURG_TEST_HOOKS only, a FixedClock at SURG_CONSENT_NOW
// (ISO-8601) when that variable is set, logged as a warning whenever it is in effect. Release
// builds ignore the variable (with a warning).
std::unique_ptr<Clock> clock_from_env();

}  // namespace surg::consent
