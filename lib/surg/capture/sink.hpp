#pragma once
// Where captured frames go: the surg stream Writer, with the live-source rule in front of
// it — a live source never waits on a slow consumer for longer than a frame; it drops the
// frame at the source, counts it and reports it (--events, --stats).
#include <chrono>
#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "surg/capture/source.hpp"
#include "surg/cli/progress.hpp"
#include "surg/events/events.hpp"
#include "surg/media/stream.hpp"

namespace surg::capture {

// The stream a source produces, tagged with surg.chain (nothing from the source passes).
media::StreamInfo stream_info(const Source& source, const std::string& tool);

struct Counters {
  std::int64_t frames_in = 0;       // video frames the source produced (or missed)
  std::int64_t frames_out = 0;      // written
  std::int64_t frames_dropped = 0;  // dropped at the source
  std::int64_t audio_samples = 0;   // written, per channel
  std::int64_t audio_samples_dropped = 0;
};

class Sink {
 public:
  // `live` turns dropping on. `progress` is drawn per frame (disabled by default).
  Sink(media::Writer& writer, events::Emitter& events, bool live, cli::Progress progress = {});
  void put(SourceFrame unit);
  // Logs why the capture ended and what was dropped, then writes the trailer.
  // Throws DownstreamClosed when the consumer has gone.
  void finish();
  const Counters& counters() const { return counters_; }
  nlohmann::json stats(const std::string& source) const;

 private:
  void put_video(SourceFrame& unit);
  void put_audio(SourceFrame& unit);
  bool has_room(std::size_t bytes, Micros timeout);
  void drop(std::int64_t pts, const char* reason);

  media::Writer& writer_;
  events::Emitter& events_;
  bool live_;
  Micros frame_step_;
  std::size_t frame_bytes_;
  Counters counters_;
  cli::Progress progress_;
  std::optional<std::int64_t> first_pts_, last_pts_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace surg::capture
