#include "surg/console/preview.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "surg/console/board.hpp"
#include "surg/core/error.hpp"

extern "C" {
#include <libavutil/opt.h>
}

namespace surg::console {

Preview::Preview(const media::VideoParams& video, int width, double fps)
    : video_(video), interval_ms_(static_cast<std::int64_t>(1000.0 / fps)) {
  out_w_ = std::min(width, video.width) & ~1;
  out_h_ = std::max(2, static_cast<int>(std::lround(double(video.height) * out_w_ / video.width)) & ~1);
  const AVCodec* mjpeg = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
  if (!mjpeg) throw RuntimeError("libavcodec has no mjpeg encoder (needed for the preview)");
  codec_.reset(avcodec_alloc_context3(mjpeg));
  codec_->width = out_w_;
  codec_->height = out_h_;
  // Plain yuv420p in full range: what a browser assumes of a JPEG (the yuvj formats are
  // deprecated in libav).
  codec_->pix_fmt = AV_PIX_FMT_YUV420P;
  codec_->color_range = AVCOL_RANGE_JPEG;
  codec_->time_base = {1, 1000};
  codec_->flags |= AV_CODEC_FLAG_QSCALE;
  codec_->global_quality = FF_QP2LAMBDA * 5;
  codec_->thread_count = 1;
  media::av_check(avcodec_open2(codec_.get(), mjpeg, nullptr), "avcodec_open2", "mjpeg");
  sws_.reset(sws_getContext(video.width, video.height, video.format, out_w_, out_h_, AV_PIX_FMT_YUV420P,
                            SWS_BILINEAR, nullptr, nullptr, nullptr));
  if (!sws_) throw RuntimeError("sws_getContext failed for the preview");
  // Limited-range video in, full-range JPEG out.
  const int* coeffs = sws_getCoefficients(SWS_CS_ITU709);
  sws_setColorspaceDetails(sws_.get(), coeffs, 0, coeffs, 1, 0, 1 << 16, 1 << 16);
  scaled_ = media::alloc_video_frame(out_w_, out_h_, AV_PIX_FMT_YUV420P);
  scaled_->color_range = AVCOL_RANGE_JPEG;
  thread_ = std::thread([this] { loop(); });
}

Preview::~Preview() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Preview::offer(const AVFrame& frame, std::int64_t now_ms) {
  if (now_ms - last_offer_ms_ < interval_ms_ || now_ms - asked_ms_.load() > 3000) return;
  std::unique_lock lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock() || busy_) return;  // the encoder is still at the last one: skip this
  pending_ = media::clone_frame(frame);
  pending_ms_ = now_ms;
  busy_ = true;
  last_offer_ms_ = now_ms;
  lock.unlock();
  wake_.notify_one();
}

std::shared_ptr<const Jpeg> Preview::latest() const {
  asked_ms_ = wall_ms();
  std::lock_guard lock(mutex_);
  return latest_;
}

std::string Preview::encode(const AVFrame& frame) {
  av_frame_make_writable(scaled_.get());
  sws_scale(sws_.get(), frame.data, frame.linesize, 0, frame.height, scaled_->data, scaled_->linesize);
  scaled_->pts = frame.pts;
  std::string out;
  if (avcodec_send_frame(codec_.get(), scaled_.get()) < 0) return out;
  media::PacketPtr packet = media::make_packet();
  while (avcodec_receive_packet(codec_.get(), packet.get()) == 0) {
    out.append(reinterpret_cast<const char*>(packet->data), packet->size);
    av_packet_unref(packet.get());
  }
  return out;
}

void Preview::loop() {
  std::int64_t seq = 0;
  for (;;) {
    media::FramePtr frame;
    std::int64_t passed = 0;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || pending_; });
      if (stop_) return;
      frame = std::move(pending_);
      passed = pending_ms_;
    }
    auto jpeg = std::make_shared<Jpeg>();
    jpeg->bytes = encode(*frame);
    jpeg->pts = frame->pts;
    frame.reset();  // the forwarded frame's buffer goes back to its pool
    jpeg->passed_ms = passed;
    jpeg->encoded_ms = wall_ms();
    jpeg->seq = ++seq;
    std::lock_guard lock(mutex_);
    if (!jpeg->bytes.empty()) {
      latest_ = std::move(jpeg);
      ++encoded_;
    }
    busy_ = false;
  }
}

double peak_dbfs(const std::int16_t* samples, std::size_t count) {
  int peak = 0;
  for (std::size_t i = 0; i < count; ++i) peak = std::max(peak, std::abs(static_cast<int>(samples[i])));
  if (peak == 0) return -120.0;
  return std::max(-120.0, 20.0 * std::log10(peak / 32768.0));
}

bool silence(AVPacket& packet) {
  if (av_packet_make_writable(&packet) < 0) return false;
  std::memset(packet.data, 0, static_cast<std::size_t>(packet.size));
  return true;
}

}  // namespace surg::console
