#include "surg/detect/blazeface.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <opencv2/imgproc.hpp>

#include "surg/core/error.hpp"

namespace surg::detect {
namespace {

// (grid, anchors a cell) of the two feature maps, in output order.
constexpr std::pair<int, int> kLayers[] = {{16, 2}, {8, 6}};

float sigmoid(float raw) { return 1.0f / (1.0f + std::exp(-std::clamp(raw, -100.0f, 100.0f))); }

// Splits the four outputs by shape into (scores, regressors) of 512 and 384 anchors.
void gather(const std::vector<cv::Mat>& outs, std::vector<float>& scores, std::vector<float>& regs) {
  const cv::Mat* s[2] = {nullptr, nullptr};
  const cv::Mat* r[2] = {nullptr, nullptr};
  for (const auto& m : outs) {
    if (m.dims != 3) throw RuntimeError("BlazeFace: unexpected output rank");
    const int part = m.size[1] == 512 ? 0 : 1;
    (m.size[2] == 1 ? s : r)[part] = &m;
  }
  if (!s[0] || !s[1] || !r[0] || !r[1]) throw RuntimeError("BlazeFace: unexpected outputs");
  scores.assign(s[0]->ptr<float>(), s[0]->ptr<float>() + 512);
  scores.insert(scores.end(), s[1]->ptr<float>(), s[1]->ptr<float>() + 384);
  regs.assign(r[0]->ptr<float>(), r[0]->ptr<float>() + 512 * 16);
  regs.insert(regs.end(), r[1]->ptr<float>(), r[1]->ptr<float>() + 384 * 16);
}

}  // namespace

std::vector<cv::Point2f> blazeface_anchors() {
  std::vector<cv::Point2f> anchors;
  anchors.reserve(kBlazeAnchors);
  for (auto [grid, per_cell] : kLayers) {
    for (int y = 0; y < grid; ++y) {
      for (int x = 0; x < grid; ++x) {
        const cv::Point2f centre((x + 0.5f) / grid, (y + 0.5f) / grid);
        anchors.insert(anchors.end(), per_cell, centre);
      }
    }
  }
  return anchors;
}

std::vector<Box> decode_blazeface(const float* scores, const float* regressors, int input_size,
                                  float threshold) {
  static const std::vector<cv::Point2f> anchors = blazeface_anchors();
  const float s = static_cast<float>(input_size);
  std::vector<Box> boxes;
  for (int i = 0; i < kBlazeAnchors; ++i) {
    const float score = sigmoid(scores[i]);
    if (score < threshold) continue;
    const float* r = regressors + i * 16;
    const float cx = anchors[i].x + r[0] / s, cy = anchors[i].y + r[1] / s;
    const float w = r[2] / s, h = r[3] / s;
    boxes.push_back({cv::Rect2f(cx - w / 2, cy - h / 2, w, h), score});
  }
  return boxes;
}

float iou(const cv::Rect2f& a, const cv::Rect2f& b) {
  const float inter = (a & b).area();
  const float uni = a.area() + b.area() - inter;
  return uni > 0 ? inter / uni : 0.0f;
}

std::vector<Box> weighted_nms(std::vector<Box> boxes, float iou_threshold) {
  std::sort(boxes.begin(), boxes.end(), [](const Box& a, const Box& b) { return a.score > b.score; });
  std::vector<Box> kept;
  std::vector<bool> used(boxes.size(), false);
  for (size_t i = 0; i < boxes.size(); ++i) {
    if (used[i]) continue;
    double wsum = 0, x = 0, y = 0, w = 0, h = 0;
    for (size_t j = i; j < boxes.size(); ++j) {
      if (used[j] || iou(boxes[i].rect, boxes[j].rect) <= iou_threshold) continue;
      used[j] = true;
      const auto& r = boxes[j].rect;
      const double k = boxes[j].score;
      wsum += k, x += k * r.x, y += k * r.y, w += k * r.width, h += k * r.height;
    }
    kept.push_back({cv::Rect2f(x / wsum, y / wsum, w / wsum, h / wsum), boxes[i].score});
  }
  return kept;
}

BlazeFaceModel::BlazeFaceModel(const std::string& path, int input_size) : size_(input_size) {
  if (!std::filesystem::is_regular_file(path)) {
    throw RuntimeError("face model not found: " + path +
                       " (run scripts/fetch-face-model.sh DIR, or set SURG_MODEL_DIR)");
  }
  try {
    net_ = cv::dnn::readNetFromONNX(path);
  } catch (const cv::Exception& e) {
    throw RuntimeError("cannot read face model " + path + ": " + e.what());
  }
  if (net_.empty()) throw RuntimeError("cannot read face model " + path);
  net_.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
  outputs_ = net_.getUnconnectedOutLayersNames();
  input_.create(size_, size_, CV_32FC3);
}

cv::Mat BlazeFaceModel::prepare(const cv::Mat& bgr, const cv::Rect& roi, double& scale, cv::Point2f& pad) {
  scale = static_cast<double>(size_) / std::max(roi.width, roi.height);
  const cv::Size fitted(std::max(1, static_cast<int>(std::lround(roi.width * scale))),
                        std::max(1, static_cast<int>(std::lround(roi.height * scale))));
  cv::Mat resized;
  cv::resize(bgr(roi), resized, fitted, 0, 0, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  pad = {(size_ - fitted.width) / 2.0f, (size_ - fitted.height) / 2.0f};
  cv::Mat rgb(size_, size_, CV_8UC3, cv::Scalar::all(0));
  cv::cvtColor(resized, rgb(cv::Rect(cv::Point(static_cast<int>(pad.x), static_cast<int>(pad.y)), fitted)),
               cv::COLOR_BGR2RGB);
  pad = {std::floor(pad.x), std::floor(pad.y)};
  rgb.convertTo(input_, CV_32F, 1.0 / 127.5, -1.0);
  const int shape[] = {1, size_, size_, 3};
  return cv::Mat(4, shape, CV_32F, input_.data);
}

std::vector<Box> BlazeFaceModel::run(const cv::Mat& bgr, const cv::Rect& roi, float threshold) {
  double scale = 1;
  cv::Point2f pad;
  net_.setInput(prepare(bgr, roi, scale, pad));
  net_.forward(results_, outputs_);
  std::vector<float> scores, regs;
  gather(results_, scores, regs);
  auto boxes = decode_blazeface(scores.data(), regs.data(), size_, threshold);
  for (auto& b : boxes) {  // normalised input -> frame pixels
    auto& r = b.rect;
    r = cv::Rect2f(static_cast<float>((r.x * size_ - pad.x) / scale + roi.x),
                   static_cast<float>((r.y * size_ - pad.y) / scale + roi.y),
                   static_cast<float>(r.width * size_ / scale), static_cast<float>(r.height * size_ / scale));
  }
  return boxes;
}

}  // namespace surg::detect
