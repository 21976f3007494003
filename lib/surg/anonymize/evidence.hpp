#pragma once
// What the tool did, for the people who must trust it: a log line when a slate episode starts
// (a warning when it is a failure, once per episode, not per frame) and when it ends; the
// --events lines (one "frame" object per video frame, "slate" objects at episode edges);
// the totals behind --stats and --report; the --review contact sheet.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "surg/anonymize/anonymizer.hpp"
#include "surg/anonymize/lag.hpp"
#include "surg/anonymize/review.hpp"
#include "surg/events/events.hpp"

struct AVFrame;

namespace surg::anonymize {

struct Totals {
  std::int64_t frames_in = 0, frames_out = 0;
  std::map<std::string, std::int64_t> slate;  // slate frames by reason
  std::int64_t detections = 0;                // boxes returned by the detector
  std::int64_t frames_with_faces = 0;         // frames with at least one face covered
  std::int64_t boxes_covered = 0;             // covered boxes summed over frames
  std::int64_t oob_entries = 0;               // in-body -> out-of-body transitions
  std::int64_t audio_packets = 0, audio_muted = 0, marks = 0;
  LagHistogram lag;          // live: how far behind the stream frames left
  int lookahead_frames = 0;  // frames a frame waits for the detector's cycle
  Micros lookahead{0};       // the latency that adds
  nlohmann::json json() const;
};

class Evidence {
 public:
  Evidence(events::Emitter& events, events::TimeBase tb, bool review);
  // One processed video frame (already redacted) with its stream pts.
  void frame(const FrameResult& r, std::int64_t index, std::int64_t pts, Micros t, const AVFrame& out);
  void finish();  // closes an open episode
  Totals& totals() { return totals_; }
  const ReviewSheet& review() const { return review_; }

 private:
  void episode(SlateReason reason, std::int64_t pts, const std::string& error);
  nlohmann::json frame_event(const FrameResult& r, std::int64_t index) const;

  events::Emitter& events_;
  events::TimeBase tb_;
  bool review_on_;
  ReviewSheet review_;
  Totals totals_;
  SlateReason current_ = SlateReason::none;
  std::int64_t episode_frames_ = 0;
  std::optional<bool> last_oob_;
};

}  // namespace surg::anonymize
