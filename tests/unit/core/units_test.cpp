#include <catch2/catch.hpp>

#include "surg/core/error.hpp"
#include "surg/core/units.hpp"

using namespace surg;
using namespace std::chrono_literals;

TEST_CASE("durations accept every documented form") {
  CHECK(parse_duration("90") == 90s);
  CHECK(parse_duration("90s") == 90s);
  CHECK(parse_duration("500ms") == 500ms);
  CHECK(parse_duration("1m30s") == 90s);
  CHECK(parse_duration("1h2m") == 3720s);
  CHECK(parse_duration("1:30") == 90s);
  CHECK(parse_duration("01:02:03.5") == Micros(3723500000));
  CHECK(parse_duration("0.25") == 250ms);
}

TEST_CASE("durations refuse garbage with a usage error naming the text") {
  for (const char* bad : {"", "abc", "-5", "1:2:3:4", "5 s", "10x", "1::2", ":30"}) {
    INFO(bad);
    try {
      parse_duration(bad);
      FAIL("accepted");
    } catch (const UsageError& e) {
      CHECK(std::string(e.what()).find(std::string("'") + bad + "'") != std::string::npos);
      CHECK(e.status() == ExitStatus::usage);
    }
  }
}

TEST_CASE("format_duration is readable") { CHECK(format_duration(Micros(3723500000)) == "1:02:03.500"); }

TEST_CASE("sizes") {
  CHECK(parse_size("1280x720") == Size{1280, 720});
  CHECK_THROWS_AS(parse_size("1281x720"), UsageError);
  CHECK_THROWS_AS(parse_size("1280"), UsageError);
  CHECK_THROWS_AS(parse_size("0x0"), UsageError);
  CHECK_THROWS_AS(parse_size("1280x720x3"), UsageError);
}

TEST_CASE("bitrates") {
  CHECK(parse_bitrate("4500k") == 4500000);
  CHECK(parse_bitrate("4.5M") == 4500000);
  CHECK(parse_bitrate("128000") == 128000);
  CHECK_THROWS_AS(parse_bitrate("fast"), UsageError);
  CHECK_THROWS_AS(parse_bitrate("0"), UsageError);
  CHECK_THROWS_AS(parse_bitrate("5G"), UsageError);
}
