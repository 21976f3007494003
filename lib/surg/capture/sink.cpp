#include "surg/capture/sink.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "surg/core/signals.hpp"
#include "surg/media/pool.hpp"

namespace surg::capture {

media::StreamInfo stream_info(const Source& source, const std::string& tool) {
  media::StreamInfo info = source.info();
  // surg.case and surg.consent pass through; the chain starts here: what was done to a
  // recording before is not vouched for (its anonymisation is done again).
  info.tags[media::kTagChain] = media::append_chain("", tool, source.settings());
  return info;
}

Sink::Sink(media::Writer& writer, events::Emitter& events, bool live, cli::Progress progress)
    : writer_(writer), events_(events), live_(live), progress_(progress) {
  const media::VideoParams& v = *writer.info().video;
  frame_step_ = media::to_micros(1, av_inv_q(v.frame_rate));
  if (!live_) return;
  ring_capacity_ = static_cast<std::size_t>(std::max<std::int64_t>(2, kLiveRing / frame_step_));
  writer_thread_ = std::thread([this] { run_writer(); });
}

Sink::~Sink() { stop_writer(false); }

void Sink::put(SourceFrame unit) {
  if (unit.kind == media::Kind::video) return put_video(unit);
  const int samples = unit.frame->nb_samples;
  if (hand_on(unit)) return;
  std::lock_guard lock(mutex_);
  counters_.audio_samples_dropped += samples;
}

void Sink::put_video(SourceFrame& unit) {
  {
    std::lock_guard lock(mutex_);
    ++counters_.frames_in;
  }
  if (!first_pts_) first_pts_ = unit.pts;
  last_pts_ = unit.pts;
  const std::int64_t pts = unit.pts;
  if (!unit.frame) return drop(pts, "late");
  if (!hand_on(unit)) return drop(pts, "consumer-behind");
  if (live_) return;  // no progress drawn: a live source has no end to show
  progress_.update(counters_.frames_out,
                   media::to_micros(*last_pts_ - *first_pts_, writer_.info().video->time_base));
}

bool Sink::hand_on(SourceFrame& unit) {
  if (!live_) {
    write(unit);
    return true;
  }
  std::lock_guard lock(mutex_);
  if (write_error_) std::rethrow_exception(write_error_);
  if (ring_video_ >= ring_capacity_) return false;  // audio too: it would only grow the lag
  ring_video_ += unit.kind == media::Kind::video;
  ring_.push_back(std::move(unit));
  changed_.notify_one();
  return true;
}

void Sink::write(SourceFrame& unit) {
  if (unit.kind == media::Kind::video)
    writer_.write_video(*unit.frame);
  else
    writer_.write_audio_frame(*unit.frame);
  std::lock_guard lock(mutex_);
  if (unit.kind == media::Kind::video)
    ++counters_.frames_out;
  else
    counters_.audio_samples += unit.frame->nb_samples;
  bytes_ = writer_.bytes_written();
}

// The writer thread: blocks in the pipe's write as long as the consumer takes, so the
// source's thread never does.
void Sink::run_writer() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [this] { return !ring_.empty() || closing_; });
    if (ring_.empty() || abandon_) return;
    SourceFrame unit = std::move(ring_.front());
    ring_.pop_front();
    lock.unlock();
    try {
      write(unit);
    } catch (...) {
      lock.lock();
      write_error_ = std::current_exception();
      return;
    }
    lock.lock();
    ring_video_ -= unit.kind == media::Kind::video;
  }
}

void Sink::stop_writer(bool drain) {
  if (!writer_thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    abandon_ = !drain;
  }
  changed_.notify_one();
  writer_thread_.join();
}

void Sink::drop(std::int64_t pts, const char* reason) {
  std::int64_t dropped = 0;
  {
    std::lock_guard lock(mutex_);
    dropped = ++counters_.frames_dropped;
  }
  if (dropped == 1) spdlog::warn("the consumer is behind: dropping frames at the source ({})", reason);
  const media::VideoParams& v = *writer_.info().video;
  events_.emit("drop", {{"reason", reason}, {"frames_dropped", dropped}}, pts,
               events::TimeBase{v.time_base.num, v.time_base.den});
}

void Sink::finish() {
  stop_writer(true);
  if (write_error_) std::rethrow_exception(write_error_);
  progress_.done();
  if (stop_requested()) spdlog::info("stopping on signal {}; closing the stream", stop_signal());
  if (counters_.frames_dropped > 0)
    spdlog::warn("dropped {} of {} frames because the consumer was behind", counters_.frames_dropped,
                 counters_.frames_in);
  writer_.finish();
}

nlohmann::json Sink::stats(const std::string& source) const {
  const media::VideoParams& v = *writer_.info().video;
  double duration = 0;
  if (first_pts_)
    duration =
        std::chrono::duration<double>(media::to_micros(*last_pts_ - *first_pts_, v.time_base) + frame_step_)
            .count();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  std::lock_guard lock(mutex_);
  // While the writer thread runs (stats taken on an error), its count is the one to read.
  const std::int64_t bytes = writer_thread_.joinable() ? bytes_ : writer_.bytes_written();
  return {{"source", source},
          {"frames_in", counters_.frames_in},
          {"frames_out", counters_.frames_out},
          {"frames_dropped", counters_.frames_dropped},
          {"audio_samples", counters_.audio_samples},
          {"audio_samples_dropped", counters_.audio_samples_dropped},
          {"duration_s", duration},
          {"wall_s", wall},
          {"bytes", bytes},
          // Memory touched afresh (getrusage): ~0 a frame in steady state (doc/architecture.md).
          {"minor_faults", media::minor_faults()}};
}

}  // namespace surg::capture
