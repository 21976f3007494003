#pragma once
// The privacy slate: a plain dark card with one line of text, rendered once per frame
// geometry and copied over a frame's planes (luma and chroma), so the original pixels are
// gone, not covered by an overlay.
#include <array>
#include <string>

#include <opencv2/core.hpp>

#include "surg/anonymize/planes.hpp"

namespace surg::anonymize {

class Slate {
 public:
  static constexpr std::uint8_t kBackground = 40;  // luma of the card
  static constexpr std::uint8_t kText = 235;       // luma of the text (limited-range white)

  explicit Slate(std::string text) : text_(std::move(text)) {}
  // Overwrites every plane with the card (rendered on the first call for this geometry).
  void apply(Planes& planes);

 private:
  void render(const Planes& like);
  std::string text_;
  std::array<cv::Mat, 3> card_;
};

}  // namespace surg::anonymize
