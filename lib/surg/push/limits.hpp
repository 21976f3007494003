#pragma once
// Duration limits of a push: a platform's own (Facebook Live ends a live video at 8 hours,
// YouTube Live stops archiving past 12) and --max-duration, which ends the push cleanly.
// The operator is warned 10 minutes and 1 minute before either.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "surg/core/units.hpp"

namespace surg::push {

struct Preset;

// The longest live video the preset's platform accepts; nullopt when it publishes none.
std::optional<Micros> platform_max_duration(std::string_view platform);

struct LimitNotice {
  std::string what;  // "--max-duration" or the platform's name
  Micros remaining;  // until the limit
  Micros limit;
};

class DurationLimits {
 public:
  // `max_duration` 0 = none. `preset` may be null.
  DurationLimits(Micros max_duration, const Preset* preset);
  // Notices newly due at `media_time` (each given once).
  std::vector<LimitNotice> due(Micros media_time);
  bool reached(Micros media_time) const { return max_.count() > 0 && media_time >= max_; }
  Micros max_duration() const { return max_; }
  // A warning to log at start, e.g. --max-duration beyond the platform's limit.
  std::optional<std::string> conflict() const;

 private:
  struct Limit {
    std::string what;
    Micros at;
    int told = 0;  // notices given (10 min, 1 min)
  };
  Micros max_;
  std::vector<Limit> limits_;
};

inline constexpr Micros kLimitWarnings[] = {Micros(600000000), Micros(60000000)};

}  // namespace surg::push
