#pragma once
// Is an endoscope frame inside the patient? A rule on a few cheap, explainable features of a
// 96x72 copy of the frame (~1-2 ms at 1080p), for surg-anonymize --oob: when a scope is pulled
// out, the camera sees the operating room, staff and the patient's outside; those frames must
// not go out. The rule is asymmetric on purpose: a frame counts as in-body only when EVERY
// criterion holds, so anything unusual (a fade, a white-balance card, a coffee cup) is blanked.
//
// Features (all on the 96x72 copy; "black" = HSV value < 25, "content" = value >= 40):
//  - corner_black: fraction of the four corner patches (each 1/8 x 1/8 of the frame) that are
//    black. Endoscopes image a circle (or an octagon) on a black sensor area, and towers add
//    black side bars: the corners are black in every in-body frame. Photos and OR cameras have
//    content in the corners. (An OSD printed in a corner costs a few percent.)
//  - content: fraction of the frame that is content. Rejects fades, black and near-black frames.
//  - warm: fraction of content with a red-orange-yellow hue (H <= 25 or >= 160 of 180) and
//    saturation >= 50: mucosa, blood and fat under the scope's light.
//  - redness: mean Lab a* (green-red axis, 0 neutral) over content: tissue is red, fat and bile
//    yellow-orange but still > 0; skin and wood are warm yet much less red on average.
//  - cool: fraction of content with blue/green hue (H 35..130) and saturation >= 40: gowns,
//    drapes, caps and OR walls. A few percent in the body (an OSD, a green picture-in-picture).
//  - grey: fraction of content with saturation < 40: lights, walls, steel, white gauze.
//    Instruments in the body reach ~20%.
// Thresholds: set between the in-body minimum and the out-of-body maximum measured on
// ../shared/data/oob-dev-index (CVC-ClinicDB, Kvasir, HyperKvasir, EndoVis vs MVOR, photos,
// an animated film), rounded, and placed nearer the out-of-body side only where the in-body
// data left a wide margin; they are constants below, not fitted per image. The endoscope in
// a training box (no tissue colour) is classified out of body: a phantom is not a patient,
// and blanking a training session costs nothing.
// Limitation: a scope whose image fills the whole frame (no black corners) is always out of
// body by this rule; such a tower needs the corners-black criterion relaxed (not offered yet).
#include <opencv2/core.hpp>

namespace surg::detect {

struct BodyFeatures {
  float corner_black = 0;
  float content = 0;
  float warm = 0;
  float redness = 0;
  float cool = 0;
  float grey = 0;
};

struct BodyThresholds {
  float min_corner_black = 0.85f;  // in-body min 0.95 (HyperKvasir OSD), photos <= 0.8 mostly
  float min_content = 0.35f;       // in-body min 0.49
  float min_warm = 0.7f;           // in-body min 0.79 (EndoVis, instruments)
  float min_redness = 4.0f;        // in-body min 6.2
  float max_cool = 0.2f;           // in-body max 0.12 (HyperKvasir's green ScopeGuide box)
  float max_grey = 0.3f;           // in-body max 0.18 (EndoVis instruments)
};

class BodyClassifier {
 public:
  explicit BodyClassifier(BodyThresholds thresholds = {}) : t_(thresholds) {}
  BodyFeatures features(const cv::Mat& bgr);
  // 0..1; >= 0.5 means in body. The score of the weakest criterion: each maps its margin to
  // the threshold onto 0.5 +- 0.5, so the score says how close the frame came to flipping.
  float in_body_score(const cv::Mat& bgr);
  bool in_body(const cv::Mat& bgr) { return in_body_score(bgr) >= 0.5f; }
  float score(const BodyFeatures& f) const;

 private:
  BodyThresholds t_;
  cv::Mat coarse_, small_, hsv_, lab_;  // reused between frames
};

}  // namespace surg::detect
