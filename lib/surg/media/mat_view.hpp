#pragma once
// Zero-copy OpenCV views of frame planes: the cv::Mat points into the AVFrame's buffer,
// so writes through it change the frame (make the frame writable first).
#include <opencv2/core.hpp>

#include "surg/media/av.hpp"

extern "C" {
#include <libavutil/pixdesc.h>
}

namespace surg::media {

// Black and white luma of limited-range (TV) video, which the surg stream carries.
inline constexpr std::uint8_t kLumaBlack = 16, kLumaWhite = 235;

// Plane `index` of an 8-bit planar frame (yuv420p: 0 = Y full size, 1/2 = U/V half size).
inline cv::Mat plane_view(AVFrame& frame, int index) {
  const bool chroma = index > 0;
  const auto* desc = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(frame.format));
  const int w = chroma ? AV_CEIL_RSHIFT(frame.width, desc->log2_chroma_w) : frame.width;
  const int h = chroma ? AV_CEIL_RSHIFT(frame.height, desc->log2_chroma_h) : frame.height;
  return cv::Mat(h, w, CV_8UC1, frame.data[index], static_cast<size_t>(frame.linesize[index]));
}

// Packed frames (bgr24, rgb24): one 3-channel view.
inline cv::Mat packed_view(AVFrame& frame) {
  return cv::Mat(frame.height, frame.width, CV_8UC3, frame.data[0], static_cast<size_t>(frame.linesize[0]));
}

}  // namespace surg::media
