#pragma once
// Conversion with cached contexts: only where a tool must (doc/stream.md).
#include "surg/media/av.hpp"
#include "surg/media/pool.hpp"

namespace surg::media {

// Scales/converts video frames; the swscale context is rebuilt only when the input
// geometry or format changes. Copies pts and other frame properties. Output frames come
// from a pool (packed, so they are written without a copy).
class VideoConverter {
 public:
  VideoConverter(int width, int height, AVPixelFormat format, int flags = SWS_BILINEAR);
  FramePtr convert(const AVFrame& in);

 private:
  int width_, height_;
  AVPixelFormat format_;
  int flags_;
  SwsPtr sws_;
  FramePool pool_;
};

// Resamples audio to a fixed rate/format/channel count. Input frames may vary.
class AudioResampler {
 public:
  AudioResampler(int sample_rate, int channels, AVSampleFormat format);
  // Converted samples of `in` (or, with nullptr, what is left inside the resampler).
  // The output pts continues from the first input pts, in 1/sample_rate.
  FramePtr convert(const AVFrame* in);

 private:
  void ensure(const AVFrame& in);
  int rate_, channels_;
  AVSampleFormat format_;
  SwrPtr swr_;
  int in_rate_ = 0, in_channels_ = 0, in_format_ = -1;
  std::int64_t next_pts_ = AV_NOPTS_VALUE;
};

}  // namespace surg::media
