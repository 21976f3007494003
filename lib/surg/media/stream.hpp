#pragma once
// The surg stream: NUT, video rawvideo (yuv420p unless the source gives another format),
// audio pcm_s16le 48 kHz, session tags. Reader and Writer over stdin/stdout or files.
#include <cstdint>
#include <optional>
#include <string>

#include "surg/media/av.hpp"
#include "surg/media/session.hpp"

namespace surg::media {

inline constexpr int kAudioRate = 48000;
// Limits of what a Reader accepts (doc/stream.md): anything larger is refused as invalid
// input before a buffer is sized from it.
inline constexpr int kMaxFrameSide = 8192;
inline constexpr int kMaxAudioChannels = 16;

// Bytes of one packed raw frame (align 1), or -1 when the size is not positive, a side is
// over kMaxFrameSide, the format is not a raw pixel format, or the size overflows an int.
std::int64_t checked_frame_bytes(int format, int width, int height);

struct VideoParams {
  int width = 0;
  int height = 0;
  AVPixelFormat format = AV_PIX_FMT_YUV420P;
  AVRational time_base{1, 90000};  // timestamps of frames are in this base
  AVRational frame_rate{30, 1};
  AVRational sample_aspect_ratio{1, 1};
};

struct AudioParams {
  int sample_rate = kAudioRate;
  int channels = 2;
  AVRational time_base{1, kAudioRate};
};

struct StreamInfo {
  std::optional<VideoParams> video;
  std::optional<AudioParams> audio;
  Tags tags;           // session tags only
  std::string muxer;   // the container's "encoder" tag: only a non-surg program writes one
  bool marks = false;  // a data stream of chapter marks (see Writer::write_mark)
};

enum class Kind { video, audio, mark };

// One unit read from a surg stream.
struct Unit {
  Kind kind = Kind::video;
  FramePtr frame;     // video: the decoded frame, pts in VideoParams::time_base
  PacketPtr packet;   // audio: the pcm_s16le packet as read, pts in AudioParams::time_base;
                      // mark: the packet as read (pts in the video time base)
  std::string label;  // mark: its label (UTF-8)
};

class Reader {
 public:
  // "-" reads stdin. Throws InputError if the input is not a surg stream (garbage, no
  // video, audio not pcm_s16le 48 kHz), RuntimeError if it cannot be opened.
  explicit Reader(const std::string& path);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  const StreamInfo& info() const { return info_; }
  // The next unit, or nullopt at end of input. A truncated stream ends at its last
  // whole unit (logged as a warning); corrupt data throws InputError.
  std::optional<Unit> next();
  // Decodes an audio packet of this stream into an interleaved s16 frame.
  FramePtr decode_audio(const AVPacket& packet);
  std::int64_t bytes_read() const;
  bool from_pipe() const;  // stdin is a pipe (another tool upstream), not a file

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  StreamInfo info_;
};

class Writer {
 public:
  // "-" writes stdout and refuses a terminal (UsageError with a hint, as gzip does).
  // info.tags are written as container metadata; nothing else is.
  Writer(const std::string& path, const StreamInfo& info);
  ~Writer();  // finishes if finish() was not called (errors are logged, not thrown)
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  const StreamInfo& info() const { return info_; }
  void write_video(const AVFrame& frame);        // pts in info().video->time_base
  void write_audio(const AVPacket& packet);      // pcm_s16le, pts in info().audio->time_base
  void write_audio_frame(const AVFrame& frame);  // interleaved s16, 48 kHz
  // A chapter mark at `pts` (video time base), carried in-band so that surg-push can
  // write it as a chapter where it was made. Needs info.marks.
  void write_mark(std::int64_t pts, const std::string& label);
  // Passes through a mark unit read by a Reader.
  void write_mark(const Unit& mark) { write_mark(mark.packet->pts, mark.label); }
  void finish();  // trailer and flush; throws DownstreamClosed on EPIPE
  std::int64_t bytes_written() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  StreamInfo info_;
};

// Grows the pipe behind fd (stdin/stdout) to `bytes` where the kernel allows it:
// a 1080p frame is 3 MB and the default 64 KiB pipe costs a context switch a page.
void enlarge_pipe(int fd, int bytes = 1 << 20);

// True when `path` is a pipe, FIFO or socket (a producer or consumer that may be live and
// cannot seek); "-" means the standard stream `std_fd`.
bool is_pipe(const std::string& path, int std_fd);

}  // namespace surg::media
