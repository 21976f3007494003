// BlazeFace decoding pieces: anchors, a hand-built regressor, NMS, tile merging.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "surg/detect/blazeface.hpp"
#include "surg/detect/faces.hpp"

using namespace surg::detect;

TEST_CASE("anchors: 16x16 grid with 2 a cell, then 8x8 with 6 a cell, row by row") {
  const auto a = blazeface_anchors();
  REQUIRE(a.size() == 896);
  CHECK(a[0] == cv::Point2f(0.5f / 16, 0.5f / 16));
  CHECK(a[1] == a[0]);                                // a cell's anchors are consecutive
  CHECK(a[2] == cv::Point2f(1.5f / 16, 0.5f / 16));   // then the next cell in the row
  CHECK(a[32] == cv::Point2f(0.5f / 16, 1.5f / 16));  // 16 cells x 2 = next row
  CHECK(a[511] == cv::Point2f(15.5f / 16, 15.5f / 16));
  CHECK(a[512] == cv::Point2f(0.5f / 8, 0.5f / 8));
  CHECK(a[517] == a[512]);
  CHECK(a[518] == cv::Point2f(1.5f / 8, 0.5f / 8));
  CHECK(a[895] == cv::Point2f(7.5f / 8, 7.5f / 8));
}

TEST_CASE("decode: a hand-built regressor gives the box and the sigmoid score") {
  std::vector<float> scores(896, -100.0f), regs(896 * 16, 0.0f);
  const int k = 600;  // on the 8x8 grid: cell (88 / 6 = 14) -> x 6, y 1
  scores[k] = 2.0f;
  const float r[4] = {8.0f, -4.0f, 32.0f, 40.0f};  // dx, dy, w, h in input pixels
  std::copy(r, r + 4, regs.begin() + k * 16);
  const auto boxes = decode_blazeface(scores.data(), regs.data(), 128, 0.5f);
  REQUIRE(boxes.size() == 1);
  const float cx = 6.5f / 8 + 8.0f / 128, cy = 1.5f / 8 - 4.0f / 128;
  CHECK(boxes[0].rect.x == Approx(cx - 16.0f / 128));
  CHECK(boxes[0].rect.y == Approx(cy - 20.0f / 128));
  CHECK(boxes[0].rect.width == Approx(32.0f / 128));
  CHECK(boxes[0].rect.height == Approx(40.0f / 128));
  CHECK(boxes[0].score == Approx(1.0 / (1.0 + std::exp(-2.0))));
}

TEST_CASE("decode: threshold filters, huge logits are clipped, not NaN") {
  std::vector<float> scores(896, -100.0f), regs(896 * 16, 10.0f);
  scores[3] = 1e30f;
  scores[4] = -0.1f;  // sigmoid 0.475: below 0.5
  const auto boxes = decode_blazeface(scores.data(), regs.data(), 256, 0.5f);
  REQUIRE(boxes.size() == 1);
  CHECK(boxes[0].score == Approx(1.0f));
  CHECK_FALSE(std::isnan(boxes[0].rect.x));
}

TEST_CASE("weighted NMS averages a cluster by score and keeps the others") {
  std::vector<Box> in = {
      {cv::Rect2f(10, 10, 20, 20), 0.9f},
      {cv::Rect2f(12, 10, 20, 20), 0.3f},    // IoU 0.82 with the first
      {cv::Rect2f(100, 100, 20, 20), 0.5f},  // elsewhere
  };
  const auto out = weighted_nms(in, 0.3f);
  REQUIRE(out.size() == 2);
  CHECK(out[0].score == Approx(0.9f));
  CHECK(out[0].rect.x == Approx((10 * 0.9 + 12 * 0.3) / 1.2));
  CHECK(out[1].rect == cv::Rect2f(100, 100, 20, 20));
  CHECK(iou(cv::Rect2f(0, 0, 10, 10), cv::Rect2f(5, 0, 10, 10)) == Approx(50.0 / 150));
}

TEST_CASE("tile boxes merge into their union, grow toward the chin and stay in the frame") {
  std::vector<Box> in = {
      {cv::Rect2f(10, 10, 20, 20), 0.9f},
      {cv::Rect2f(12, 12, 20, 20), 0.6f},  // same face from a neighbouring tile
      {cv::Rect2f(90, 85, 20, 20), 0.5f},  // crosses the frame edge
  };
  const auto out = merge_tile_boxes(in, {100, 100});
  REQUIRE(out.size() == 2);
  CHECK(out[0].rect == cv::Rect2f(10, 10, 22, 22 * (1 + kChinExtension)));
  CHECK(out[1].rect == cv::Rect2f(90, 85, 10, 15));
}
