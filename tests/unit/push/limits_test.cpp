#include <catch2/catch.hpp>

#include "surg/push/limits.hpp"
#include "surg/push/presets.hpp"

using surg::Micros;
using namespace surg::push;

namespace {
Micros min(long long m) { return Micros(m * 60000000); }
}  // namespace

TEST_CASE("Facebook's 8 hours and YouTube's 12 are known; others none") {
  CHECK(platform_max_duration("Facebook Live") == min(480));
  CHECK(platform_max_duration("YouTube Live") == min(720));
  CHECK_FALSE(platform_max_duration("intranet"));
}

TEST_CASE("max-duration: warns 10 min and 1 min before, once each, then is reached") {
  DurationLimits l(min(60), nullptr);
  CHECK(l.due(min(10)).empty());
  auto n = l.due(min(50));
  REQUIRE(n.size() == 1);
  CHECK(n[0].what == "--max-duration");
  CHECK(n[0].remaining == min(10));
  CHECK(l.due(min(51)).empty());  // given once
  n = l.due(min(59) + Micros(30000000));
  REQUIRE(n.size() == 1);
  CHECK(n[0].remaining == Micros(30000000));
  CHECK_FALSE(l.reached(min(59) + Micros(30000000)));
  CHECK(l.reached(min(60)));
  CHECK(l.due(min(61)).empty());
}

TEST_CASE("a preset's platform limit warns without ending the push") {
  const Preset* fb = find_preset("facebook-720p30");
  REQUIRE(fb);
  DurationLimits l(Micros(0), fb);
  const auto n = l.due(min(470));
  REQUIRE(n.size() == 1);
  CHECK(n[0].what == "Facebook Live's limit");
  CHECK(n[0].limit == min(480));
  CHECK_FALSE(l.reached(min(500)));  // the platform ends it; surg-push only warned
  CHECK_FALSE(l.conflict());
}

TEST_CASE("a push that starts within the last minute warns once, with the time left") {
  DurationLimits l(Micros(30000000), nullptr);
  const auto n = l.due(Micros(0));
  REQUIRE(n.size() == 1);
  CHECK(n[0].remaining == Micros(30000000));
  CHECK(l.due(Micros(1000000)).empty());
}

TEST_CASE("max-duration: beyond the platform's limit is a conflict to warn about") {
  DurationLimits l(min(540), find_preset("facebook-1080p30"));
  REQUIRE(l.conflict());
  CHECK(l.conflict()->find("Facebook Live") != std::string::npos);
}
