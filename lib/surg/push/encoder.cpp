#include "surg/push/encoder.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

extern "C" {
#include <libavutil/audio_fifo.h>
#include <libavutil/hwcontext.h>
#include <libavutil/opt.h>
}

#include <spdlog/spdlog.h>

#include "surg/core/error.hpp"

namespace surg::push {
namespace {

const AVCodec* find_encoder(const char* name) {
  const AVCodec* codec = avcodec_find_encoder_by_name(name);
  if (!codec) throw RuntimeError(std::string("encoder ") + name + " is not available in this FFmpeg");
  return codec;
}

void set_x264_options(AVCodecContext* c, const EncodeSettings& s) {
  media::av_check(av_opt_set(c->priv_data, "preset", s.x264_preset.c_str(), 0), "x264 preset");
  if (!s.tune.empty()) media::av_check(av_opt_set(c->priv_data, "tune", s.tune.c_str(), 0), "x264 tune");
  // Keyframes exactly every GOP: no scene-cut keyframes, closed GOPs, so an output can
  // start on any keyframe and the platforms see a fixed interval.
  media::av_check(av_opt_set(c->priv_data, "x264-params", "scenecut=0:open-gop=0", 0), "x264-params");
}

// x264 puts its version and full settings into an SEI NAL of the first packet. The
// metadata allow-list keeps encoder strings out of published files, so SEI NALs (type 6;
// x264 writes no other kind with these settings) are dropped from Annex B packets.
bool has_sei(const AVPacket& pkt) {
  for (int i = 0; i + 3 < pkt.size; ++i)
    if (pkt.data[i] == 0 && pkt.data[i + 1] == 0 && pkt.data[i + 2] == 1 && (pkt.data[i + 3] & 0x1f) == 6)
      return true;
  return false;
}

void strip_sei(AVPacket& pkt) {
  const uint8_t* d = pkt.data;
  const int n = pkt.size;
  std::vector<uint8_t> out;
  out.reserve(static_cast<std::size_t>(n));
  int i = 0;
  while (i < n) {
    int start = i;  // the NAL's start code
    while (start + 2 < n && !(d[start] == 0 && d[start + 1] == 0 && d[start + 2] == 1)) ++start;
    if (start + 3 >= n) break;
    int next = start + 3;
    while (next + 2 < n && !(d[next] == 0 && d[next + 1] == 0 && d[next + 2] == 1)) ++next;
    if (next + 2 >= n)
      next = n;
    else if (next > 0 && d[next - 1] == 0)
      --next;  // a 4-byte start code belongs to the next NAL
    if ((d[start + 3] & 0x1f) != 6) {
      out.insert(out.end(), {0, 0, 0, 1});
      out.insert(out.end(), d + start + 3, d + next);
    }
    i = next;
  }
  media::PacketPtr fresh = media::make_packet();
  media::av_check(av_new_packet(fresh.get(), static_cast<int>(out.size())), "av_new_packet");
  std::copy(out.begin(), out.end(), fresh->data);
  media::av_check(av_packet_copy_props(fresh.get(), &pkt), "av_packet_copy_props");
  av_packet_unref(&pkt);
  av_packet_move_ref(&pkt, fresh.get());
}

}  // namespace

int gop_frames(Micros keyint, AVRational frame_rate) {
  const double frames = keyint.count() / 1e6 * av_q2d(frame_rate);
  return std::max(1, static_cast<int>(std::lround(frames)));
}

namespace {

// The hardware H.264 encoders of Debian's FFmpeg, in the order --encoder auto tries them.
struct Hardware {
  const char* option;  // --encoder value
  const char* codec;
  AVHWDeviceType device;
  AVPixelFormat input;  // what the encoder is given: a hardware format needs an upload
  AVPixelFormat sw_format;
};
constexpr Hardware kHardware[] = {
    {"vaapi", "h264_vaapi", AV_HWDEVICE_TYPE_VAAPI, AV_PIX_FMT_VAAPI, AV_PIX_FMT_NV12},
    {"qsv", "h264_qsv", AV_HWDEVICE_TYPE_QSV, AV_PIX_FMT_NV12, AV_PIX_FMT_NV12},
    {"nvenc", "h264_nvenc", AV_HWDEVICE_TYPE_CUDA, AV_PIX_FMT_YUV420P, AV_PIX_FMT_YUV420P},
};

// What every H.264 encoder gets: size, time base, GOP, capped bitrate, global headers.
media::CodecContextPtr video_context(const AVCodec* codec, const media::VideoParams& in, Size size,
                                     const EncodeSettings& s) {
  media::CodecContextPtr ctx(avcodec_alloc_context3(codec));
  if (!ctx) throw std::bad_alloc();
  AVCodecContext* c = ctx.get();
  c->width = size.width;
  c->height = size.height;
  c->pix_fmt = AV_PIX_FMT_YUV420P;
  c->time_base = in.time_base;
  c->framerate = in.frame_rate;
  c->sample_aspect_ratio = in.sample_aspect_ratio;
  c->keyint_min = gop_frames(s.keyint, in.frame_rate);
  c->gop_size = 2 * c->keyint_min;
  c->bit_rate = s.video_bitrate;
  // Capped bitrate with a 2 s buffer: what live ingest servers expect (close to CBR).
  c->rc_max_rate = s.video_bitrate;
  c->rc_buffer_size = static_cast<int>(std::min<std::int64_t>(s.video_bitrate * 2, INT32_MAX));
  c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  return ctx;
}

// Gives `c` a device and, for encoders fed hardware frames, a pool of them.
void attach_device(AVCodecContext* c, const Hardware& hw) {
  AVBufferRef* device = nullptr;
  media::av_check(av_hwdevice_ctx_create(&device, hw.device, nullptr, nullptr, 0), "av_hwdevice_ctx_create",
                  av_hwdevice_get_type_name(hw.device));
  c->hw_device_ctx = device;
  c->pix_fmt = hw.input;
  if (hw.input == hw.sw_format) return;
  AVBufferRef* frames = av_hwframe_ctx_alloc(device);
  if (!frames) throw std::bad_alloc();
  auto* f = reinterpret_cast<AVHWFramesContext*>(frames->data);
  f->format = hw.input;
  f->sw_format = hw.sw_format;
  f->width = c->width;
  f->height = c->height;
  f->initial_pool_size = 16;
  if (const int ret = av_hwframe_ctx_init(frames); ret < 0) {
    av_buffer_unref(&frames);
    media::av_check(ret, "av_hwframe_ctx_init", hw.codec);
  }
  c->hw_frames_ctx = frames;
}

// The hardware encoder opened, or null (the reason logged) when it cannot be.
media::CodecContextPtr open_hardware(const Hardware& hw, const media::VideoParams& in, Size size,
                                     const EncodeSettings& s) {
  const AVCodec* codec = avcodec_find_encoder_by_name(hw.codec);
  if (!codec) {
    spdlog::info("encoder {}: not in this FFmpeg", hw.codec);
    return nullptr;
  }
  // A machine without the device is the common case, not a fault: FFmpeg's own complaints
  // while probing are silenced (this runs before any other thread logs) and our one line
  // says why the encoder is not used.
  const int level = av_log_get_level();
  av_log_set_level(AV_LOG_QUIET);
  try {
    auto ctx = video_context(codec, in, size, s);
    attach_device(ctx.get(), hw);
    ctx->max_b_frames = 0;  // live: no reordering delay
    media::av_check(avcodec_open2(ctx.get(), codec, nullptr), "avcodec_open2", hw.codec);
    av_log_set_level(level);
    return ctx;
  } catch (const RuntimeError& e) {
    av_log_set_level(level);
    spdlog::info("encoder {}: unavailable: {}", hw.codec, e.what());
    return nullptr;
  }
}

media::CodecContextPtr open_x264(const media::VideoParams& in, Size size, const EncodeSettings& s) {
  auto ctx = video_context(find_encoder("libx264"), in, size, s);
  set_x264_options(ctx.get(), s);
  media::av_check(avcodec_open2(ctx.get(), ctx->codec, nullptr), "avcodec_open2", "libx264");
  return ctx;
}

// --encoder: the hardware encoders asked for, in order, then x264.
media::CodecContextPtr open_video_encoder(const media::VideoParams& in, Size size, const EncodeSettings& s) {
  if (s.encoder == "x264") return open_x264(in, size, s);
  for (const Hardware& hw : kHardware) {
    if (s.encoder != "auto" && s.encoder != hw.option) continue;
    if (auto ctx = open_hardware(hw, in, size, s)) {
      spdlog::info("encoding H.264 with {}", hw.codec);
      return ctx;
    }
  }
  if (s.encoder == "auto")
    spdlog::info("no hardware H.264 encoder opens here; encoding with libx264");
  else
    spdlog::warn("--encoder {}: the hardware encoder does not open here; encoding with libx264", s.encoder);
  return open_x264(in, size, s);
}

}  // namespace

VideoEncoder::VideoEncoder(const media::VideoParams& in, Size size, const EncodeSettings& s)
    : ctx_(open_video_encoder(in, size, s)) {
  // Keyframes are forced by timestamp (encode()), so frames a live source dropped do not
  // stretch the interval platforms check; the encoder's own limit is only a backstop.
  keyint_ = av_rescale_q(s.keyint.count(), {1, 1000000}, in.time_base);
  const AVPixelFormat wanted =
      ctx_->hw_frames_ctx ? reinterpret_cast<AVHWFramesContext*>(ctx_->hw_frames_ctx->data)->sw_format
                          : ctx_->pix_fmt;
  if (size.width != in.width || size.height != in.height || in.format != wanted)
    converter_.emplace(size.width, size.height, wanted, SWS_BICUBIC);
}

AVFrame* VideoEncoder::upload(AVFrame& frame) {
  if (!ctx_->hw_frames_ctx) return &frame;
  hw_frame_ = media::make_frame();
  media::av_check(av_hwframe_get_buffer(ctx_->hw_frames_ctx, hw_frame_.get(), 0), "av_hwframe_get_buffer");
  media::av_check(av_hwframe_transfer_data(hw_frame_.get(), &frame, 0), "av_hwframe_transfer_data");
  media::av_check(av_frame_copy_props(hw_frame_.get(), &frame), "av_frame_copy_props");
  return hw_frame_.get();
}

void VideoEncoder::encode(AVFrame& frame, const PacketSink& sink) {
  // x264 refuses a pts that does not grow; a repeated one is a broken source, not fatal.
  if (last_pts_ != AV_NOPTS_VALUE && frame.pts <= last_pts_) {
    if (++skipped_ == 1) spdlog::warn("video frame with a repeated timestamp ({}) skipped", frame.pts);
    return;
  }
  last_pts_ = frame.pts;
  media::FramePtr converted;
  AVFrame* f = &frame;
  if (converter_) {
    converted = converter_->convert(frame);
    f = converted.get();
  }
  f = upload(*f);
  f->pict_type = AV_PICTURE_TYPE_NONE;  // rawvideo marks every frame I: ignore it
  f->key_frame = 0;
  if (next_key_ == AV_NOPTS_VALUE || f->pts >= next_key_) {
    f->pict_type = AV_PICTURE_TYPE_I;
    next_key_ = next_key_ == AV_NOPTS_VALUE ? f->pts + keyint_ : next_key_ + keyint_;
    while (next_key_ <= f->pts) next_key_ += keyint_;
  }
  media::av_check(avcodec_send_frame(ctx_.get(), f), "encode video");
  ++frames_;
  drain(sink);
}

void VideoEncoder::flush(const PacketSink& sink) {
  media::av_check(avcodec_send_frame(ctx_.get(), nullptr), "flush video encoder");
  drain(sink);
}

void VideoEncoder::drain(const PacketSink& sink) {
  for (;;) {
    const int ret = avcodec_receive_packet(ctx_.get(), packet_.get());
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) return;
    media::av_check(ret, "encode video");
    if (packet_->flags & AV_PKT_FLAG_KEY && has_sei(*packet_)) strip_sei(*packet_);
    sink(share_packet(*packet_, StreamKind::video, ctx_->time_base));
    av_packet_unref(packet_.get());
  }
}

AudioEncoder::AudioEncoder(const media::AudioParams& in, std::int64_t bitrate)
    : resampler_(media::kAudioRate, in.channels, AV_SAMPLE_FMT_FLTP) {
  ctx_.reset(avcodec_alloc_context3(find_encoder("aac")));
  AVCodecContext* c = ctx_.get();
  c->sample_fmt = AV_SAMPLE_FMT_FLTP;
  c->sample_rate = media::kAudioRate;
  av_channel_layout_default(&c->ch_layout, in.channels);
  c->bit_rate = bitrate;
  c->profile = FF_PROFILE_AAC_LOW;
  c->time_base = {1, media::kAudioRate};
  c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  c->flags |= AV_CODEC_FLAG_BITEXACT;  // no "Lavc..." identity in the first AAC frame
  media::av_check(avcodec_open2(c, c->codec, nullptr), "avcodec_open2", "aac");
  fifo_ = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, in.channels, c->frame_size * 4);
  if (!fifo_) throw std::bad_alloc();
}

AudioEncoder::~AudioEncoder() { av_audio_fifo_free(fifo_); }

void AudioEncoder::encode(const AVFrame& s16, const PacketSink& sink) {
  media::FramePtr f = resampler_.convert(&s16);
  if (!f || f->nb_samples == 0) return;
  if (next_pts_ == AV_NOPTS_VALUE) next_pts_ = f->pts;
  media::av_check(av_audio_fifo_write(fifo_, reinterpret_cast<void**>(f->extended_data), f->nb_samples),
                  "av_audio_fifo_write");
  while (av_audio_fifo_size(fifo_) >= ctx_->frame_size) send_fifo(ctx_->frame_size, sink);
}

void AudioEncoder::flush(const PacketSink& sink) {
  if (media::FramePtr rest = resampler_.convert(nullptr); rest && rest->nb_samples > 0) {
    if (next_pts_ == AV_NOPTS_VALUE) next_pts_ = rest->pts;
    av_audio_fifo_write(fifo_, reinterpret_cast<void**>(rest->extended_data), rest->nb_samples);
  }
  while (av_audio_fifo_size(fifo_) > 0)
    send_fifo(std::min(av_audio_fifo_size(fifo_), ctx_->frame_size), sink);
  media::av_check(avcodec_send_frame(ctx_.get(), nullptr), "flush audio encoder");
  drain(sink);
}

void AudioEncoder::send_fifo(int samples, const PacketSink& sink) {
  auto frame =
      media::alloc_audio_frame(samples, ctx_->ch_layout.nb_channels, media::kAudioRate, AV_SAMPLE_FMT_FLTP);
  av_audio_fifo_read(fifo_, reinterpret_cast<void**>(frame->extended_data), samples);
  frame->pts = next_pts_;
  next_pts_ += samples;
  media::av_check(avcodec_send_frame(ctx_.get(), frame.get()), "encode audio");
  drain(sink);
}

void AudioEncoder::drain(const PacketSink& sink) {
  for (;;) {
    const int ret = avcodec_receive_packet(ctx_.get(), packet_.get());
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) return;
    media::av_check(ret, "encode audio");
    sink(share_packet(*packet_, StreamKind::audio, ctx_->time_base));
    av_packet_unref(packet_.get());
  }
}

}  // namespace surg::push
