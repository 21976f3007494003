#include <catch2/catch.hpp>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "surg/capture/timecode.hpp"
#include "surg/media/av.hpp"

using surg::capture::read_timecode;
using surg::capture::TimeCode;

TEST_CASE("time code round trip on a luma plane", "[timecode]") {
  for (const cv::Size size :
       {cv::Size(1280, 720), cv::Size(1920, 1080), cv::Size(640, 360), cv::Size(320, 240)}) {
    cv::Mat luma(size, CV_8UC1, cv::Scalar(90));
    const TimeCode code{1795860000123456, 4294967000u};
    surg::capture::draw_timecode(luma, code);
    const auto back = read_timecode(luma);
    INFO(size.width << "x" << size.height);
    REQUIRE(back);
    CHECK(*back == code);
  }
}

TEST_CASE("time code survives noise and a blur, as after lossy coding", "[timecode]") {
  cv::Mat luma(720, 1280, CV_8UC1, cv::Scalar(60));
  const TimeCode code{1700000000000001, 12345};
  surg::capture::draw_timecode(luma, code);
  cv::Mat noise(luma.size(), CV_8SC1);
  cv::RNG rng(7);
  rng.fill(noise, cv::RNG::UNIFORM, -30, 30);
  cv::Mat noisy;
  luma.convertTo(noisy, CV_16S);
  noisy += noise;
  noisy.convertTo(luma, CV_8U);
  const auto back = read_timecode(luma);
  REQUIRE(back);
  CHECK(*back == code);
}

TEST_CASE("a corrupted or missing time code reads as none", "[timecode]") {
  cv::Mat luma(720, 1280, CV_8UC1, cv::Scalar(16));
  CHECK_FALSE(read_timecode(luma));  // no band: references are both black
  surg::capture::draw_timecode(luma, TimeCode{42, 7});
  // Flip one data block of each copy: the CRC must catch it.
  for (const auto& l :
       {surg::capture::timecode_layout(1280, 720), surg::capture::timecode_inner_layout(1280, 720)}) {
    cv::Mat block = luma(cv::Rect(l.x + 20 * l.block, l.y, l.block, l.block));
    block.setTo(block.at<std::uint8_t>(0, 0) > 128 ? 16 : 235);
    CHECK_FALSE(read_timecode(luma, l));
  }
  CHECK_FALSE(read_timecode(luma));
}

TEST_CASE("the inner copy survives a mask outside the circular field", "[timecode]") {
  for (const auto& [w, h] : {std::pair{1280, 720}, std::pair{1920, 1080}, std::pair{640, 360}}) {
    cv::Mat luma(h, w, CV_8UC1, cv::Scalar(120));
    const TimeCode code{1764583200123456, 4242};
    surg::capture::draw_timecode(luma, code);
    // What surg-anonymize --mask-outside-circle does: black outside the circle the
    // endoscope's field fits in (radius 0.46 h, centred).
    cv::Mat inside(h, w, CV_8UC1, cv::Scalar(0));
    cv::circle(inside, {w / 2, h / 2}, static_cast<int>(0.46 * h), cv::Scalar(255), cv::FILLED);
    luma.setTo(cv::Scalar(16), inside == 0);
    CHECK_FALSE(read_timecode(luma, surg::capture::timecode_layout(w, h)));  // the bottom row is gone
    const auto back = read_timecode(luma);
    REQUIRE(back);
    CHECK(*back == code);
  }
}

TEST_CASE("time code layout fits the frame and is chroma aligned", "[timecode]") {
  const auto l = surg::capture::timecode_layout(1280, 720);
  CHECK(l.block % 2 == 0);
  CHECK(l.x + l.count * l.block <= 1280);
  CHECK(l.y + l.block <= 720);
  const auto in = surg::capture::timecode_inner_layout(1280, 720);
  CHECK(in.block % 2 == 0);
  CHECK(in.x % 2 == 0);
  CHECK(in.y % 2 == 0);
  CHECK(in.columns * 3 >= in.count);
  CHECK(surg::capture::timecode_layout(64, 64).block == 0);  // too small: no code
  cv::Mat tiny(64, 64, CV_8UC1, cv::Scalar(16));
  surg::capture::draw_timecode(tiny, TimeCode{1, 1});  // draws nothing, does not crash
  CHECK_FALSE(read_timecode(tiny));
}

TEST_CASE("time code drawn into a yuv420p frame reads back and leaves chroma neutral", "[timecode]") {
  auto frame = surg::media::alloc_video_frame(1280, 720, AV_PIX_FMT_YUV420P);
  for (int p = 0; p < 3; ++p)
    std::memset(frame->data[p], 200, static_cast<std::size_t>(frame->linesize[p] * (p ? 360 : 720)));
  surg::capture::draw_timecode(*frame, TimeCode{99, 3});
  const auto back = read_timecode(*frame);
  REQUIRE(back);
  CHECK(back->frame == 3u);
  CHECK(back->capture_us == 99);
  const auto l = surg::capture::timecode_layout(1280, 720);
  CHECK(frame->data[1][(l.y / 2) * frame->linesize[1] + l.x / 2 + 10] == 128);
}

TEST_CASE("CRC-16/CCITT-FALSE matches the reference check value", "[timecode]") {
  const std::uint8_t text[] = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
  CHECK(surg::capture::crc16_ccitt(text, sizeof text) == 0x29B1);
}
