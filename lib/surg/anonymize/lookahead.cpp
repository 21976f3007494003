#include "surg/anonymize/lookahead.hpp"

#include <algorithm>

#include "surg/core/error.hpp"

extern "C" {
#include <libavutil/buffer.h>
#include <libavutil/frame.h>
#include <libavutil/imgutils.h>
}

namespace surg::anonymize {
namespace {
constexpr int kAlign = 32;
}

LookAheadPlan plan_lookahead(Micros max_lag, int cycle, Micros interval) {
  LookAheadPlan p;
  p.analysis = kAnalysisSlack;
  if (max_lag <= Micros(0) || cycle <= 1 || interval <= Micros(0)) {
    p.complete = cycle <= 1 && max_lag > Micros(0);
    if (max_lag > Micros(0)) p.analysis = max_lag;
    return p;
  }
  const auto fit = std::max<std::int64_t>(0, (max_lag - kAnalysisSlack) / interval);
  p.frames = static_cast<int>(std::min<std::int64_t>(cycle - 1, fit));
  p.added = interval * p.frames;
  p.analysis = max_lag - p.added;
  p.complete = p.frames + 1 >= cycle;
  return p;
}

FramePool::FramePool(int width, int height, int format) : width_(width), height_(height), format_(format) {
  const int size = av_image_get_buffer_size(static_cast<AVPixelFormat>(format), width, height, kAlign);
  if (size < 0) throw RuntimeError("av_image_get_buffer_size: unsupported frame for the look-ahead pool");
  pool_ = av_buffer_pool_init(static_cast<std::size_t>(size), nullptr);
  if (!pool_) throw RuntimeError("av_buffer_pool_init: out of memory");
}

FramePool::~FramePool() { av_buffer_pool_uninit(&pool_); }

media::FramePtr FramePool::copy(const AVFrame& src) {
  media::FramePtr f = media::make_frame();
  f->buf[0] = av_buffer_pool_get(pool_);
  if (!f->buf[0]) throw RuntimeError("av_buffer_pool_get: out of memory");
  f->format = format_;
  f->width = width_;
  f->height = height_;
  media::av_check(av_image_fill_arrays(f->data, f->linesize, f->buf[0]->data, static_cast<AVPixelFormat>(format_),
                                       width_, height_, kAlign),
                  "av_image_fill_arrays");
  media::av_check(av_frame_copy(f.get(), &src), "av_frame_copy");
  media::av_check(av_frame_copy_props(f.get(), &src), "av_frame_copy_props");
  return f;
}

bool LookAhead::window_complete() const {
  std::int64_t run = 0, last = -2;
  for (const auto& p : queue_) {
    if (p.result.searched_whole) return true;
    const std::int64_t seq = p.result.search_seq;
    if (seq < 0) continue;  // not searched (slate, out of body): does not break the run
    run = seq == last + 1 ? run + 1 : 1;
    last = seq;
    if (run >= cycle_) return true;
  }
  return false;
}

std::optional<Pending> LookAhead::pop(bool flush, bool searched) {
  if (queue_.empty() || (!flush && std::ssize(queue_) <= frames_)) return std::nullopt;
  const bool complete = cycle_ <= 0 || searched || window_complete();
  Pending p = std::move(queue_.front());
  queue_.pop_front();
  if (p.result.slate == SlateReason::none && !complete) p.result.slate = SlateReason::warmup;
  return p;
}

}  // namespace surg::anonymize
