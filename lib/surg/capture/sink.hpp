#pragma once
// Where captured frames go: the surg stream Writer, with the live-source rule in front of
// it. A live source never waits on its consumer: like a camera's ring of buffers, it hands
// frames to a writer thread through a ring holding kLiveRing of video, and drops a frame at
// the source only when the ring is full (the consumer is behind by that much), counting and
// reporting it (--events, --stats). A consumer's pause shorter than the ring (an encoder
// starting, a disk flush, a scheduling hiccup) costs no frame (doc/stream.md).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>

#include "surg/capture/source.hpp"
#include "surg/cli/progress.hpp"
#include "surg/events/events.hpp"
#include "surg/media/stream.hpp"

namespace surg::capture {

// How much video a live source holds for a consumer that pauses.
inline constexpr Micros kLiveRing{500000};

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
  // `live` turns the ring and dropping on. `progress` is drawn per frame (disabled by default).
  Sink(media::Writer& writer, events::Emitter& events, bool live, cli::Progress progress = {});
  ~Sink();  // without finish() (an error): the ring is abandoned, the writer thread ends
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;
  // Throws what writing failed with (DownstreamClosed when the consumer has gone).
  void put(SourceFrame unit);
  // Writes what the ring holds, logs why the capture ended and what was dropped, then
  // writes the trailer. Throws DownstreamClosed when the consumer has gone.
  void finish();
  nlohmann::json stats(const std::string& source) const;

 private:
  void put_video(SourceFrame& unit);
  bool hand_on(SourceFrame& unit);  // into the ring (live) or written; false when the ring is full
  void write(SourceFrame& unit);
  void run_writer();
  void stop_writer(bool drain);
  void drop(std::int64_t pts, const char* reason);

  media::Writer& writer_;
  events::Emitter& events_;
  bool live_;
  Micros frame_step_;
  cli::Progress progress_;
  std::optional<std::int64_t> first_pts_, last_pts_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();

  // Shared with the writer thread (live only).
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  Counters counters_;
  std::int64_t bytes_ = 0;  // written, as the writer thread last saw it
  std::deque<SourceFrame> ring_;
  std::size_t ring_video_ = 0, ring_capacity_ = 0;
  bool closing_ = false, abandon_ = false;
  std::exception_ptr write_error_;
  std::thread writer_thread_;
};

}  // namespace surg::capture
