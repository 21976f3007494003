#pragma once
// Face boxes between detections (DESIGN.md: "a missed frame does not unblur").
//
// Each face is a track: its last detected box, the one before, and the velocity of the box
// centre between them (constant-velocity model). For a frame at time t the track covers the
// UNION of the last detected box and the box predicted at t (last box moved by velocity x
// elapsed time, the move capped at one box size), so a wrong prediction still leaves the
// last known place covered. A track lives for `hold` after its last detection, then ends.
// A held box also grows on each side by kGrowthPerSecond x its size x the time since its last
// detection (at most kMaxGrowth x its size): motion the detector has not seen yet, e.g. a
// face found once by a tile that the schedule revisits only a cycle later.
// Covered boxes are grown by `pad` x their size on each side and by pad + kChinExtra x the
// height downward (detector boxes stop at the mouth; what must be hidden includes the chin).
// Detections are matched to tracks greedily by IoU with the predicted box.
#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

#include "surg/core/units.hpp"
#include "surg/detect/detector.hpp"

namespace surg::anonymize {

inline constexpr float kChinExtra = 0.2f;
inline constexpr float kMatchIou = 0.1f;
inline constexpr float kGrowthPerSecond = 1.0f;
inline constexpr float kMaxGrowth = 1.0f;

struct Covered {
  cv::Rect rect;     // frame pixels, padded, clipped to the frame
  float score = 0;   // score of the last detection
  bool held = false; // not detected on this frame: held or predicted
  Micros age{0};     // time since its last detection
};

// Boxes overlapping by at least half of the smaller one become their union, so pixels are
// blurred once (a union is a larger box, so its blur is coarser, never weaker). The result
// keeps the lowest score and is "held" when any part was.
std::vector<Covered> merge_overlapping(std::vector<Covered> boxes);

class FaceTracker {
 public:
  FaceTracker(Micros hold, float pad);
  void set_hold(Micros hold) { hold_ = hold; }

  // A detection pass ran on the frame at time t and found these boxes (frame pixels).
  void update(Micros t, const std::vector<detect::Box>& detections);
  // What to cover on the frame at time t (t >= the last update's time).
  std::vector<Covered> covered(Micros t, cv::Size frame) const;
  std::size_t tracks() const { return tracks_.size(); }

 private:
  struct Track {
    cv::Rect2f box;
    Micros seen{0};
    cv::Point2f velocity{0, 0};  // pixels per second
    float score = 0;
  };
  cv::Rect2f predict(const Track& track, Micros t) const;
  cv::Rect pad_box(const cv::Rect2f& box, cv::Size2f extra, cv::Size frame) const;
  void match(Micros t, const detect::Box& detection, std::vector<bool>& taken);

  Micros hold_;
  float pad_;
  Micros last_update_{-1};
  std::vector<Track> tracks_;
};

}  // namespace surg::anonymize
