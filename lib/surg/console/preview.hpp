#pragma once
// The panel's picture and sound of what goes to surg-push (doc/console.md):
//  - Preview: a few frames a second, scaled down and encoded as JPEG (libavcodec's mjpeg) on a
//    thread of its own. The media loop only takes a new reference to the frame it forwards
//    (no copy) when the worker is idle, so a slow browser or encoder never delays the stream.
//  - Level: the peak of each audio packet, and mute, which zeroes the PCM in place.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "surg/media/av.hpp"
#include "surg/media/stream.hpp"

namespace surg::console {

struct Jpeg {
  std::string bytes;
  std::int64_t pts = 0;
  std::int64_t passed_ms = 0;   // wall time the frame passed through the console
  std::int64_t encoded_ms = 0;  // wall time the JPEG was ready
  std::int64_t seq = 0;
};

class Preview {
 public:
  Preview(const media::VideoParams& video, int width, double fps);
  ~Preview();
  Preview(const Preview&) = delete;
  Preview& operator=(const Preview&) = delete;
  // From the media loop, for every frame forwarded: cheap, never blocks on the encoder.
  void offer(const AVFrame& frame, std::int64_t now_ms);
  // The newest picture (null before the first). Asking keeps the encoder running: with no
  // one asking for 3 s (no page open) no frame is encoded.
  std::shared_ptr<const Jpeg> latest() const;
  std::int64_t encoded() const { return encoded_.load(); }
  // A page asked for a picture in the last 3 s.
  bool watched(std::int64_t now_ms) const { return now_ms - asked_ms_.load() <= 3000; }

 private:
  void loop();
  std::string encode(const AVFrame& frame);
  media::VideoParams video_;
  int out_w_, out_h_;
  std::int64_t interval_ms_;
  std::int64_t last_offer_ms_ = 0;
  media::SwsPtr sws_;
  media::CodecContextPtr codec_;
  media::FramePtr scaled_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  media::FramePtr pending_;  // the frame the worker is to encode (a reference, not a copy)
  std::int64_t pending_ms_ = 0;
  bool busy_ = false, stop_ = false;
  std::shared_ptr<const Jpeg> latest_;
  std::atomic<std::int64_t> encoded_{0};
  mutable std::atomic<std::int64_t> asked_ms_{0};
  std::thread thread_;
};

// Peak level of interleaved s16 samples in dBFS (-120 for silence).
double peak_dbfs(const std::int16_t* samples, std::size_t count);

// Zeroes an audio packet's samples (made writable first: the packet may share its buffer).
// False when that failed: the caller must then not send the packet (mute fails closed).
bool silence(AVPacket& packet);

}  // namespace surg::console
