#pragma once
// Look-ahead release (doc/privacy.md: "No frame leaves until every region of it has been
// searched"). The face detector searches a frame's regions over a cycle of frames (its tile
// schedule, detect/detector.hpp), so a face coming into view is found up to a cycle after it
// appeared. Frames therefore wait here, analysed but not yet covered, until the detector has
// run every part of its cycle on frames of their window (the frame and the `frames` after
// it); the faces found meanwhile are applied back to them when they leave (tracker.hpp).
// A clean frame whose window did not see a whole cycle (analysis late or failed in it) leaves
// as the slate ("detector-warmup": not searched whole), so the guarantee fails closed.
//
// The newest frame's analysis runs on the worker while the main thread releases older frames
// and reads the next one; it is settled when the next frame joins. A frame therefore leaves one
// frame later than its window needs (the added latency counts it).
//
// Memory: a waiting frame is a new reference to the buffer it was read into (no copy); the
// reader's pool (media/pool.hpp) grows to the window, 45 x 3 MB for 1.5 s of 1080p yuv420p.
#include <cstdint>
#include <deque>
#include <optional>

#include "surg/anonymize/anonymizer.hpp"
#include "surg/core/units.hpp"
#include "surg/media/av.hpp"

namespace surg::anonymize {

// The frames' budget of --max-lag when frames wait `frames` for the look-ahead.
struct LookAheadPlan {
  int frames = 0;         // later frames a frame waits for (0: none, leaves when analysed)
  Micros added{0};        // the latency that adds: frames + 1 (the newest's analysis) intervals
  Micros analysis{0};     // what is left of --max-lag for a frame's own analysis (live)
  bool complete = false;  // the window holds a whole detector cycle: nothing leaks on entry
};

// Analysis keeps at least kAnalysisSlack of --max-lag (the former default); the look-ahead
// gets the rest, up to one detector cycle. --max-lag 0: no look-ahead, kAnalysisSlack for
// the analysis (the behaviour before the look-ahead: a face entering the view can leave
// uncovered until the detector's schedule reaches it).
inline constexpr Micros kAnalysisSlack{500000};
LookAheadPlan plan_lookahead(Micros max_lag, int cycle, Micros interval);

struct Pending {
  media::FramePtr frame;
  std::int64_t index = 0;
  Micros t{0};
  FrameResult result;
};

class LookAhead {
 public:
  // cycle: the detector's full cycle, or 0 when windows are not checked (no face search, or a
  // look-ahead shorter than a cycle).
  LookAhead(int frames, int cycle) : frames_(frames), cycle_(cycle) {}
  // An admitted frame joins: the frame before it is settled (its analysis waited for), then
  // this one's analysis starts on the worker.
  void push(Anonymizer& anonymizer, Pending p);
  // End of input: the newest frame settled, so that pop(true, ...) can empty the window.
  void settle_last(Anonymizer& anonymizer);
  // The oldest frame when its window of settled frames is full (or `flush`, at the end of
  // input, after settle_last); a clean frame whose window did not see a whole cycle becomes
  // the slate (unless `searched` says the rest of the cycle was run at the end of input).
  std::optional<Pending> pop(bool flush = false, bool searched = false);
  bool empty() const { return queue_.empty(); }
  Micros last_t() const { return queue_.empty() ? Micros(0) : queue_.back().t; }
  // Does the window of the oldest frame (the whole queue) hold a whole detector cycle?
  bool window_complete() const;

 private:
  int frames_;
  int cycle_;
  std::deque<Pending> queue_;
  bool newest_settled_ = true;
};

}  // namespace surg::anonymize
