#include "surg/push/encoder.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

extern "C" {
#include <libavutil/audio_fifo.h>
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
    if (next + 2 >= n) next = n;
    else if (next > 0 && d[next - 1] == 0) --next;  // a 4-byte start code belongs to the next NAL
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

VideoEncoder::VideoEncoder(const media::VideoParams& in, Size size, const EncodeSettings& s) {
  ctx_.reset(avcodec_alloc_context3(find_encoder("libx264")));
  AVCodecContext* c = ctx_.get();
  c->width = size.width;
  c->height = size.height;
  c->pix_fmt = AV_PIX_FMT_YUV420P;
  c->time_base = in.time_base;
  c->framerate = in.frame_rate;
  c->sample_aspect_ratio = in.sample_aspect_ratio;
  // Keyframes are forced by timestamp (encode()), so frames a live source dropped do not
  // stretch the interval platforms check; x264's own limit is only a backstop.
  keyint_ = av_rescale_q(s.keyint.count(), {1, 1000000}, in.time_base);
  c->keyint_min = gop_frames(s.keyint, in.frame_rate);
  c->gop_size = 2 * c->keyint_min;
  c->bit_rate = s.video_bitrate;
  // Capped bitrate with a 2 s buffer: what live ingest servers expect (close to CBR).
  c->rc_max_rate = s.video_bitrate;
  c->rc_buffer_size = static_cast<int>(std::min<std::int64_t>(s.video_bitrate * 2, INT32_MAX));
  c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  set_x264_options(c, s);
  media::av_check(avcodec_open2(c, c->codec, nullptr), "avcodec_open2", "libx264");
  if (size.width != in.width || size.height != in.height || in.format != AV_PIX_FMT_YUV420P)
    converter_.emplace(size.width, size.height, AV_PIX_FMT_YUV420P, SWS_BICUBIC);
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
  auto frame = media::alloc_audio_frame(samples, ctx_->ch_layout.nb_channels, media::kAudioRate,
                                        AV_SAMPLE_FMT_FLTP);
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
