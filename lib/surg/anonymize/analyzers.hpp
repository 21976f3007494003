#pragma once
// Everything anonymize needs from lib/surg/detect, in one place: the face detector (by name,
// with its tile schedule for video) and the out-of-body classifier, run on one downscaled BGR
// copy of the frame. The copy's short side is at most kAnalysisShortSide: the detector's tiles
// are fractions of the short side, each scaled to the model input, so a face reaches the
// model at the same size whatever the copy's resolution (a 20 px face at 1080p is 10 px
// here, in a quarter tile of 135 px scaled to 128: 9.5 px, as from the full frame). Full
// resolution would only cost conversion time.
#include <cstdint>
#include <memory>
#include <string>

#include <opencv2/core.hpp>

#include "surg/anonymize/options.hpp"
#include "surg/anonymize/worker.hpp"

struct AVFrame;
struct SwsContext;

namespace surg::detect {
class Detector;
class YuNetModel;
}  // namespace surg::detect

namespace surg::anonymize {

inline constexpr int kAnalysisShortSide = 540;
// Faces in a frame the out-of-body classifier calls in body must score at least this. At the
// default --score 0.3 BlazeFace finds "faces" in tissue: 18 a frame on the EndoVis clip,
// 6 on CVC-ClinicDB, 10 on Kvasir, scoring up to 0.67 (0.9 once in 400); each would be a
// blurred patch of the surgical field. A face that really is in such a frame got there by a
// classifier error and is seen close up (most score > 0.9); raising --score everywhere
// instead would lose masked faces in the room (recall >= 32 px 0.97 -> 0.87 at 0.7).
inline constexpr float kInBodyFaceScore = 0.75f;
// And YuNet must see it too (detect/yunet.hpp second_opinion, at least this score). On the
// development stills (doc/testing.md): the in-body false faces BlazeFace scores above 0.75
// (colonoscopy folds, an EndoVis instrument) get 0, 0.18 and 0.34 from YuNet; the 498 real
// faces it scores there get at least 0.54.
inline constexpr float kInBodySecondOpinion = 0.45f;

// The frame index that asks analyze() for every tile at once (end of input, look-ahead).
inline constexpr std::int64_t kSearchWhole = -1;

class BodyCheck;  // body.hpp

class Analyzers {
 public:
  // Builds what the plan asks for. Throws UsageError for an unknown detector name and
  // RuntimeError when a detector cannot be built (a missing model file).
  // `detector`, when given, is the face detector instead of the one plan.detector names
  // (tests inject one to drive every slate reason in process).
  Analyzers(const Plan& plan, cv::Size frame, double frame_rate,
            std::unique_ptr<detect::Detector> detector = nullptr);
  ~Analyzers();

  cv::Size analysis_size() const { return size_; }
  // Frames the face detector needs to look at the whole frame once (its tile schedule).
  int full_cycle() const { return cycle_; }
  std::string face_detector() const;
  // Hash of the face detector's model files (detect/pinned.hpp), "none" without model files.
  const std::string& model_hash() const { return model_hash_; }
  // Runs on the worker thread. The tile schedule advances over searched frames only (not over
  // out-of-body ones), so any full_cycle() consecutive search_seq values saw every tile.
  // frame_index kSearchWhole: every tile, now.
  Analysis analyze(const cv::Mat& bgr, std::int64_t frame_index);
  // Offline, the first in-body frame is searched with every tile (so it need not wait for a
  // cycle), unless the caller's look-ahead holds a whole cycle anyway. Before the first frame.
  void set_whole_first(bool on) { whole_first_ = on; }

 private:
  cv::Size size_;
  int cycle_ = 1;
  std::unique_ptr<detect::Detector> faces_;
  std::unique_ptr<BodyCheck> body_;
  std::unique_ptr<detect::YuNetModel> second_opinion_;  // in-body faces only
  float in_body_score_;
  std::string model_hash_ = "none";
  bool whole_first_ = false;   // offline: the first in-body frame is searched with every tile
  std::int64_t searched_ = 0;  // in-body frames searched so far (the tile schedule's index)
};

// The downscaled BGR copy of a frame that the analysers look at (libswscale, cached context).
class AnalysisImage {
 public:
  explicit AnalysisImage(cv::Size size) : size_(size) {}
  ~AnalysisImage();
  cv::Mat convert(const AVFrame& frame);  // a new Mat each call: the worker may still hold the last

 private:
  cv::Size size_;
  SwsContext* sws_ = nullptr;
};

cv::Size analysis_size(cv::Size frame);

}  // namespace surg::anonymize
