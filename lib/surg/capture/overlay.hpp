#pragma once
// Burned-in text of the test pattern, rendered once with OpenCV into luma patches and
// copied into each frame: the fake patient block an endoscopy tower prints in a corner,
// and a frame counter built from pre-rendered digit glyphs.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "surg/core/units.hpp"

struct AVFrame;

namespace surg::capture {

// Copies a luma patch into a yuv420p frame at an even position, neutral chroma under it.
void blit(AVFrame& frame, const cv::Mat& luma, cv::Point at);

// The lines of the fake patient block; `stamp` is the date and time shown ("2026-11-28 10:00").
std::vector<std::string> patient_lines(const std::string& stamp);

// White text on black, top-left, fitted into the `width` pixels left of the field of view.
struct TextBlock {
  TextBlock(Size frame, int width, const std::vector<std::string>& lines);
  void draw(AVFrame& frame) const { blit(frame, luma_, at_); }

 private:
  cv::Mat luma_;
  cv::Point at_;
};

// "FRAME 00000123" in the top-right corner, right of the field of view.
class FrameCounter {
 public:
  static constexpr int kDigits = 8;
  FrameCounter(Size frame, int width);
  void draw(AVFrame& frame, std::int64_t number) const;

 private:
  cv::Mat label_;
  std::array<cv::Mat, 10> glyphs_;
  cv::Point at_;
};

}  // namespace surg::capture
