#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include <opencv2/core.hpp>

#include "surg/capture/pattern.hpp"
#include "surg/capture/timecode.hpp"
#include "surg/media/mat_view.hpp"

using surg::capture::PatternConfig;
using surg::capture::TestPattern;

namespace {

PatternConfig small_config() {
  PatternConfig c;
  c.size = {640, 360};
  c.fps = {25, 1};
  c.oob_every = surg::Micros(4000000);
  c.oob_length = surg::Micros(1000000);
  c.stamp = "2026-01-02 03:04";
  return c;
}

surg::media::FramePtr render(const TestPattern& p, std::int64_t n, std::int64_t capture_us = 1000) {
  auto f = surg::media::alloc_video_frame(p.config().size.width, p.config().size.height, AV_PIX_FMT_YUV420P);
  p.render(*f, n, capture_us);
  return f;
}

std::vector<std::uint8_t> bytes_of(AVFrame& f) {
  std::vector<std::uint8_t> out;
  for (int p = 0; p < 3; ++p) {
    const cv::Mat m = surg::media::plane_view(f, p);
    for (int y = 0; y < m.rows; ++y) out.insert(out.end(), m.ptr(y), m.ptr(y) + m.cols);
  }
  return out;
}

double mean_luma(AVFrame& f) { return cv::mean(surg::media::plane_view(f, 0))[0]; }

}  // namespace

TEST_CASE("the pattern is deterministic: same frame, same time, same bytes", "[pattern]") {
  const TestPattern a(small_config()), b(small_config());
  for (std::int64_t n : {0, 7, 60, 101}) {
    auto fa = render(a, n), fb = render(b, n);
    CHECK(bytes_of(*fa) == bytes_of(*fb));
    CHECK(fa->pts == fb->pts);
  }
  auto f7 = render(a, 7), f8 = render(a, 8);
  CHECK(bytes_of(*f7) != bytes_of(*f8));  // the tissue moves
}

TEST_CASE("each frame carries its frame number and capture time", "[pattern]") {
  const TestPattern p(small_config());
  auto f = render(p, 123, 1796000000654321);
  const auto code = surg::capture::read_timecode(*f);
  REQUIRE(code);
  CHECK(code->frame == 123u);
  CHECK(code->capture_us == 1796000000654321);
}

TEST_CASE("flash frames light the field of view, endoscope frames dark, out-of-body frames bright",
          "[pattern]") {
  const TestPattern p(small_config());
  auto flash = render(p, 25), inside = render(p, 30), outside = render(p, 105);  // 4.2 s
  // The flash lights the circle only, pink like tissue, so it never looks out of body.
  const cv::Mat fy = surg::media::plane_view(*flash, 0);
  CHECK(fy.at<std::uint8_t>(fy.rows / 2, fy.cols / 2) > 200);
  CHECK(fy.at<std::uint8_t>(fy.rows / 2, 2) == 16);
  const cv::Mat fv = surg::media::plane_view(*flash, 2);
  CHECK(fv.at<std::uint8_t>(fv.rows / 2, fv.cols / 2) > 128);
  CHECK(mean_luma(*inside) < 100);
  CHECK(mean_luma(*outside) > 140);
  CHECK(mean_luma(*outside) < 200);
  // The corners outside the circle are black in the endoscope scene.
  const cv::Mat y = surg::media::plane_view(*inside, 0);
  CHECK(y.at<std::uint8_t>(y.rows / 2, 2) == 16);
  CHECK(y.at<std::uint8_t>(y.rows / 2, y.cols / 2) > 40);  // tissue in the middle
}

TEST_CASE("the fake patient block is burned into the top-left corner", "[pattern]") {
  const TestPattern p(small_config());
  auto f = render(p, 30);
  const cv::Mat y = surg::media::plane_view(*f, 0);
  double brightest = 0;
  cv::minMaxLoc(y(cv::Rect(0, 0, 120, 60)), nullptr, &brightest);
  CHECK(brightest > 200);  // white text on black
}

TEST_CASE("the beep starts on the first sample of the flash, at full level", "[pattern][audio]") {
  const TestPattern p(small_config());
  const auto& s = p.schedule();
  for (std::int64_t second : {1, 2, 7}) {
    const std::int64_t onset = s.first_sample(s.flash_start(second));
    std::vector<std::int16_t> pcm(2 * 200);
    p.render_audio(pcm.data(), onset - 100, 200);
    // Before the onset: the quiet tone; at the onset: the beep's peak on both channels.
    for (int i = 0; i < 100; ++i) REQUIRE(std::abs(pcm[2 * i]) <= surg::capture::kToneLevel);
    CHECK(pcm[200] == surg::capture::kBeepLevel);
    CHECK(pcm[201] == surg::capture::kBeepLevel);
    int loud = 0;
    for (int i = 100; i < 200; ++i) loud += std::abs(pcm[2 * i]) > surg::capture::kToneLevel;
    CHECK(loud > 50);
  }
}

TEST_CASE("the tone is 1 kHz: 48 samples a period", "[pattern][audio]") {
  const TestPattern p(small_config());
  std::vector<std::int16_t> pcm(2 * 96);
  p.render_audio(pcm.data(), 9984, 96);  // 208 periods in: outside any beep (0.208 s)
  for (int i = 0; i < 48; ++i) CHECK(pcm[2 * i] == pcm[2 * (i + 48)]);
  CHECK(pcm[2 * 12] > 3000);  // quarter period: the sine's peak
}
