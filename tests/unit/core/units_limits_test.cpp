// Hostile and FFmpeg-style values for durations, sizes and rates (issue 10, issue 11 item 16).
#include <catch2/catch.hpp>

#include <chrono>

#include "surg/core/error.hpp"
#include "surg/core/units.hpp"

using namespace surg;
using namespace std::chrono_literals;

TEST_CASE("clock durations keep minutes and seconds below 60") {
  CHECK_THROWS_AS(parse_duration("1:75"), UsageError);
  CHECK_THROWS_AS(parse_duration("1:60"), UsageError);
  CHECK_THROWS_AS(parse_duration("1:61:00"), UsageError);
  CHECK(parse_duration("90:00") == 5400s);  // the first field is free: 90 minutes
  CHECK(parse_duration("1:59.5") == Micros(119500000));
}

TEST_CASE("durations too large to represent are usage errors, not overflows") {
  for (const char* bad : {"99999999999999999999h", "99999999999999999999", "1e300", "100000001",
                          "9999999999:00:00", "179769313486231570000000000000000"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_duration(bad), UsageError);
  }
  CHECK(parse_duration("100000000") == Micros(100000000000000));
}

TEST_CASE("seconds from JSON are bounded") {
  CHECK_FALSE(seconds_to_micros(1e300));
  CHECK_FALSE(seconds_to_micros(-1));
  CHECK_FALSE(seconds_to_micros(std::numeric_limits<double>::quiet_NaN()));
  CHECK_FALSE(seconds_to_micros(std::numeric_limits<double>::infinity()));
  CHECK(seconds_to_micros(2.5) == Micros(2500000));
}

TEST_CASE("durations also take FFmpeg's av_parse_time forms") {
  CHECK(parse_duration("55.5") == Micros(55500000));
  CHECK(parse_duration("100ms") == 100ms);
  CHECK(parse_duration("250us") == Micros(250));
  CHECK(parse_duration("00:01:30.5") == Micros(90500000));
  CHECK_THROWS_AS(parse_duration("-1"), UsageError);
}

TEST_CASE("sizes take FFmpeg's names") {
  CHECK(parse_size("hd720") == Size{1280, 720});
  CHECK(parse_size("hd1080") == Size{1920, 1080});
  CHECK(parse_size("vga") == Size{640, 480});
  for (const char* bad : {"hd9999", "99999999999x720", "4294968576x720", "1280x4294967952", "1280x-720",
                          "-1280x720", "8194x720", " 1280x720", "x"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_size(bad), UsageError);
  }
}

TEST_CASE("frame rates take FFmpeg's forms but never evaluate expressions") {
  CHECK(parse_rate("ntsc").num == 30000);
  CHECK(parse_rate("ntsc").den == 1001);
  CHECK(parse_rate("pal").num == 25);
  CHECK(parse_rate("30000/1001").den == 1001);
  CHECK(parse_rate("25").num == 25);
  CHECK(parse_rate("29.97").den > 1);
  // av_parse_ratio would evaluate these (while() never ends).
  for (const char* bad : {"while(1,1)", "2*15", "1e9", "30/0", "0", "-25", "241", "", "25 fps"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_rate(bad), UsageError);
  }
}

TEST_CASE("bitrates out of range are refused") {
  CHECK_THROWS_AS(parse_bitrate("99999999999999999999999M"), UsageError);
  CHECK_THROWS_AS(parse_bitrate("1e400"), UsageError);
}
