#include "surg/push/limits.hpp"

#include "surg/push/presets.hpp"

namespace surg::push {

std::optional<Micros> platform_max_duration(std::string_view platform) {
  using std::chrono::hours;
  // Published limits: Facebook ends a live video at 8 h; YouTube keeps no archive past 12 h.
  if (platform == "Facebook Live") return std::chrono::duration_cast<Micros>(hours(8));
  if (platform == "YouTube Live") return std::chrono::duration_cast<Micros>(hours(12));
  return std::nullopt;
}

DurationLimits::DurationLimits(Micros max_duration, const Preset* preset) : max_(max_duration) {
  if (max_.count() > 0) limits_.push_back({"--max-duration", max_});
  if (!preset) return;
  if (auto platform = platform_max_duration(preset->platform))
    limits_.push_back({std::string(preset->platform) + "'s limit", *platform});
}

std::vector<LimitNotice> DurationLimits::due(Micros t) {
  std::vector<LimitNotice> out;
  for (auto& l : limits_) {
    // Only the nearest notice not given yet: a push started near a limit warns once.
    int next = l.told;
    while (next < 2 && t >= l.at - kLimitWarnings[next]) ++next;
    if (next == l.told) continue;
    l.told = next;
    if (t < l.at) out.push_back({l.what, l.at - t, l.at});
  }
  return out;
}

std::optional<std::string> DurationLimits::conflict() const {
  if (limits_.size() < 2 || max_ <= limits_[1].at) return std::nullopt;
  return "--max-duration " + format_duration(max_) + " is beyond " + limits_[1].what + " (" +
         format_duration(limits_[1].at) + "): the platform will end the video first";
}

}  // namespace surg::push
