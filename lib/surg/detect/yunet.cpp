#include "surg/detect/yunet.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <opencv2/imgproc.hpp>

#include "surg/core/error.hpp"
#include "surg/detect/blazeface.hpp"

namespace surg::detect {
namespace {

constexpr float kNmsIou = 0.4f;
constexpr int kStrides[] = {8, 16, 32};
constexpr int kShippedInput = 320;

}  // namespace

// The bytes of models/yunet/yunet_n_320_320.onnx (yunet_shipped.cpp).
extern "C" const char surg_yunet_320_begin[];
extern "C" const char surg_yunet_320_end[];

YuNetModel::YuNetModel(cv::dnn::Net net, int input_size) : net_(std::move(net)), size_(input_size) {
  net_.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
  for (const char* kind : {"cls", "obj", "bbox"})
    for (int s : kStrides) outputs_.push_back(std::string(kind) + "_" + std::to_string(s));
}

YuNetModel::YuNetModel(const std::string& path, int input_size)
    : YuNetModel(
          [&] {
            if (!std::filesystem::is_regular_file(path)) throw RuntimeError("YuNet model not found: " + path);
            try {
              return cv::dnn::readNetFromONNX(path);
            } catch (const cv::Exception& e) {
              throw RuntimeError("cannot read YuNet model " + path + ": " + e.what());
            }
          }(),
          input_size) {}

YuNetModel YuNetModel::shipped() {
  const auto size = static_cast<std::size_t>(surg_yunet_320_end - surg_yunet_320_begin);
  try {
    return YuNetModel(cv::dnn::readNetFromONNX(surg_yunet_320_begin, size), kShippedInput);
  } catch (const cv::Exception& e) {
    throw RuntimeError(std::string("cannot read the YuNet model compiled into surg: ") + e.what());
  }
}

std::vector<Box> YuNetModel::run(const cv::Mat& bgr, float threshold) {
  const float scale = std::min(static_cast<float>(size_) / bgr.cols, static_cast<float>(size_) / bgr.rows);
  cv::Mat input(size_, size_, CV_8UC3, cv::Scalar::all(0));
  cv::Mat fitted = input(cv::Rect(0, 0, std::clamp(static_cast<int>(std::lround(bgr.cols * scale)), 1, size_),
                                  std::clamp(static_cast<int>(std::lround(bgr.rows * scale)), 1, size_)));
  // The ROI has the size and type asked for, so resize writes into `input` in place.
  cv::resize(bgr, fitted, fitted.size(), 0, 0, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  net_.setInput(cv::dnn::blobFromImage(input));
  net_.forward(results_, outputs_);
  std::vector<cv::Rect2d> rects;
  std::vector<float> scores;
  const std::size_t kinds = std::size(kStrides);
  for (std::size_t k = 0; k < kinds; ++k) {
    const int s = kStrides[k], n = size_ / s;
    const float* cls = results_[k].ptr<float>();
    const float* obj = results_[kinds + k].ptr<float>();
    const float* box = results_[2 * kinds + k].ptr<float>();
    for (int i = 0; i < n * n; ++i) {
      const float score = std::sqrt(std::clamp(cls[i], 0.0f, 1.0f) * std::clamp(obj[i], 0.0f, 1.0f));
      if (score < threshold) continue;
      const float* b = box + 4 * i;
      const float cx = (static_cast<float>(i % n) + b[0]) * s, cy = (static_cast<float>(i / n) + b[1]) * s;
      const float w = std::exp(b[2]) * s, h = std::exp(b[3]) * s;
      rects.emplace_back((cx - w / 2) / scale, (cy - h / 2) / scale, w / scale, h / scale);
      scores.push_back(score);
    }
  }
  std::vector<int> keep;
  cv::dnn::NMSBoxes(rects, scores, threshold, kNmsIou, keep);
  std::vector<Box> out;
  for (int i : keep)
    out.push_back({cv::Rect2f(rects[static_cast<std::size_t>(i)]), scores[static_cast<std::size_t>(i)]});
  return out;
}

float second_opinion(YuNetModel& model, const cv::Mat& bgr, const cv::Rect2f& box) {
  const float side = std::max(box.width, box.height) * kSecondOpinionContext;
  const cv::Rect square(static_cast<int>(std::lround(box.x + box.width / 2 - side / 2)),
                        static_cast<int>(std::lround(box.y + box.height / 2 - side / 2)),
                        std::max(1, static_cast<int>(std::lround(side))),
                        std::max(1, static_cast<int>(std::lround(side))));
  const cv::Rect inside = square & cv::Rect(0, 0, bgr.cols, bgr.rows);
  if (inside.empty()) return 0;
  cv::Mat context(square.size(), CV_8UC3, cv::Scalar::all(0));
  bgr(inside).copyTo(context(inside - square.tl()));
  const cv::Rect2f local(box.x - static_cast<float>(square.x), box.y - static_cast<float>(square.y),
                         box.width, box.height);
  float best = 0;
  for (const auto& face : model.run(context, 0.05f))
    if (iou(face.rect, local) > kSecondOpinionIou) best = std::max(best, face.score);
  return best;
}

}  // namespace surg::detect
