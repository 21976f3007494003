#include <catch2/catch.hpp>

#include "surg/annotate/captions.hpp"
#include "surg/core/error.hpp"

using namespace surg::annotate;
using surg::Micros;

namespace {

std::string error_of(const std::string& content) {
  try {
    parse_captions(content, "c.srt");
  } catch (const surg::InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("SRT cues with numbers, CRLF, BOM, several lines") {
  const auto cues = parse_srt(
      "\xEF\xBB\xBF"
      "1\r\n00:00:01,000 --> 00:00:02,500\r\nHello\r\n<i>world</i>\r\n\r\n"
      "2\r\n01:02:03.004 --> 01:02:04,000 X1:10 X2:20\r\nl'été : 100%\r\n",
      "c.srt");
  REQUIRE(cues.size() == 2);
  CHECK(cues[0].start == Micros(1'000'000));
  CHECK(cues[0].end == Micros(2'500'000));
  CHECK(cues[0].text == "Hello\n<i>world</i>");
  CHECK(cues[0].line == 2);
  CHECK(cues[1].start == Micros(3'723'004'000));
  CHECK(cues[1].text == "l'été : 100%");
}

TEST_CASE("SRT without cue numbers and with extra blank lines") {
  const auto cues =
      parse_srt("\n\n00:00:00,000 --> 00:00:01,000\nA\n\n\n\n00:00:01,000 --> 00:00:02,000\nB\n", "c.srt");
  REQUIRE(cues.size() == 2);
  CHECK(cues[1].text == "B");
}

TEST_CASE("malformed SRT names the line") {
  CHECK(
      error_of("1\n00:00:01,000 -> 00:00:02,000\nx\n") ==
      "c.srt:2: expected a timing line 'HH:MM:SS,mmm --> HH:MM:SS,mmm', got '00:00:01,000 -> 00:00:02,000'");
  CHECK_THAT(error_of("1\n00:00:01,000 --> 00:00:02,000\nok\n\nabc\n00:00:03,000 --> 00:00:04,000\n"),
             Catch::StartsWith("c.srt:5: expected a cue number"));
  CHECK_THAT(error_of("1\n00:00:05,000 --> 00:00:02,000\nx\n"),
             Catch::StartsWith("c.srt:2: the cue ends before"));
  CHECK_THAT(error_of("1\n00:00:01,000 --> 00:00:02,000\nbad \xC3\x28 byte\n"),
             Catch::StartsWith("c.srt:3: invalid UTF-8"));
  CHECK_THAT(error_of("1\n00:61:01,000 --> 00:62:02,000\nx\n"),
             Catch::StartsWith("c.srt:2: expected a timing"));
  CHECK_THAT(error_of("1\n"), Catch::StartsWith("c.srt:1: expected a timing line"));
  CHECK_THAT(error_of("\n\n"), Catch::Contains("no caption cues"));
}

TEST_CASE("WebVTT with header, notes, identifiers and hour-less times") {
  const auto cues = parse_captions(
      "WEBVTT - teaching clip\nKind: captions\n\nNOTE a comment\nover two lines\n\n"
      "intro\n00:01.000 --> 00:02.000 align:start\nFirst\n\n"
      "01:00:00.500 --> 01:00:01.000\nSecond\n",
      "c.vtt");
  REQUIRE(cues.size() == 2);
  CHECK(cues[0].start == Micros(1'000'000));
  CHECK(cues[0].text == "First");
  CHECK(cues[1].start == Micros(3'600'500'000));
}

TEST_CASE("malformed WebVTT names the line") {
  CHECK_THROWS_WITH(parse_webvtt("WEBVT\n\n00:01.000 --> 00:02.000\nx\n", "c.vtt"),
                    "c.vtt:1: expected 'WEBVTT'");
  CHECK_THROWS_WITH(parse_captions("WEBVTT\n\nid\n00:01,000 --> 00:02.000\nx\n", "c.vtt"),
                    Catch::StartsWith("c.vtt:4: expected a timing line"));
}
