// Fill colours (issue 10): FFmpeg's colour syntax, and full-range fills on yuvj frames.
#include <catch2/catch.hpp>

#include "surg/anonymize/planes.hpp"
#include "surg/core/error.hpp"
#include "surg/media/av.hpp"

using namespace surg::anonymize;

TEST_CASE("fill colours take FFmpeg's colour syntax; random is refused") {
  CHECK(parse_color("0x000000") == Yuv{16, 128, 128});
  CHECK(parse_color("Black") == Yuv{16, 128, 128});
  CHECK(parse_color("gray") == parse_color("#808080"));
  CHECK(parse_color("red@0.5") == parse_color("ff0000"));
  for (const char* bad : {"random", "", "#12345", "notacolour", "#GGGGGG"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_color(bad), surg::UsageError);
  }
}

TEST_CASE("full-range frames get full-range fills") {
  CHECK(to_full_range(parse_color("black")) == Yuv{0, 128, 128});
  CHECK(to_full_range(parse_color("white")) == Yuv{255, 128, 128});
  auto frame = surg::media::alloc_video_frame(32, 32, AV_PIX_FMT_YUVJ420P);
  Planes p = planes_of(*frame);
  CHECK(p.full_range);
  fill_rect(p, {0, 0, 32, 32}, parse_color("black"));
  CHECK(p.plane[0].at<std::uint8_t>(5, 5) == 0);
  auto limited = surg::media::alloc_video_frame(32, 32, AV_PIX_FMT_YUV420P);
  Planes q = planes_of(*limited);
  CHECK_FALSE(q.full_range);
  fill_rect(q, {0, 0, 32, 32}, parse_color("black"));
  CHECK(q.plane[0].at<std::uint8_t>(5, 5) == 16);
}
