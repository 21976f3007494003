#pragma once
// Encodes once for every output: H.264 (libx264, or a hardware encoder chosen by probing
// with --encoder: h264_vaapi, h264_qsv, h264_nvenc; fixed GOP = keyint, VBV-capped
// bitrate) and AAC-LC 48 kHz. Global headers, so every muxer (mp4, mkv, flv, mpegts, hls) gets
// extradata; mpegts repeats the parameter sets before each keyframe itself.
#include <functional>
#include <memory>
#include <optional>

#include "surg/media/convert.hpp"
#include "surg/media/stream.hpp"
#include "surg/push/packet.hpp"
#include "surg/push/presets.hpp"

struct AVAudioFifo;

namespace surg::push {

using PacketSink = std::function<void(const SharedPacket&)>;

class VideoEncoder {
 public:
  // settings.encoder: "x264", or a hardware encoder tried first ("vaapi", "qsv", "nvenc";
  // "auto" tries each in that order). One that does not open (no device, no driver) falls
  // back to x264 with a log line: the broadcast goes on.
  VideoEncoder(const media::VideoParams& input, Size size, const EncodeSettings& settings);
  const AVCodecContext* context() const { return ctx_.get(); }
  const char* name() const { return ctx_->codec->name; }  // "libx264", "h264_vaapi", ...
  // Scales/converts when needed; the frame's own picture type is ignored so keyframes come
  // from the GOP alone.
  void encode(AVFrame& frame, const PacketSink& sink);
  void flush(const PacketSink& sink);
  std::int64_t frames() const { return frames_; }

 private:
  void drain(const PacketSink& sink);
  AVFrame* upload(AVFrame& frame);  // to the hardware frames context, when there is one
  media::CodecContextPtr ctx_;
  std::optional<media::VideoConverter> converter_;
  media::FramePtr hw_frame_;
  std::int64_t keyint_ = 1;                 // in the input time base
  std::int64_t next_key_ = AV_NOPTS_VALUE;  // pts from which the next keyframe is forced
  media::PacketPtr packet_ = media::make_packet();
  std::int64_t frames_ = 0;
  std::int64_t last_pts_ = AV_NOPTS_VALUE;
  std::int64_t skipped_ = 0;
};

class AudioEncoder {
 public:
  AudioEncoder(const media::AudioParams& input, std::int64_t bitrate);
  ~AudioEncoder();
  const AVCodecContext* context() const { return ctx_.get(); }
  void encode(const AVFrame& s16, const PacketSink& sink);  // any number of samples
  void flush(const PacketSink& sink);

 private:
  void send_fifo(int samples, const PacketSink& sink);
  void drain(const PacketSink& sink);
  media::CodecContextPtr ctx_;
  media::AudioResampler resampler_;
  AVAudioFifo* fifo_ = nullptr;
  std::int64_t next_pts_ = AV_NOPTS_VALUE;  // pts of the first sample in the fifo
  media::PacketPtr packet_ = media::make_packet();
};

// Number of frames between keyframes for `keyint` at `frame_rate` (at least 1).
int gop_frames(Micros keyint, AVRational frame_rate);

}  // namespace surg::push
