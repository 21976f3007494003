#pragma once
// A capture source: the test pattern, a V4L2 device or any libavformat input. Every
// source hands out frames ready for the surg stream: video yuv420p at the declared size,
// audio interleaved s16 48 kHz stereo, timestamps in the StreamInfo time bases.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "surg/capture/options.hpp"
#include "surg/media/stream.hpp"

namespace surg::capture {

struct SourceFrame {
  media::Kind kind = media::Kind::video;  // video or audio
  media::FramePtr frame;                  // null for a video frame missed while the output was blocked
  std::int64_t pts = 0;                   // the frame's timestamp (also when missed)
};

class Source {
 public:
  virtual ~Source() = default;
  // Stream parameters; tags are left to the caller.
  virtual const media::StreamInfo& info() const = 0;
  // The next frame, nullopt at the end (of --duration or of the input).
  virtual std::optional<SourceFrame> next() = 0;
  // Live sources drop frames rather than wait on a slow consumer.
  virtual bool live() const = 0;
  // Key settings for surg.chain ("test-pattern", "device", "file", ...).
  virtual std::vector<std::string> settings() const = 0;
  // How much media the source will give (--duration, or the input's length); 0 = unknown.
  virtual Micros expected_duration() const { return Micros(0); }
};

std::unique_ptr<Source> open_pattern_source(const Plan& plan);
std::unique_ptr<Source> open_input_source(const Plan& plan);
std::unique_ptr<Source> open_device_source(const Plan& plan);

// The libavdevice demuxers a device source reads through; tests swap in "lavfi" to run the
// device path (non-blocking polling, decoding, conversion, --duration) without hardware.
struct DeviceFormats {
  std::string video = "v4l2";
  std::string audio = "alsa";
};
// Opens plan.location and plan.audio with these demuxers, without checking the path.
std::unique_ptr<Source> open_device_source(const Plan& plan, const DeviceFormats& formats);
std::unique_ptr<Source> open_source(const Plan& plan);

}  // namespace surg::capture
