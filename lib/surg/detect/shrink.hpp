#pragma once
// Resizing an image down (or up) to a model's input or the analysis size, cheaply.
// OpenCV's INTER_AREA at a non-integer factor weighs every source pixel with fractional
// weights and is slow (a 540-pixel tile to 128: 0.7 ms; a 1280x720 plane to 960x540: 2.9 ms),
// while its exact 2:1 case is a SIMD average of 2x2 blocks. So a shrink halves exactly while
// the factor left is 2 or more (and the sides are even), then takes one last step: INTER_AREA
// when 1.5 or more is left, bilinear below that, where its two taps a sample still touch every
// source pixel. On camera-like pictures the result is INTER_AREA's within a grey level on
// average; sensor noise is averaged a little less by the bilinear step (doc/architecture.md,
// "Where the full chain's time goes").
#include <array>

#include <opencv2/core.hpp>

namespace surg::detect {

// Resizes src to `size` into dst; `halves` keeps the intermediate images between calls (dst
// must not be one of them, nor share src's data).
void shrink_image(const cv::Mat& src, cv::Mat& dst, cv::Size size, std::array<cv::Mat, 2>& halves);

}  // namespace surg::detect
