// "yunet": YuNet (libfacedetection.train, Apache-2.0), yunet_n_640_640.onnx, one pass over the
// whole frame letterboxed into 640x640. Output layout for OpenCV 4.6 (cv::FaceDetectorYN in 4.6
// expects an older layout, so the outputs are decoded here): for each stride s in {8, 16, 32},
// n = 640 / s cells a side, row-major, one anchor a cell: cls_s, obj_s [1, n*n, 1], bbox_s
// [1, n*n, 4]; score = sqrt(cls * obj) (each clamped to 0..1); centre ((col + b0) s,
// (row + b1) s), size (exp(b2) s, exp(b3) s) in network pixels. Boxes grown toward the chin
// like BlazeFace's (faces.hpp kChinExtension) so callers treat both alike.
#include <algorithm>
#include <cmath>
#include <filesystem>

#include <opencv2/core/utility.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include "surg/core/error.hpp"
#include "surg/detect/faces.hpp"

namespace surg::detect {
namespace {

constexpr int kInput = 640;
constexpr float kNmsIou = 0.4f;
constexpr int kStrides[] = {8, 16, 32};
constexpr const char* kModel = "yunet_n_640_640.onnx";

class YuNetDetector : public Detector {
 public:
  explicit YuNetDetector(const DetectorConfig& config)
      : file_(config.model_dir + "/" + kModel), threshold_(config.score_threshold) {
    if (!std::filesystem::exists(file_)) throw RuntimeError("YuNet model not found: " + file_);
    try {
      net_ = cv::dnn::readNet(file_);
    } catch (const cv::Exception& e) {
      throw RuntimeError("cannot read YuNet model " + file_ + ": " + e.what());
    }
  }

  std::string name() const override { return "yunet"; }
  std::vector<std::string> model_files() const override { return {file_}; }

  std::vector<Box> detect(const cv::Mat& bgr) override {
    const float scale =
        std::min(static_cast<float>(kInput) / bgr.cols, static_cast<float>(kInput) / bgr.rows);
    cv::Mat input(kInput, kInput, CV_8UC3, cv::Scalar::all(0));
    cv::Mat fitted;
    cv::resize(bgr, fitted, cv::Size(std::lround(bgr.cols * scale), std::lround(bgr.rows * scale)));
    fitted.copyTo(input(cv::Rect(0, 0, fitted.cols, fitted.rows)));
    net_.setInput(cv::dnn::blobFromImage(input));
    std::vector<cv::Mat> outs;
    const auto names = output_names();
    net_.forward(outs, names);
    std::vector<cv::Rect2d> rects;
    std::vector<float> scores;
    for (int s : kStrides) decode(outs, names, s, scale, rects, scores);
    std::vector<int> keep;
    cv::dnn::NMSBoxes(rects, scores, threshold_, kNmsIou, keep);
    const cv::Rect2f bounds(0, 0, static_cast<float>(bgr.cols), static_cast<float>(bgr.rows));
    std::vector<Box> out;
    for (int i : keep) {
      cv::Rect2f r(rects[static_cast<std::size_t>(i)]);
      r.height *= 1.0f + kChinExtension;
      r &= bounds;
      if (r.area() > 0) out.push_back({r, scores[static_cast<std::size_t>(i)]});
    }
    return out;
  }

 private:
  std::vector<std::string> output_names() {
    std::vector<std::string> names;
    for (const char* kind : {"cls", "obj", "bbox"})
      for (int s : kStrides) names.push_back(std::string(kind) + "_" + std::to_string(s));
    return names;
  }

  static const cv::Mat& output(const std::vector<cv::Mat>& outs, const std::vector<std::string>& names,
                               const std::string& name) {
    const auto it = std::find(names.begin(), names.end(), name);
    return outs[static_cast<std::size_t>(it - names.begin())];
  }

  void decode(const std::vector<cv::Mat>& outs, const std::vector<std::string>& names, int s, float scale,
              std::vector<cv::Rect2d>& rects, std::vector<float>& scores) const {
    const std::string k = std::to_string(s);
    const float* cls = output(outs, names, "cls_" + k).ptr<float>();
    const float* obj = output(outs, names, "obj_" + k).ptr<float>();
    const float* box = output(outs, names, "bbox_" + k).ptr<float>();
    const int n = kInput / s;
    for (int i = 0; i < n * n; ++i) {
      const float score = std::sqrt(std::clamp(cls[i], 0.0f, 1.0f) * std::clamp(obj[i], 0.0f, 1.0f));
      if (score < threshold_) continue;
      const float* b = box + 4 * i;
      const float cx = (static_cast<float>(i % n) + b[0]) * s, cy = (static_cast<float>(i / n) + b[1]) * s;
      const float w = std::exp(b[2]) * s, h = std::exp(b[3]) * s;
      rects.emplace_back((cx - w / 2) / scale, (cy - h / 2) / scale, w / scale, h / scale);
      scores.push_back(score);
    }
  }

  std::string file_;
  float threshold_;
  cv::dnn::Net net_;
};

}  // namespace

std::unique_ptr<Detector> make_yunet(const DetectorConfig& config) {
  if (config.threads > 0) cv::setNumThreads(config.threads);
  return std::make_unique<YuNetDetector>(config);
}

}  // namespace surg::detect
