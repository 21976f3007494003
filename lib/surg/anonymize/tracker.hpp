#pragma once
// Face boxes between detections (doc/privacy.md: "a missed frame never unblurs").
//
// Each face is a track: its detections of the last `memory` (the detector's cycle), and the
// velocity of the box centre between its last two detections (constant-velocity model). For
// a frame at time t the track covers the UNION of its detections within `memory` and the
// last box moved by velocity x elapsed time (the move capped at one box size). The union
// matters because the tile schedule sees a face at several scales during a cycle, and a
// finer tile may return only part of a large face: the last box alone would shrink to that
// part until the coarse pass came round again (measured: recall of faces > 64 px 0.957 with
// the last box, 1.000 with the union). A track lives for `hold` after its last detection.
// A held box also grows on each side by kGrowthPerSecond x its size x the time since its last
// detection (at most kMaxGrowth x its size): motion the detector has not seen yet, e.g. a
// face found once by a tile that the schedule revisits only a cycle later.
// Covered boxes are grown by `pad` x their size on each side (detector boxes already reach
// below the chin, detect/detector.hpp).
// Detections are matched to tracks greedily by IoU with the predicted or the last box.
// Growth and the default pad were set on the face evaluation (tests/eval/faces.sh, 880 faces,
// recall against the background filled): growth 1.0/s filled a fifth more background than
// 0.5/s for about one point of recall on stills, where growth only pads; --pad does that job.
#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

#include "surg/core/units.hpp"
#include "surg/detect/detector.hpp"

namespace surg::anonymize {

inline constexpr float kMatchIou = 0.1f;
inline constexpr float kGrowthPerSecond = 0.5f;
inline constexpr float kMaxGrowth = 0.5f;

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
  FaceTracker(Micros hold, float pad, Micros memory = Micros(0));
  void set_hold(Micros hold, Micros memory) { hold_ = hold, memory_ = memory; }

  // A detection pass ran on the frame at time t and found these boxes (frame pixels).
  void update(Micros t, const std::vector<detect::Box>& detections);
  // What to cover on the frame at time t (t >= the last update's time).
  std::vector<Covered> covered(Micros t, cv::Size frame) const;
  std::size_t tracks() const { return tracks_.size(); }

 private:
  struct Sighting {
    Micros t;
    cv::Rect2f box;
  };
  struct Track {
    std::vector<Sighting> recent;  // detections within `memory` of the last one, never empty
    cv::Point2f velocity{0, 0};    // pixels per second
    float score = 0;               // of the last detection
    const cv::Rect2f& box() const { return recent.back().box; }  // the last detection
    Micros seen() const { return recent.back().t; }
  };
  cv::Rect2f predict(const Track& track, Micros t) const;
  cv::Rect pad_box(const cv::Rect2f& box, cv::Size2f extra, cv::Size frame) const;
  void match(Micros t, const detect::Box& detection, std::vector<bool>& taken);

  Micros hold_;
  Micros memory_;
  float pad_;
  Micros last_update_{-1};
  std::vector<Track> tracks_;
};

}  // namespace surg::anonymize
