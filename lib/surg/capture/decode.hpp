#pragma once
// Decoding for the libavformat sources (files, URLs, devices) and the normalisation every
// frame goes through before the surg stream: video to yuv420p at the output size only when
// it is not already, audio to s16 48 kHz stereo; source timestamps kept.
#include <optional>

#include "surg/capture/source.hpp"
#include "surg/media/convert.hpp"

namespace surg::capture {

// Opens a libavformat input (format: a demuxer name or empty to probe) whose blocking
// calls give up when a stop is requested. Errors name the redacted URL: a missing or
// unreadable input is a RuntimeError (exit 1), data that is not media an InputError (4).
media::InputContextPtr open_format(const std::string& url, const std::string& format,
                                   AVDictionary** options = nullptr, int flags = 0);

class Decoder {
 public:
  // Throws InputError when FFmpeg has no decoder for the stream.
  explicit Decoder(AVStream& stream);
  AVStream& stream() const { return *stream_; }
  // Sends a packet (nullptr: end of stream). Corrupt packets are logged and skipped.
  void send(const AVPacket* packet);
  // The next decoded frame (time_base set to the stream's), null when it needs input.
  media::FramePtr receive();

 private:
  AVStream* stream_;
  media::CodecContextPtr codec_;
};

// Decoded video -> yuv420p frames of `size`, pts in the stream time base.
class VideoNormaliser {
 public:
  explicit VideoNormaliser(Size size)
      : size_(size), converter_(size.width, size.height, AV_PIX_FMT_YUV420P) {}
  media::FramePtr operator()(media::FramePtr frame);

 private:
  Size size_;
  media::VideoConverter converter_;
};

// Decoded audio -> interleaved s16 48 kHz stereo, pts in 1/48000 continuing from the
// first frame's timestamp. A nullptr flushes what the resampler holds.
class AudioNormaliser {
 public:
  AudioNormaliser() : resampler_(media::kAudioRate, 2, AV_SAMPLE_FMT_S16) {}
  media::FramePtr operator()(const AVFrame* frame) { return resampler_.convert(frame); }

 private:
  media::AudioResampler resampler_;
};

// The [begin, end) window of a cut, in microseconds of source time.
struct Window {
  Micros begin{INT64_MIN};
  std::optional<Micros> end;
  bool before(Micros t) const { return t < begin; }
  bool after(Micros t) const { return end && t >= *end; }
};

// The part of an s16 48 kHz frame inside the window, null when none of it is.
media::FramePtr trim_audio(media::FramePtr frame, const Window& window);

// The video timestamp of a decoded frame; guesses from the previous one when missing.
std::int64_t frame_timestamp(const AVFrame& frame, std::optional<std::int64_t> previous, std::int64_t step);

}  // namespace surg::capture
