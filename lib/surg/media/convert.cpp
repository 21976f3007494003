#include "surg/media/convert.hpp"

#include "surg/core/error.hpp"

namespace surg::media {

VideoConverter::VideoConverter(int width, int height, AVPixelFormat format, int flags)
    : width_(width), height_(height), format_(format), flags_(flags), pool_(width, height, format) {}

FramePtr VideoConverter::convert(const AVFrame& in) {
  // sws_getCachedContext returns the same context while the input stays the same.
  SwsContext* ctx =
      sws_getCachedContext(sws_.release(), in.width, in.height, static_cast<AVPixelFormat>(in.format), width_,
                           height_, format_, flags_, nullptr, nullptr, nullptr);
  if (!ctx) throw RuntimeError("sws_getCachedContext: unsupported conversion");
  sws_.reset(ctx);
  auto out = pool_.get();
  av_check(sws_scale(ctx, in.data, in.linesize, 0, in.height, out->data, out->linesize), "sws_scale");
  av_frame_copy_props(out.get(), &in);
  return out;
}

AudioResampler::AudioResampler(int sample_rate, int channels, AVSampleFormat format)
    : rate_(sample_rate), channels_(channels), format_(format) {}

void AudioResampler::ensure(const AVFrame& in) {
  if (swr_ && in.sample_rate == in_rate_ && in.ch_layout.nb_channels == in_channels_ &&
      in.format == in_format_)
    return;
  AVChannelLayout out_layout, in_layout;
  av_channel_layout_default(&out_layout, channels_);
  if (av_channel_layout_copy(&in_layout, &in.ch_layout) < 0 || in_layout.order == AV_CHANNEL_ORDER_UNSPEC)
    av_channel_layout_default(&in_layout, in.ch_layout.nb_channels);
  SwrContext* ctx = nullptr;
  av_check(swr_alloc_set_opts2(&ctx, &out_layout, format_, rate_, &in_layout,
                               static_cast<AVSampleFormat>(in.format), in.sample_rate, 0, nullptr),
           "swr_alloc_set_opts2");
  swr_.reset(ctx);
  av_channel_layout_uninit(&in_layout);
  av_check(swr_init(ctx), "swr_init");
  in_rate_ = in.sample_rate;
  in_channels_ = in.ch_layout.nb_channels;
  in_format_ = in.format;
}

FramePtr AudioResampler::convert(const AVFrame* in) {
  if (in) ensure(*in);
  if (!swr_) return nullptr;
  if (in && next_pts_ == AV_NOPTS_VALUE && in->pts != AV_NOPTS_VALUE)
    next_pts_ =
        av_rescale_q(in->pts, in->time_base.num ? in->time_base : AVRational{1, in->sample_rate}, {1, rate_});
  const int max_out = swr_get_out_samples(swr_.get(), in ? in->nb_samples : 0);
  if (max_out <= 0) return nullptr;
  auto out = alloc_audio_frame(max_out, channels_, rate_, format_);
  const int got = av_check(
      swr_convert(swr_.get(), out->data, max_out,
                  in ? const_cast<const uint8_t**>(in->extended_data) : nullptr, in ? in->nb_samples : 0),
      "swr_convert");
  if (got == 0) return nullptr;
  out->nb_samples = got;
  out->pts = next_pts_ == AV_NOPTS_VALUE ? 0 : next_pts_;
  out->time_base = {1, rate_};
  next_pts_ = out->pts + got;
  return out;
}

}  // namespace surg::media
