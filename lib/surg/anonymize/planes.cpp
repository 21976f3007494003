#include "surg/anonymize/planes.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

extern "C" {
#include <libavutil/parseutils.h>
#include <libavutil/pixfmt.h>
}

#include "surg/core/error.hpp"
#include "surg/media/mat_view.hpp"

namespace surg::anonymize {
namespace {

std::uint8_t clamp8(double v) { return static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L)); }

Yuv from_rgb(int r, int g, int b) {
  // BT.601, limited range: what yuv420p from a camera or ffmpeg's default conversion holds.
  return {clamp8(16 + 0.257 * r + 0.504 * g + 0.098 * b), clamp8(128 - 0.148 * r - 0.291 * g + 0.439 * b),
          clamp8(128 + 0.439 * r - 0.368 * g - 0.071 * b)};
}

// The part of r inside plane p, for luma index 0 or chroma 1/2.
cv::Rect plane_rect(const Planes& planes, int index, const cv::Rect& r) {
  const cv::Rect in = index == 0 ? r : chroma_rect(r, planes.shift_x, planes.shift_y);
  return in & cv::Rect(0, 0, planes.plane[index].cols, planes.plane[index].rows);
}

// The block averages of a region: the mean of an 8x8 grid of samples in each block (reading
// every pixel of a large box would cost more than the rest of the redaction together).
cv::Mat block_means(const cv::Mat& roi, cv::Size blocks) {
  constexpr int kSamples = 8;
  const cv::Size grid(std::min(roi.cols, blocks.width * kSamples),
                      std::min(roi.rows, blocks.height * kSamples));
  cv::Mat sampled, small;
  cv::resize(roi, sampled, grid, 0, 0, cv::INTER_NEAREST);
  cv::resize(sampled, small, blocks, 0, 0, cv::INTER_AREA);
  return small;
}

cv::Size blocks_for(const cv::Size& s) {
  const int longest = std::max(s.width, s.height);
  auto blocks = [&](int side) { return std::max(1, (side * kBlocksAcross + longest - 1) / longest); };
  return {blocks(s.width), blocks(s.height)};
}

}  // namespace

Yuv parse_color(const std::string& text) {
  // libavutil's colour syntax, as ffmpeg's filters take it: names (black, gray, DarkRed),
  // #RRGGBB, 0xRRGGBB, RRGGBB; an @alpha is ignored (a fill is opaque). "random" is refused:
  // a privacy fill must be the same from run to run.
  std::uint8_t rgba[4] = {0, 0, 0, 0};
  if (text.empty() || text.starts_with("random") ||
      av_parse_color(rgba, text.c_str(), static_cast<int>(text.size()), nullptr) < 0)
    throw UsageError("--fill-color: '" + text +
                     "' is not a colour (black, white, gray, #RRGGBB, "
                     "or a name of ffmpeg -colors)");
  return from_rgb(rgba[0], rgba[1], rgba[2]);
}

Yuv to_full_range(Yuv c) {
  auto luma = [](int y) { return clamp8((y - 16) * 255.0 / 219.0); };
  auto chroma = [](int v) { return clamp8(128 + (v - 128) * 255.0 / 224.0); };
  return {luma(c.y), chroma(c.u), chroma(c.v)};
}

bool is_full_range_format(int f) {
  return f == AV_PIX_FMT_YUVJ420P || f == AV_PIX_FMT_YUVJ422P || f == AV_PIX_FMT_YUVJ444P ||
         f == AV_PIX_FMT_YUVJ440P || f == AV_PIX_FMT_YUVJ411P;
}

bool is_supported_format(int f) {
  switch (f) {
    case AV_PIX_FMT_YUV420P:
    case AV_PIX_FMT_YUVJ420P:
    case AV_PIX_FMT_YUV422P:
    case AV_PIX_FMT_YUVJ422P:
    case AV_PIX_FMT_YUV444P:
    case AV_PIX_FMT_YUVJ444P:
    case AV_PIX_FMT_YUV440P:
    case AV_PIX_FMT_YUV411P:
    case AV_PIX_FMT_YUV410P:
      return true;
    default:
      return false;
  }
}

Planes planes_of(AVFrame& frame) {
  const auto* desc = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(frame.format));
  Planes p;
  for (int i = 0; i < 3; ++i) p.plane[i] = media::plane_view(frame, i);
  p.shift_x = desc->log2_chroma_w;
  p.shift_y = desc->log2_chroma_h;
  p.full_range = frame.color_range == AVCOL_RANGE_JPEG || is_full_range_format(frame.format);
  return p;
}

cv::Rect chroma_rect(const cv::Rect& r, int sx, int sy) {
  const int x0 = r.x >> sx, y0 = r.y >> sy;
  const int x1 = (r.x + r.width + (1 << sx) - 1) >> sx;
  const int y1 = (r.y + r.height + (1 << sy) - 1) >> sy;
  return {x0, y0, x1 - x0, y1 - y0};
}

void fill_rect(Planes& planes, const cv::Rect& r, Yuv limited) {
  const Yuv color = planes.full_range ? to_full_range(limited) : limited;
  const std::uint8_t values[3] = {color.y, color.u, color.v};
  for (int i = 0; i < 3; ++i) {
    const cv::Rect pr = plane_rect(planes, i, r);
    if (!pr.empty()) planes.plane[i](pr).setTo(values[i]);
  }
}

void pixelate_rect(Planes& planes, const cv::Rect& r) {
  for (int i = 0; i < 3; ++i) {
    const cv::Rect pr = plane_rect(planes, i, r);
    if (pr.empty()) continue;
    cv::Mat roi = planes.plane[i](pr);
    cv::resize(block_means(roi, blocks_for(pr.size())), roi, pr.size(), 0, 0, cv::INTER_NEAREST);
  }
}

void blur_rect(Planes& planes, const cv::Rect& r) {
  for (int i = 0; i < 3; ++i) {
    const cv::Rect pr = plane_rect(planes, i, r);
    if (pr.empty()) continue;
    cv::Mat roi = planes.plane[i](pr), quarter;
    const cv::Mat small = block_means(roi, blocks_for(pr.size()));
    // Smoothing the cells at a quarter of the size costs 1/16 of doing it at full size and
    // looks the same once enlarged bilinearly: the box is read once and written once.
    const cv::Size q(std::max(1, pr.width / 4), std::max(1, pr.height / 4));
    cv::resize(small, quarter, q, 0, 0, cv::INTER_LINEAR);
    const int k = std::max(3, std::max(q.width, q.height) / 4) | 1;
    cv::blur(quarter, quarter, cv::Size(k, k), cv::Point(-1, -1), cv::BORDER_REPLICATE);
    cv::resize(quarter, roi, pr.size(), 0, 0, cv::INTER_LINEAR);
  }
}

void fill_outside_circle(Planes& planes, const Circle& c, Yuv limited) {
  const Yuv color = planes.full_range ? to_full_range(limited) : limited;
  const std::uint8_t values[3] = {color.y, color.u, color.v};
  for (int i = 0; i < 3; ++i) {
    cv::Mat& p = planes.plane[i];
    const float sx = i == 0 ? 1.0f : static_cast<float>(1 << planes.shift_x);
    const float sy = i == 0 ? 1.0f : static_cast<float>(1 << planes.shift_y);
    // In plane coordinates; chroma samples touching the outside (half a sample) count as outside.
    const float cx = c.centre.x / sx, cy = c.centre.y / sy;
    const float rx = c.radius / sx - (i == 0 ? 0.0f : 0.5f), ry = c.radius / sy - (i == 0 ? 0.0f : 0.5f);
    for (int y = 0; y < p.rows; ++y) {
      std::uint8_t* row = p.ptr<std::uint8_t>(y);
      const float dy = (static_cast<float>(y) + 0.5f - cy) / std::max(ry, 1e-3f);
      if (rx <= 0 || std::abs(dy) >= 1.0f) {
        std::fill(row, row + p.cols, values[i]);
        continue;
      }
      const float half = rx * std::sqrt(1.0f - dy * dy);
      // Pixel x is inside when its centre x + 0.5 lies in [cx - half, cx + half].
      const int first = std::clamp(static_cast<int>(std::ceil(cx - half - 0.5f)), 0, p.cols);
      const int last = std::clamp(static_cast<int>(std::floor(cx + half - 0.5f)) + 1, first, p.cols);
      std::fill(row, row + first, values[i]);
      std::fill(row + last, row + p.cols, values[i]);
    }
  }
}

}  // namespace surg::anonymize
