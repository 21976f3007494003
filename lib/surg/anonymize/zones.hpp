#pragma once
// Burned-in text: fixed zones from a profile, and the endoscope's circular image.
//
// A zone profile is TOML, coordinates relative to the frame (0..1) so one profile fits every
// resolution a tower outputs:
//   [[zone]]
//   name = "patient-line"
//   x = 0.0
//   y = 0.0
//   w = 0.45
//   h = 0.09
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "surg/anonymize/planes.hpp"

namespace surg::anonymize {

struct Zone {
  std::string name;
  cv::Rect2d rect;  // relative 0..1
};

// Throws UsageError naming file:line on a syntax error, an unknown key, a missing key or a
// rectangle outside 0..1.
std::vector<Zone> load_zones(const std::string& path);
std::vector<Zone> parse_zones(const std::string& text, const std::string& origin);

// The zone in pixels, rounded outward.
cv::Rect zone_pixels(const Zone& zone, cv::Size frame);

// Finds the endoscope's circular image from its dark border, on a 1/8 size copy of the luma
// plane: pixels brighter than kDarkLevel, the largest connected bright region (on-screen text
// sits apart from the image, in the dark border, and forms small regions), and the smallest
// circle enclosing it. Looked for on every frame until one is found, then every kEvery
// frames; the last circle found is kept (a white flash or a dark frame does not lose it). When no plausible
// circle is seen (bright region under 15% of the frame, or no dark border: over 97%), the fixed circle of the
// frame geometry is used: centred, diameter = the short side (how towers lay out a round scope image).
class CircleFinder {
 public:
  static constexpr int kEvery = 15;
  static constexpr int kDarkLevel = 40;

  const Circle& update(const cv::Mat& luma, std::int64_t frame_index);
  static Circle fixed(cv::Size frame);
  static std::optional<Circle> find(const cv::Mat& luma);
  bool found() const { return found_; }  // the current circle came from the image

 private:
  Circle circle_;
  bool found_ = false;
};

}  // namespace surg::anonymize
