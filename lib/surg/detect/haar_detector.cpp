// "haar": OpenCV's Haar cascades (package opencv-data), the documented fallback when the
// BlazeFace models cannot be installed. Measured (doc/platform.md) at ~0.25 recall on masked faces
// against ~0.85 for "blazeface": a fallback for bare-faced scenes, not for the operating room.
#include <filesystem>

#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include "surg/core/error.hpp"
#include "surg/detect/faces.hpp"

namespace surg::detect {
namespace {

constexpr const char* kCascadeDir = "/usr/share/opencv4/haarcascades/";
// The "sensitive" setting of doc/platform.md: more recall than OpenCV's defaults at 10x the time.
constexpr double kScaleStep = 1.1;
constexpr int kMinNeighbours = 3;
constexpr int kMinFace = 12;

cv::CascadeClassifier load_cascade(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) {
    throw RuntimeError("Haar cascade not found: " + path + " (install opencv-data)");
  }
  cv::CascadeClassifier cascade;
  if (!cascade.load(path)) throw RuntimeError("cannot read Haar cascade " + path);
  return cascade;
}

class HaarDetector : public Detector {
 public:
  HaarDetector()
      : files_{std::string(kCascadeDir) + "haarcascade_frontalface_default.xml",
               std::string(kCascadeDir) + "haarcascade_profileface.xml"},
        frontal_(load_cascade(files_[0])),
        profile_(load_cascade(files_[1])) {}

  std::string name() const override { return "haar"; }
  std::vector<std::string> model_files() const override { return files_; }

  std::vector<Box> detect(const cv::Mat& bgr) override {
    cv::Mat gray, mirrored;
    cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
    cv::equalizeHist(gray, gray);
    std::vector<Box> boxes;
    add(frontal_, gray, false, boxes);
    add(profile_, gray, false, boxes);  // faces turned one way...
    cv::flip(gray, mirrored, 1);
    add(profile_, mirrored, true, boxes);  // ...and the other (the cascade knows one side)
    return merge_tile_boxes(std::move(boxes), bgr.size());
  }

 private:
  static void add(cv::CascadeClassifier& cascade, const cv::Mat& gray, bool mirrored, std::vector<Box>& out) {
    std::vector<cv::Rect> found;
    cascade.detectMultiScale(gray, found, kScaleStep, kMinNeighbours, 0, {kMinFace, kMinFace});
    for (auto r : found) {
      if (mirrored) r.x = gray.cols - r.x - r.width;
      out.push_back({cv::Rect2f(r), 1.0f});  // cascades give no confidence
    }
  }

  std::vector<std::string> files_;
  cv::CascadeClassifier frontal_, profile_;
};

}  // namespace

std::unique_ptr<Detector> make_haar(const DetectorConfig&) { return std::make_unique<HaarDetector>(); }

}  // namespace surg::detect
