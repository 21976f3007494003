#pragma once
// Shared helpers of the annotate unit tests: synthetic frames and pixel comparisons.
#include <cstdlib>
#include <cstring>
#include <string>

#include <unistd.h>

#include "surg/media/av.hpp"

namespace test {

inline surg::media::FramePtr gray_frame(int w, int h, int luma, std::int64_t pts) {
  auto f = surg::media::alloc_video_frame(w, h, AV_PIX_FMT_YUV420P);
  for (int y = 0; y < h; ++y) std::memset(f->data[0] + y * f->linesize[0], luma, static_cast<std::size_t>(w));
  for (int p = 1; p < 3; ++p)
    for (int y = 0; y < h / 2; ++y)
      std::memset(f->data[p] + y * f->linesize[p], 128, static_cast<std::size_t>(w / 2));
  f->pts = pts;
  return f;
}

// Number of luma samples in the rectangle that differ from `luma` by more than 8.
inline int changed(const AVFrame& f, int x, int y, int w, int h, int luma) {
  int n = 0;
  for (int j = y; j < y + h && j < f.height; ++j)
    for (int i = x; i < x + w && i < f.width; ++i) n += std::abs(f.data[0][j * f.linesize[0] + i] - luma) > 8;
  return n;
}

inline bool same_plane(const AVFrame& a, const AVFrame& b, int plane, int w, int h) {
  for (int y = 0; y < h; ++y)
    if (std::memcmp(a.data[plane] + y * a.linesize[plane], b.data[plane] + y * b.linesize[plane],
                    static_cast<std::size_t>(w)) != 0)
      return false;
  return true;
}

inline std::string temp_path(const std::string& name) {
  return std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/surg-annotate-test-" +
         std::to_string(::getpid()) + "-" + name;
}

}  // namespace test
