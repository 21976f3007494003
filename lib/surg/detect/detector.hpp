#pragma once
// Detectors register by name (--list-detectors) and are built from a DetectorConfig.
// Face detectors return boxes in frame pixels; the caller (anonymize) holds, pads and
// tracks them. Any exception from detect() makes the caller fail closed (privacy slate).
// Boxes of "blazeface" and "haar" already reach below the chin (+20% of the height,
// faces.hpp kChinExtension: face labels and surgical masks go lower than the models' boxes);
// callers add only their own padding. Boxes cut by an inner tile edge are dropped (the
// overlapping tile sees the face whole), so a box is a whole face, never a slice of one.
//
// Two ways to call a detector:
//  - detect(bgr): every tile / scale of the frame, now. For stills and offline jobs.
//  - detect_tiles(bgr, frame_index): video. The work of one full pass is split into
//    full_cycle(size) parts; each call runs only the part scheduled for frame_index
//    (frame_index % full_cycle) and returns the boxes found there. Consecutive indices
//    0..full_cycle-1 together cover exactly what detect() covers. A box found on frame n
//    is therefore only re-confirmed around frame n + full_cycle: the caller must hold each
//    box for at least full_cycle frames (plus its own --hold) or faces would flicker.
//    Detectors without a schedule return full_cycle 1 and detect_tiles == detect.
//    Work of "blazeface": 90 front-128 inferences a second of video, spread over its frames
//    (faces.hpp kTilesPerSecond: 3 a frame at 30 fps), whatever the frame size; full_cycle
//    grows with the frame's aspect (at 30 fps 30 frames for 16:9, 21 for 4:3, 14 for 1:1;
//    twice as many at 60 fps), and the coarse tiles recur within it (tiles.hpp), so a
//    large face is found within about 8 frames at 30 fps. A Detector is not thread-safe:
//    call it from one thread (the anonymize worker).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace surg::detect {

struct Box {
  cv::Rect2f rect;  // frame pixels
  float score = 0;  // 0..1
};

struct DetectorConfig {
  std::string model_dir;  // empty: find_model_dir()
  float score_threshold = 0.3f;
  std::string script;  // "scripted" detector: its script file
  // OpenCV worker threads (cv::setNumThreads, process-wide) set when a DNN detector is built.
  // 1 (default): the stage is budgeted on one core and the rest of the chain (capture, x264)
  // runs on the other; OpenCV's pool would only steal that core. 0: leave OpenCV's default.
  int threads = 1;
  // Frames per second of the video detect_tiles() will see (0: unknown, taken as 30). The
  // tile schedule spreads a fixed amount of work a second over the frames (faces.hpp).
  double frame_rate = 0;
};

class Detector {
 public:
  virtual ~Detector() = default;
  virtual std::string name() const = 0;
  // Faces in one BGR frame. Throws surg::RuntimeError (or anything) on failure.
  virtual std::vector<Box> detect(const cv::Mat& bgr) = 0;
  // Video: the part of the work scheduled for frame_index (see the top of this file).
  virtual std::vector<Box> detect_tiles(const cv::Mat& bgr, std::int64_t frame_index) {
    (void)frame_index;
    return detect(bgr);
  }
  // The files its model is made of, in a fixed order (surg.chain records their hash,
  // pinned.hpp); empty for detectors without one (the test detectors).
  virtual std::vector<std::string> model_files() const { return {}; }
  // Frames needed by detect_tiles to cover a frame of this size once (>= 1).
  virtual int full_cycle(cv::Size frame) const {
    (void)frame;
    return 1;
  }
};

struct DetectorInfo {
  std::string name;
  std::string description;  // one line, shown by --list-detectors
  std::function<std::unique_ptr<Detector>(const DetectorConfig&)> make;
};

// Registry by name. make_detector throws UsageError for an unknown name and RuntimeError
// (naming the file) when a model is missing or unreadable.
const std::vector<DetectorInfo>& detectors();
std::unique_ptr<Detector> make_detector(const std::string& name, const DetectorConfig& config);

// $SURG_MODEL_DIR when set (taken as given, so a wrong value fails naming it), else the first
// existing of <executable dir>/../share/surg/models, <executable dir>/models,
// SURG_DATA_DIR/models (or that last candidate when none exists).
std::string find_model_dir();

}  // namespace surg::detect
