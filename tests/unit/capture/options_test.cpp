#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "surg/capture/options.hpp"
#include "surg/core/error.hpp"

using surg::capture::Options;
using surg::capture::Plan;
using surg::capture::SourceKind;

namespace {

// Parses like tool_main: the common -i/--input first, then the tool's options.
Plan plan_of(std::vector<std::string> args) {
  Options options;
  std::string common_input = "-";
  CLI::App app("test", "surg-capture");
  app.add_option("-i,--input", common_input);
  surg::capture::add_options(app, options);
  std::reverse(args.begin(), args.end());
  app.parse(args);
  return surg::capture::make_plan(options);
}

}  // namespace

TEST_CASE("no source means the test pattern", "[options]") {
  const Plan p = plan_of({});
  CHECK(p.kind == SourceKind::test_pattern);
  CHECK_FALSE(p.duration);  // unbounded
  CHECK_FALSE(p.realtime);
  CHECK(p.audio_enabled());
}

TEST_CASE("sources and their settings", "[options]") {
  Plan p = plan_of({"--input", "rec.mkv", "--start", "1:30", "--duration", "2m", "--realtime"});
  CHECK(p.kind == SourceKind::input);
  CHECK(p.location == "rec.mkv");
  CHECK(p.start == surg::Micros(90000000));
  CHECK(p.duration == surg::Micros(120000000));
  CHECK(p.realtime);
  p = plan_of({"-i", "-"});  // stdin is a valid input too
  CHECK(p.kind == SourceKind::input);
  CHECK(p.location == "-");
  p = plan_of({"--device", "/dev/video0", "--audio", "hw:1,0", "--fps", "30000/1001", "--size", "1920x1080"});
  CHECK(p.kind == SourceKind::device);
  CHECK(p.audio == "hw:1,0");
  CHECK(p.fps->num == 30000);
  CHECK(p.fps->den == 1001);
  CHECK(p.size == surg::Size{1920, 1080});
  p = plan_of({"--device", "/dev/video0", "--realtime"});
  CHECK_FALSE(p.realtime);  // a device is live already
  p = plan_of({"--test-pattern", "--oob-every", "20s", "--oob-length", "5s", "--audio", "none"});
  CHECK(p.oob_every == surg::Micros(20000000));
  CHECK(p.oob_length == surg::Micros(5000000));
  CHECK_FALSE(p.audio_enabled());
  CHECK(plan_of({"--realtime", "--no-realtime"}).realtime == false);
}

TEST_CASE("frame rates", "[options]") {
  CHECK(surg::capture::parse_rate("25").num == 25);
  CHECK(surg::capture::parse_rate("30000/1001").den == 1001);
  CHECK(av_q2d(surg::capture::parse_rate("29.97")) == Approx(29.97));
  CHECK(surg::capture::parse_rate("60/2").num == 30);
  for (const char* bad : {"0", "-5", "abc", "30/0", "1000", "25fps", "", "/", "30/"})
    CHECK_THROWS_AS(surg::capture::parse_rate(bad), surg::UsageError);
}

TEST_CASE("bad combinations are usage errors", "[options]") {
  CHECK_THROWS_AS(plan_of({"--test-pattern", "--input", "x.mp4"}), surg::UsageError);
  CHECK_THROWS_AS(plan_of({"--device", "/dev/video0", "--input", "x.mp4"}), surg::UsageError);
  CHECK_THROWS_AS(plan_of({"--start", "10"}), surg::UsageError);
  CHECK_THROWS_AS(plan_of({"--input", "x.mp4", "--fps", "25"}), surg::UsageError);
  CHECK_THROWS_AS(plan_of({"--audio", "hw:0,0"}), surg::UsageError);
  CHECK_THROWS_AS(plan_of({"--input", "x.mp4", "--oob-every", "10"}), surg::UsageError);
  CHECK_THROWS_AS(plan_of({"--oob-every", "3", "--oob-length", "3"}), surg::UsageError);
  CHECK_THROWS_AS(plan_of({"--size", "1281x720"}), surg::UsageError);
  CHECK_THROWS_AS(plan_of({"--input-format", "mjpeg"}), surg::UsageError);
  CHECK_THROWS_AS(plan_of({"--duration", "0"}), surg::UsageError);
  CHECK_THROWS_AS(plan_of({"--duration", "soon"}), CLI::ValidationError);
}
