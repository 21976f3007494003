#pragma once
// A colour as the planes are filled with it: BT.601 YUV, limited range unless converted
// (planes.hpp: parse_color, to_full_range). Free of OpenCV and FFmpeg headers, so that a
// Plan (options.hpp) can carry one into a tool's main.
#include <cstdint>

namespace surg::anonymize {

struct Yuv {
  std::uint8_t y = 16, u = 128, v = 128;
  bool operator==(const Yuv&) const = default;
};

}  // namespace surg::anonymize
