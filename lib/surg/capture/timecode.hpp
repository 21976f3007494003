#pragma once
// The machine-readable capture-time code the test pattern burns into every frame: a row
// of black/white blocks near the bottom edge carrying the wall-clock capture time (µs since
// the Unix epoch) and the frame number, guarded by a CRC, so a later stage (or a viewer's
// screen grab) can measure end-to-end latency. The layout depends only on the frame size,
// so a reader needs no side information.
#include <cstdint>
#include <optional>

#include <opencv2/core.hpp>

struct AVFrame;

namespace surg::capture {

struct TimeCode {
  std::int64_t capture_us = 0;  // wall clock at capture, microseconds since the epoch
  std::uint32_t frame = 0;      // frame number from the start of the pattern
  bool operator==(const TimeCode&) const = default;
};

// Where the blocks go: `count` square blocks of `block` pixels from (x, y), `columns` a row
// (the rows one under the other). block is even so the code lines up with yuv420p chroma;
// 0 when the frame is too small.
struct TimeCodeLayout {
  int block = 0;
  int x = 0;
  int y = 0;
  int count = 0;
  int columns = 0;
};

inline constexpr int kTimeCodeBits = 64 + 32 + 16;         // time, frame, CRC-16
inline constexpr int kTimeCodeBlocks = 2 + kTimeCodeBits;  // a white and a black reference first

// One row along the bottom edge, outside the endoscope's circular field.
TimeCodeLayout timecode_layout(int width, int height);
// A second copy in three rows inside the circular field (centred, diameter 92% of the
// height), low in it: what survives surg-anonymize --mask-outside-circle.
TimeCodeLayout timecode_inner_layout(int width, int height);

// Draws the code, both copies, into a luma plane (values 16 and 235 on a black band).
void draw_timecode(cv::Mat& luma, const TimeCode& code);
// Draws into a yuv420p frame: luma blocks plus neutral chroma under the bands.
void draw_timecode(AVFrame& frame, const TimeCode& code);

// Reads a code back from the bottom copy, else from the inner one; nullopt when neither
// band is there or neither passes its CRC. Tolerates lossy coding: each block is averaged
// over its centre and compared with the mid-point of the two reference blocks.
std::optional<TimeCode> read_timecode(const cv::Mat& luma);
std::optional<TimeCode> read_timecode(AVFrame& frame);
// Reads the copy at `layout` only.
std::optional<TimeCode> read_timecode(const cv::Mat& luma, const TimeCodeLayout& layout);

std::uint16_t crc16_ccitt(const std::uint8_t* data, std::size_t size);

}  // namespace surg::capture
