#pragma once
// The learned half of the out-of-body classifier (detect/body.hpp): colour and texture
// features of a 96x72 copy of a frame, and a small multilayer perceptron over them whose
// weights are a JSON file shipped in the repository (models/oob/weights.json, compiled into
// the library; tests/eval/train_oob.sh retrains it). The features are meant to describe what
// separates the inside of a patient (red-orange-pink tissue, blood, smoke veiling it, specular
// glints on wet surfaces, a circular field of view or a frame-filling one) from what a scope
// sees outside (gowns, drapes, walls, lamps, steel, calibration boards, faces and skin).
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

namespace surg::detect {

inline constexpr int kOobFeatureCount = 49;
using OobFeatures = std::array<float, kOobFeatureCount>;

// Names in feature order, written beside the weights so a file trained on other features is refused.
const std::array<const char*, kOobFeatureCount>& oob_feature_names();

// Computes the features; keeps its buffers between frames (one instance per thread).
class OobFeatureExtractor {
 public:
  static constexpr int kWidth = 96, kHeight = 72;
  OobFeatures compute(const cv::Mat& bgr);

 private:
  void shrink(const cv::Mat& bgr);
  cv::Mat coarse_, small_, hsv_, lab_, grey_, grad_x_, grad_y_;
};

// Standardise -> tanh hidden layer -> logistic output: P(in body).
struct OobModel {
  std::vector<float> mean, scale;                  // per feature: x' = (x - mean) / scale
  std::vector<std::vector<float>> hidden_weights;  // [hidden][feature]
  std::vector<float> hidden_bias, output_weights;  // [hidden]
  float output_bias = 0;
  float threshold = 0.5f;  // P(in body) >= threshold: in body
  std::string note;        // what it was trained on (from the file)

  float probability(const OobFeatures& f) const;
  // Throws surg::RuntimeError on a malformed file or one made for other features.
  static OobModel from_json(std::string_view text);
  std::string to_json() const;
};

// The model compiled in from models/oob/weights.json.
const OobModel& shipped_oob_model();

}  // namespace surg::detect
