#include "surg/capture/sink.hpp"

#include <spdlog/spdlog.h>

#include "surg/core/signals.hpp"
#include "surg/media/pool.hpp"

extern "C" {
#include <libavutil/imgutils.h>
}

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
  frame_bytes_ = static_cast<std::size_t>(av_image_get_buffer_size(v.format, v.width, v.height, 1));
}

void Sink::put(SourceFrame unit) {
  if (unit.kind == media::Kind::video)
    put_video(unit);
  else
    put_audio(unit);
}

void Sink::put_video(SourceFrame& unit) {
  ++counters_.frames_in;
  if (!first_pts_) first_pts_ = unit.pts;
  last_pts_ = unit.pts;
  if (!unit.frame) return drop(unit.pts, "late");
  if (live_ && !has_room(frame_bytes_, frame_step_)) return drop(unit.pts, "consumer-behind");
  writer_.write_video(*unit.frame);
  ++counters_.frames_out;
  progress_.update(counters_.frames_out,
                   media::to_micros(*last_pts_ - *first_pts_, writer_.info().video->time_base));
}

void Sink::put_audio(SourceFrame& unit) {
  const int samples = unit.frame->nb_samples;
  if (live_ && !has_room(static_cast<std::size_t>(samples) * 4, Micros(0))) {
    counters_.audio_samples_dropped += samples;
    return;
  }
  writer_.write_audio_frame(*unit.frame);
  counters_.audio_samples += samples;
}

bool Sink::has_room(std::size_t bytes, Micros timeout) { return writer_.wait_writable(bytes, timeout); }

void Sink::drop(std::int64_t pts, const char* reason) {
  if (counters_.frames_dropped++ == 0)
    spdlog::warn("the consumer is behind: dropping frames at the source ({})", reason);
  const media::VideoParams& v = *writer_.info().video;
  events_.emit("drop", {{"reason", reason}, {"frames_dropped", counters_.frames_dropped}}, pts,
               events::TimeBase{v.time_base.num, v.time_base.den});
}

void Sink::finish() {
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
  return {{"source", source},
          {"frames_in", counters_.frames_in},
          {"frames_out", counters_.frames_out},
          {"frames_dropped", counters_.frames_dropped},
          {"audio_samples", counters_.audio_samples},
          {"audio_samples_dropped", counters_.audio_samples_dropped},
          {"duration_s", duration},
          {"wall_s", wall},
          {"bytes", writer_.bytes_written()},
          // Memory touched afresh (getrusage): ~0 a frame in steady state (doc/architecture.md).
          {"minor_faults", media::minor_faults()}};
}

}  // namespace surg::capture
