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
// Look-ahead (doc/privacy.md, "No frame leaves until every region of it has been searched"):
// frames wait up to `lookahead` for later detections, and covered(t) is asked once the
// detections up to t + lookahead are known. A track seen both before and after t covers the
// union of those two sightings (the straight path between them: a detector miss is bridged
// both ways); a face first found after t is drawn back along its motion (the velocity of its
// first sightings) to where it was at t, the area between grown by kBackGrowthPerSecond x its
// size x the time back (the region it must have come through when its motion is unknown).
// When the frame edge nearest it is within reach of it (kEntrySpeed x the time back), it may
// have been on its way in from that edge, so the strip between the face and that edge is
// covered too: a face that slid in and stopped before the detector reached it shows no motion
// to draw it back along (tests/eval/face_entry.sh: a 28 px face found at rest 10 frames after
// it stopped, one frame covered 89% instead of the 90% the evaluation asks).
// Detections are matched to tracks greedily by IoU with the predicted or the last box.
// Growth and the default pad were set on the face evaluation (tests/eval/faces.sh, 880 faces,
// recall against the background filled): growth 1.0/s filled a fifth more background than
// 0.5/s for about one point of recall on stills, where growth only pads; --pad does that job.
#include <cstdint>
#include <optional>
#include <vector>

#include <opencv2/core.hpp>

#include "surg/core/units.hpp"
#include "surg/detect/detector.hpp"

namespace surg::anonymize {

inline constexpr float kMatchIou = 0.1f;
inline constexpr float kGrowthPerSecond = 0.5f;
inline constexpr float kMaxGrowth = 0.5f;
// Backward growth is faster: a face found at t + k was anywhere it could reach in k, and an
// entering face moves (measured on tests/eval/face_entry.sh slides of up to 1.5 box sizes/s).
inline constexpr float kBackGrowthPerSecond = 1.5f;
inline constexpr float kMaxBackGrowth = 1.5f;
// A backward extrapolation by velocity moves the box at most this many box sizes.
inline constexpr float kMaxBackMove = 4.0f;
// How fast a face may come into view, in frame heights a second (the evaluation's fastest
// entry is 960 px/s in a 720 px frame, 1.33).
inline constexpr float kEntrySpeed = 1.5f;

struct Covered {
  cv::Rect rect;      // frame pixels, padded, clipped to the frame
  float score = 0;    // score of the last detection
  bool held = false;  // not detected on this frame: held or predicted
  Micros age{0};      // time since its last detection
};

// Boxes overlapping by at least half of the smaller one become their union, so pixels are
// blurred once (a union is a larger box, so its blur is coarser, never weaker). The result
// keeps the lowest score and is "held" when any part was.
std::vector<Covered> merge_overlapping(std::vector<Covered> boxes);

class FaceTracker {
 public:
  FaceTracker(Micros hold, float pad, Micros memory = Micros(0));
  void set_hold(Micros hold, Micros memory) { hold_ = hold, memory_ = memory; }
  // How far ahead of a covered() time updates may already have been made (0: none).
  void set_lookahead(Micros lookahead) { lookahead_ = lookahead; }

  // A detection pass ran on the frame at time t and found these boxes (frame pixels).
  void update(Micros t, const std::vector<detect::Box>& detections);
  // What to cover on the frame at time t (t >= the last update's time - lookahead).
  std::vector<Covered> covered(Micros t, cv::Size frame) const;
  std::size_t tracks() const { return tracks_.size(); }

 private:
  struct Sighting {
    Micros t;
    cv::Rect2f box;
    cv::Point2f velocity{0, 0};  // pixels per second, from the sighting before (0 for the first)
    float score = 0;
  };
  struct Track {
    // Detections within memory + hold + lookahead of the last one, in time order, never empty.
    std::vector<Sighting> recent;
    const cv::Rect2f& box() const { return recent.back().box; }  // the last detection
    Micros seen() const { return recent.back().t; }
  };
  static cv::Rect2f predict(const Sighting& s, Micros t);
  std::optional<Covered> cover(const Track& track, Micros t, cv::Size frame) const;
  cv::Rect2f back_area(const Track& track, std::size_t first_after, Micros t, cv::Size frame) const;
  cv::Rect pad_box(const cv::Rect2f& box, cv::Size2f extra, cv::Size frame) const;
  void match(Micros t, const detect::Box& detection, std::vector<bool>& taken);

  Micros hold_;
  Micros memory_;
  Micros lookahead_{0};
  float pad_;
  Micros last_update_{-1};
  std::vector<Track> tracks_;
};

}  // namespace surg::anonymize
