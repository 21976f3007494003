#pragma once
// Is an endoscope frame inside the patient? For surg-anonymize --oob: when a scope is pulled
// out, the camera sees the trocar, drapes, the operating room, staff and the patient's
// outside; those frames must not go out (doc/privacy.md).
//
// A learned classifier (detect/oob_model.hpp): 49 colour and texture features of a 96x72
// copy of the frame (black corners and border ring, tissue-colour fractions, Lab a*/b* means
// and spreads, saturation and value statistics, specular glints, gradient energy and edge
// density, hue/saturation/value histograms of the central field) into a small perceptron
// trained on development data only (models/oob/README.md says which sets and their terms;
// tests/eval/train_oob.sh retrains it). It works on frame-filling laparoscopic views
// (smoke, blood, specular highlights, close-ups, instruments) as well as circular endoscope
// views; unlike the rule it replaces, black corners are a feature, not a requirement.
// The decision threshold was chosen on the training part for the asymmetric cost: a frame
// the model is unsure about is out of body. Two hard guards stay outside the model, for what
// the development data hardly shows: a frame with less than kMinContent of visible content (a
// fade, a black or capped lens) is out, and so is one whose content is more than kMaxCool
// blue-green (gowns, drapes, caps; in-body frames reach 0.12, a green picture-in-picture).
// Cost ~0.5 ms a frame (a 96x72 copy, one pass over it, a 49x12 perceptron).
#include <opencv2/core.hpp>

#include "surg/detect/oob_model.hpp"

namespace surg::detect {

inline constexpr float kMinContent = 0.2f;  // fraction of the frame with HSV value >= 40
inline constexpr float kMaxCool = 0.3f;     // fraction of content with hue 35..130, saturation >= 40

class BodyClassifier {
 public:
  BodyClassifier() : BodyClassifier(shipped_oob_model()) {}
  explicit BodyClassifier(const OobModel& model) : model_(&model) {}

  OobFeatures features(const cv::Mat& bgr) { return extractor_.compute(bgr); }
  // P(in body) by the model, 0 when a guard fails.
  float score(const OobFeatures& f) const;
  float in_body_score(const cv::Mat& bgr) { return score(features(bgr)); }
  // score >= the model's threshold.
  bool in_body(const cv::Mat& bgr) { return in_body_score(bgr) >= model_->threshold; }
  float threshold() const { return model_->threshold; }

 private:
  const OobModel* model_;
  OobFeatureExtractor extractor_;
};

}  // namespace surg::detect
