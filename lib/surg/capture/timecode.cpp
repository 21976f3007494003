#include "surg/capture/timecode.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "surg/media/mat_view.hpp"

namespace surg::capture {
namespace {

constexpr int kMaxBlock = 16;
constexpr int kPayloadBytes = 12;  // 8 bytes time, 4 bytes frame
constexpr int kInnerRows = 3;

using Bits = std::array<bool, kTimeCodeBits>;

void put_be(std::uint8_t* out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i, value >>= 8) out[i] = static_cast<std::uint8_t>(value & 0xff);
}

std::uint64_t get_be(const std::uint8_t* in, int bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value = value << 8 | in[i];
  return value;
}

Bits to_bits(const TimeCode& code) {
  std::array<std::uint8_t, kPayloadBytes + 2> bytes{};
  put_be(bytes.data(), static_cast<std::uint64_t>(code.capture_us), 8);
  put_be(bytes.data() + 8, code.frame, 4);
  put_be(bytes.data() + kPayloadBytes, crc16_ccitt(bytes.data(), kPayloadBytes), 2);
  Bits bits{};
  for (int i = 0; i < kTimeCodeBits; ++i) bits[i] = (bytes[i / 8] >> (7 - i % 8)) & 1;
  return bits;
}

std::optional<TimeCode> from_bits(const Bits& bits) {
  std::array<std::uint8_t, kPayloadBytes + 2> bytes{};
  for (int i = 0; i < kTimeCodeBits; ++i)
    if (bits[i]) bytes[i / 8] |= static_cast<std::uint8_t>(1 << (7 - i % 8));
  if (crc16_ccitt(bytes.data(), kPayloadBytes) != get_be(bytes.data() + kPayloadBytes, 2))
    return std::nullopt;
  return TimeCode{static_cast<std::int64_t>(get_be(bytes.data(), 8)),
                  static_cast<std::uint32_t>(get_be(bytes.data() + 8, 4))};
}

cv::Rect block_rect(const TimeCodeLayout& l, int i) {
  return {l.x + i % l.columns * l.block, l.y + i / l.columns * l.block, l.block, l.block};
}

// Mean luma of the centre half of block i (robust to ringing at block edges).
double block_mean(const cv::Mat& luma, const TimeCodeLayout& l, int i) {
  const int inset = l.block / 4;
  const int side = std::max(1, l.block - 2 * inset);
  const cv::Rect b = block_rect(l, i);
  return cv::mean(luma(cv::Rect(b.x + inset, b.y + inset, side, side)))[0];
}

// The band: the blocks plus a black margin of half a block around them.
cv::Rect band_rect(const TimeCodeLayout& l) {
  const int rows = (l.count + l.columns - 1) / l.columns;
  return {l.x - l.block / 2, l.y - l.block / 2, (l.columns + 1) * l.block, (rows + 1) * l.block};
}

void draw_band(cv::Mat& luma, const TimeCodeLayout& l, const Bits& bits) {
  if (l.block == 0) return;
  luma(band_rect(l)).setTo(media::kLumaBlack);
  luma(block_rect(l, 0)).setTo(media::kLumaWhite);
  for (int i = 0; i < kTimeCodeBits; ++i)
    if (bits[i]) luma(block_rect(l, 2 + i)).setTo(media::kLumaWhite);
}

void neutral_chroma(AVFrame& frame, const TimeCodeLayout& l) {
  if (l.block == 0) return;
  // The band rounded outwards to even coordinates: the chroma samples it covers.
  const cv::Rect band = band_rect(l);
  const int x0 = band.x / 2, y0 = band.y / 2;
  const int x1 = (band.br().x + 1) / 2, y1 = (band.br().y + 1) / 2;
  const cv::Rect half(x0, y0, x1 - x0, y1 - y0);
  for (int p = 1; p <= 2; ++p) media::plane_view(frame, p)(half).setTo(128);
}

}  // namespace

std::uint16_t crc16_ccitt(const std::uint8_t* data, std::size_t size) {
  std::uint16_t crc = 0xffff;
  for (std::size_t i = 0; i < size; ++i) {
    crc ^= static_cast<std::uint16_t>(data[i] << 8);
    for (int b = 0; b < 8; ++b) crc = (crc & 0x8000) ? (crc << 1) ^ 0x1021 : crc << 1;
  }
  return crc;
}

TimeCodeLayout timecode_layout(int width, int height) {
  // One block of margin on each side of the row, half a block above and below.
  int block = std::min(kMaxBlock, width / (kTimeCodeBlocks + 2)) & ~1;
  if (block < 2 || 3 * block > height) return {};
  return {block, block, height - 3 * block / 2, kTimeCodeBlocks, kTimeCodeBlocks};
}

TimeCodeLayout timecode_inner_layout(int width, int height) {
  // The pattern's field (doc/privacy.md): radius 0.46 h around the centre. Three rows
  // 0.6 of the diameter wide; the band's bottom at 0.7 r below the centre, where the
  // circle is still wider than the band.
  const int columns = (kTimeCodeBlocks + kInnerRows - 1) / kInnerRows;
  const double r = 0.46 * height;
  const int block = std::min(kMaxBlock, static_cast<int>(1.2 * r / (columns + 1))) & ~1;
  if (block < 4 || width < 2 * r) return {};
  const int x = (width - columns * block) / 2 & ~1;
  const int bottom = static_cast<int>(height / 2.0 + 0.7 * r);
  const int y = (bottom - (kInnerRows + 1) * block) & ~1;
  return {block, x, y, kTimeCodeBlocks, columns};
}

void draw_timecode(cv::Mat& luma, const TimeCode& code) {
  const Bits bits = to_bits(code);
  draw_band(luma, timecode_layout(luma.cols, luma.rows), bits);
  draw_band(luma, timecode_inner_layout(luma.cols, luma.rows), bits);
}

void draw_timecode(AVFrame& frame, const TimeCode& code) {
  cv::Mat luma = media::plane_view(frame, 0);
  draw_timecode(luma, code);
  neutral_chroma(frame, timecode_layout(frame.width, frame.height));
  neutral_chroma(frame, timecode_inner_layout(frame.width, frame.height));
}

std::optional<TimeCode> read_timecode(const cv::Mat& luma, const TimeCodeLayout& l) {
  if (l.block == 0) return std::nullopt;
  const double white = block_mean(luma, l, 0);
  const double black = block_mean(luma, l, 1);
  if (white - black < 64) return std::nullopt;  // no band here
  const double threshold = (white + black) / 2;
  Bits bits{};
  for (int i = 0; i < kTimeCodeBits; ++i) bits[i] = block_mean(luma, l, 2 + i) > threshold;
  return from_bits(bits);
}

std::optional<TimeCode> read_timecode(const cv::Mat& luma) {
  if (auto code = read_timecode(luma, timecode_layout(luma.cols, luma.rows))) return code;
  return read_timecode(luma, timecode_inner_layout(luma.cols, luma.rows));
}

std::optional<TimeCode> read_timecode(AVFrame& frame) { return read_timecode(media::plane_view(frame, 0)); }

}  // namespace surg::capture
