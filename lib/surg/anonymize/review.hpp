#pragma once
// --review DIR: the frames a human should look at, for the check de-identification standards
// ask for. During the run the kKeep output frames (as redacted) of lowest face confidence are
// kept as small thumbnails; confidence is the lowest score of the faces covered on the frame,
// 0 when a face was only held because the detector looked again and missed it, 1 when no
// face was covered. Ties keep the earlier frame; slate frames are not candidates. At the end
// DIR/contact-sheet.png shows them in time order, each labelled with time and confidence,
// and DIR/review.json lists them.
#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "surg/core/units.hpp"

struct AVFrame;

namespace surg::anonymize {

class ReviewSheet {
 public:
  static constexpr int kKeep = 12;
  static constexpr int kThumbWidth = 320;
  static constexpr int kColumns = 4;

  // Whether a frame of this confidence would be kept (cheap: check before converting).
  bool wants(float confidence) const;
  void offer(std::int64_t index, Micros t, float confidence, const AVFrame& frame);
  // Writes DIR/contact-sheet.png and DIR/review.json (creating DIR).
  void write(const std::string& dir) const;
  std::size_t size() const { return kept_.size(); }
  cv::Mat sheet() const;  // the contact sheet, BGR

 private:
  struct Thumb {
    std::int64_t index;
    Micros t;
    float confidence;
    cv::Mat bgr;
  };
  std::vector<Thumb> kept_;  // sorted by (confidence, index)
};

// Encodes a BGR image as PNG with libavcodec (OpenCV's imgcodecs is not a dependency).
void write_png(const cv::Mat& bgr, const std::string& path);

}  // namespace surg::anonymize
