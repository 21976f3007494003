#pragma once
// The test pattern's still ingredients, computed once at start: a tissue texture larger
// than the frame (scrolled per frame), the out-of-body room picture, and the endoscope's
// circular field of view as one span of columns per row.
#include <vector>

#include <opencv2/core.hpp>

#include "surg/core/units.hpp"

namespace surg::capture {

// A yuv420p picture as three cv::Mats: Y full size, U and V half size.
struct Picture {
  cv::Mat y, u, v;
  Size size() const { return {y.cols, y.rows}; }
};

// Converts an even-sized BGR image (BT.601 limited range, as OpenCV's I420 does).
Picture to_picture(const cv::Mat& bgr);

// Reddish mucosa with vessels and specular spots, deterministic for a given seed,
// `margin` pixels larger than `frame` in each direction (so it can scroll by that much).
Picture make_tissue(Size frame, Size margin, unsigned seed = 2026);

// A bright operating-room still: light walls, floor, a table, a lamp; no circle.
Picture make_room(Size frame);

// Columns [begin, end) of a luma row that lie inside the field of view (even bounds).
struct Span {
  int begin = 0;
  int end = 0;
};

// The field of view: a circle centred in the frame, diameter 92% of the height.
struct FieldOfView {
  explicit FieldOfView(Size frame);
  int left() const { return left_; }    // leftmost column inside the circle
  int right() const { return right_; }  // one past the rightmost column
  const Span& row(int y) const { return rows_[static_cast<std::size_t>(y)]; }

 private:
  std::vector<Span> rows_;
  int left_ = 0, right_ = 0;
};

}  // namespace surg::capture
