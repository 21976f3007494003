// shrink_image against OpenCV's own INTER_AREA, which it stands in for at less cost.
#include <catch2/catch.hpp>

#include <opencv2/imgproc.hpp>

#include "surg/detect/shrink.hpp"

using namespace surg::detect;

namespace {

// Smooth structure (32-pixel cells) plus a little sensor noise (sigma 3): a camera picture.
cv::Mat textured(cv::Size size) {
  cv::Mat coarse(size.height / 32 + 1, size.width / 32 + 1, CV_8UC3), image, noise(size, CV_8UC3);
  cv::RNG rng(11);
  rng.fill(coarse, cv::RNG::UNIFORM, 0, 256);
  cv::resize(coarse, image, size, 0, 0, cv::INTER_CUBIC);
  rng.fill(noise, cv::RNG::NORMAL, 0, 3);
  cv::add(image, noise, image);
  return image;
}

double mean_difference(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat d;
  cv::absdiff(a, b, d);
  return cv::mean(d.reshape(1))[0];
}

}  // namespace

TEST_CASE("shrink_image gives the size asked for, the area average within a grey level") {
  std::array<cv::Mat, 2> halves;
  struct Case {
    cv::Size from, to;
  };
  // The analysis tiles (135, 270, 540 to 128), the whole-frame pass (960x540 to 256x144),
  // 720p and 4K planes to the analysis size, and odd sizes.
  for (const Case& c :
       {Case{{135, 135}, {128, 128}}, Case{{270, 270}, {128, 128}}, Case{{540, 540}, {128, 128}},
        Case{{960, 540}, {256, 144}}, Case{{1280, 720}, {960, 540}}, Case{{3840, 2160}, {960, 540}},
        Case{{301, 163}, {64, 35}}}) {
    const cv::Mat source = textured(c.from);
    cv::Mat shrunk, area;
    shrink_image(source, shrunk, c.to, halves);
    cv::resize(source, area, c.to, 0, 0, cv::INTER_AREA);
    INFO(c.from << " -> " << c.to);
    REQUIRE(shrunk.size() == c.to);
    CHECK(shrunk.type() == source.type());
    CHECK(mean_difference(shrunk, area) < 1.0);
  }
}

TEST_CASE("shrink_image: an exact halving is OpenCV's 2:1 average, bit for bit; growing is bilinear") {
  std::array<cv::Mat, 2> halves;
  const cv::Mat source = textured({1920, 1080});
  cv::Mat shrunk, area;
  shrink_image(source, shrunk, {960, 540}, halves);
  cv::resize(source, area, {960, 540}, 0, 0, cv::INTER_AREA);
  CHECK(cv::norm(shrunk, area, cv::NORM_INF) == 0);
  const cv::Mat tile = source(cv::Rect(7, 9, 100, 100));
  cv::Mat grown, linear;
  shrink_image(tile, grown, {128, 128}, halves);
  cv::resize(tile, linear, {128, 128}, 0, 0, cv::INTER_LINEAR);
  CHECK(cv::norm(grown, linear, cv::NORM_INF) == 0);
}
