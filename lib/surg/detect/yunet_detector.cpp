// "yunet": YuNet n 640 (yunet.hpp) from the model directory, one pass over the whole frame
// letterboxed into 640x640. Boxes grown toward the chin like BlazeFace's (faces.hpp
// kChinExtension) so callers treat both alike.
#include <opencv2/core/utility.hpp>

#include "surg/detect/faces.hpp"
#include "surg/detect/yunet.hpp"

namespace surg::detect {
namespace {

constexpr int kInput = 640;
constexpr const char* kModel = "yunet_n_640_640.onnx";

class YuNetDetector : public Detector {
 public:
  explicit YuNetDetector(const DetectorConfig& config)
      : file_(config.model_dir + "/" + kModel), model_(file_, kInput), threshold_(config.score_threshold) {}

  std::string name() const override { return "yunet"; }
  std::vector<std::string> model_files() const override { return {file_}; }

  std::vector<Box> detect(const cv::Mat& bgr) override {
    const cv::Rect2f bounds(0, 0, static_cast<float>(bgr.cols), static_cast<float>(bgr.rows));
    std::vector<Box> out;
    for (auto box : model_.run(bgr, threshold_)) {
      box.rect.height *= 1.0f + kChinExtension;
      box.rect &= bounds;
      if (box.rect.area() > 0) out.push_back(box);
    }
    return out;
  }

 private:
  std::string file_;
  YuNetModel model_;
  float threshold_;
};

}  // namespace

std::unique_ptr<Detector> make_yunet(const DetectorConfig& config) {
  if (config.threads > 0) cv::setNumThreads(config.threads);
  return std::make_unique<YuNetDetector>(config);
}

}  // namespace surg::detect
