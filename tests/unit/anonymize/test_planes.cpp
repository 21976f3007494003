#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

#include "surg/anonymize/planes.hpp"
#include "surg/anonymize/slate.hpp"
#include "surg/core/error.hpp"

using namespace surg::anonymize;

namespace {

// A yuv420p-shaped set of planes filled with deterministic noise (a stand-in for detail).
Planes noisy_planes(int w, int h) {
  Planes p;
  p.plane[0] = cv::Mat(h, w, CV_8UC1);
  p.plane[1] = cv::Mat(h / 2, w / 2, CV_8UC1);
  p.plane[2] = cv::Mat(h / 2, w / 2, CV_8UC1);
  cv::RNG rng(7);
  for (auto& m : p.plane) rng.fill(m, cv::RNG::UNIFORM, 0, 256);
  return p;
}

double stddev(const cv::Mat& m) {
  cv::Scalar mean, dev;
  cv::meanStdDev(m, mean, dev);
  return dev[0];
}

}  // namespace

TEST_CASE("colours parse to BT.601 limited range") {
  CHECK(parse_color("black") == Yuv{16, 128, 128});
  CHECK(parse_color("white") == Yuv{235, 128, 128});
  CHECK(parse_color("#000000") == Yuv{16, 128, 128});
  const Yuv red = parse_color("ff0000");
  CHECK(red.y == 82);
  CHECK(red.v == 240);
  CHECK_THROWS_AS(parse_color("purple-ish"), surg::UsageError);
  CHECK_THROWS_AS(parse_color("#12345"), surg::UsageError);
}

TEST_CASE("chroma rectangles round outward") {
  CHECK(chroma_rect({3, 5, 4, 4}, 1, 1) == cv::Rect(1, 2, 3, 3));
  CHECK(chroma_rect({2, 4, 4, 4}, 1, 1) == cv::Rect(1, 2, 2, 2));
  CHECK(chroma_rect({3, 5, 4, 4}, 0, 0) == cv::Rect(3, 5, 4, 4));
}

TEST_CASE("fill covers all three planes and nothing outside") {
  Planes p = noisy_planes(64, 48);
  const cv::Mat before = p.plane[0].clone();
  fill_rect(p, {11, 9, 20, 10}, Yuv{16, 128, 128});
  CHECK(cv::countNonZero(p.plane[0](cv::Rect(11, 9, 20, 10)) != 16) == 0);
  CHECK(cv::countNonZero(p.plane[1](cv::Rect(5, 4, 11, 6)) != 128) == 0);
  CHECK(cv::countNonZero(p.plane[2](cv::Rect(5, 4, 11, 6)) != 128) == 0);
  CHECK(cv::countNonZero(p.plane[0](cv::Rect(0, 0, 64, 9)) != before(cv::Rect(0, 0, 64, 9))) == 0);
  fill_rect(p, {60, 40, 30, 30}, Yuv{16, 128, 128});  // clipped at the frame edge, no crash
  CHECK(p.plane[0].at<uchar>(47, 63) == 16);
}

TEST_CASE("pixelate leaves at most 8 blocks across the box") {
  Planes p = noisy_planes(128, 96);
  const cv::Rect box(16, 8, 80, 64);
  pixelate_rect(p, box);
  const cv::Mat row = p.plane[0](box).row(3);
  int changes = 0;
  for (int x = 1; x < row.cols; ++x) changes += row.at<uchar>(0, x) != row.at<uchar>(0, x - 1);
  CHECK(changes <= kBlocksAcross - 1);
  CHECK(stddev(p.plane[1](chroma_rect(box, 1, 1))) < 20);
}

TEST_CASE("blur removes the detail of the box") {
  Planes p = noisy_planes(128, 96);
  const cv::Rect box(16, 8, 80, 64);
  const double before = stddev(p.plane[0](box));
  blur_rect(p, box);
  CHECK(before > 60);
  CHECK(stddev(p.plane[0](box)) < 8);  // uniform noise: each block is the mean of 64 samples
  // Neighbouring pixels differ by almost nothing: no edges (features) survive.
  cv::Mat dx;
  cv::Sobel(p.plane[0](box).clone(), dx, CV_16S, 1, 0);
  double max_dx = 0;
  cv::minMaxLoc(cv::abs(dx), nullptr, &max_dx);
  CHECK(max_dx < 24);
}

TEST_CASE("outside of a circle is filled, inside untouched") {
  Planes p = noisy_planes(160, 120);
  const cv::Mat before = p.plane[0].clone();
  const Circle c{{80, 60}, 50};
  fill_outside_circle(p, c, Yuv{16, 128, 128});
  CHECK(p.plane[0].at<uchar>(0, 0) == 16);
  CHECK(p.plane[0].at<uchar>(60, 20) == 16);  // 60 px left of the centre
  CHECK(p.plane[0].at<uchar>(60, 80) == before.at<uchar>(60, 80));
  CHECK(p.plane[0].at<uchar>(60, 35) == before.at<uchar>(60, 35));  // 45 px: inside
  CHECK(p.plane[1].at<uchar>(0, 0) == 128);
  for (int y = 0; y < 120; ++y)
    for (int x = 0; x < 160; ++x) {
      const double d = std::hypot(x + 0.5 - 80, y + 0.5 - 60);
      if (d > 50.5) REQUIRE(p.plane[0].at<uchar>(y, x) == 16);
    }
}

TEST_CASE("the slate replaces every pixel and shows its text") {
  Planes p = noisy_planes(320, 240);
  Slate slate("Privacy");
  slate.apply(p);
  CHECK(cv::countNonZero(p.plane[1] != 128) == 0);
  CHECK(cv::countNonZero(p.plane[0](cv::Rect(0, 0, 320, 40)) != Slate::kBackground) == 0);
  CHECK(cv::countNonZero(p.plane[0] > 200) > 40);  // the text
  Planes q = noisy_planes(320, 240);
  slate.apply(q);
  CHECK(cv::countNonZero(p.plane[0] != q.plane[0]) == 0);  // the cached card, identical
}
