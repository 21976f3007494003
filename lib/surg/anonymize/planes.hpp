#pragma once
// Redaction on the planes of a planar 8-bit YUV frame (yuv420p and kin), in place: no
// colour round-trip of the full frame. Rectangles are in luma pixels; chroma rectangles are
// rounded outward so a fill never leaves a coloured fringe of the original.
//
// Strength of the face methods (a box of size S = max(width, height)):
//  - pixelate: the box is reduced to at most 8 blocks across S on all three planes, each the
//    mean of an 8x8 grid of samples inside it, and each block painted flat. 8 values across
//    a face carry no identity.
//  - blur: the same 8-block means (so the information left is exactly pixelate's and no
//    deconvolution can bring detail back), enlarged with bilinear interpolation and smoothed
//    by a box blur of S/4 (done at quarter size, then enlarged) so no cell edges remain.
//  - fill: solid colour.
#include <array>
#include <cstdint>
#include <string>

#include <opencv2/core.hpp>

#include "surg/anonymize/yuv.hpp"

struct AVFrame;

namespace surg::anonymize {

// A colour as libavutil's av_parse_color reads it (black, gray, DarkRed, #RRGGBB, 0xRRGGBB,
// RRGGBB; "random" refused), in limited range. Throws UsageError otherwise.
Yuv parse_color(const std::string& text);
// The same colour in full range (yuvj formats, color_range jpeg): 16..235 -> 0..255.
Yuv to_full_range(Yuv limited);
bool is_full_range_format(int av_pixel_format);

struct Circle {
  cv::Point2f centre;
  float radius = 0;
};

// Views of the three planes of a frame; shift_x/shift_y are the chroma subsampling shifts.
struct Planes {
  std::array<cv::Mat, 3> plane;
  int shift_x = 1;
  int shift_y = 1;
  bool full_range = false;  // fills are converted to full range (see to_full_range)
  int width() const { return plane[0].cols; }
  int height() const { return plane[0].rows; }
};

// True for the formats the tool redacts in place (8-bit planar YUV, 3 planes).
bool is_supported_format(int av_pixel_format);
// Zero-copy views of a (writable) frame of a supported format.
Planes planes_of(AVFrame& frame);

// The chroma rectangle covering every chroma sample that touches luma rectangle r.
cv::Rect chroma_rect(const cv::Rect& r, int shift_x, int shift_y);

// Fills take the limited-range colour and convert it when the planes are full range.
void fill_rect(Planes& planes, const cv::Rect& r, Yuv color);
void pixelate_rect(Planes& planes, const cv::Rect& r);
void blur_rect(Planes& planes, const cv::Rect& r);
// Fills every pixel whose centre lies outside the circle (chroma: any sample touching it).
void fill_outside_circle(Planes& planes, const Circle& circle, Yuv color);

inline constexpr int kBlocksAcross = 8;

}  // namespace surg::anonymize
