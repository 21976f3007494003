#pragma once
// YuNet (libfacedetection.train, Apache-2.0) run through OpenCV DNN. Facts this code relies on
// (checked on OpenCV 4.6, models/yunet/README.md):
//  - input 1x3xSxS BGR, raw 0..255; the image is letterboxed (scaled, padded bottom/right);
//  - for each stride s in {8, 16, 32}, n = S / s cells a side, row-major, one anchor a cell:
//    cls_s, obj_s [1, n*n, 1], bbox_s [1, n*n, 4]; score = sqrt(cls * obj) (each clamped to
//    0..1); centre ((col + b0) s, (row + b1) s), size (exp(b2) s, exp(b3) s), network pixels.
// cv::FaceDetectorYN in 4.6 expects an older output layout, so the outputs are decoded here.
#include <string>
#include <vector>

#include <opencv2/dnn.hpp>

#include "surg/detect/detector.hpp"

namespace surg::detect {

class YuNetModel {
 public:
  // Throws RuntimeError naming the file when it is missing or OpenCV cannot read it.
  YuNetModel(const std::string& path, int input_size);
  // The model compiled into the library: yunet_n_320_320 (models/yunet/README.md).
  static YuNetModel shipped();
  // Faces in the whole image, in its pixels, after NMS, the model's boxes as they are.
  std::vector<Box> run(const cv::Mat& bgr, float threshold);

 private:
  YuNetModel(cv::dnn::Net net, int input_size);

  cv::dnn::Net net_;
  int size_;
  std::vector<std::string> outputs_;  // cls_8.., obj_8.., bbox_8..
  std::vector<cv::Mat> results_;
};

// A second opinion on a face box: YuNet's best score for a face overlapping `box` (IoU >
// kSecondOpinionIou), looked for in a square of kSecondOpinionContext x the box's longer side
// centred on it (black beyond the image), so the face reaches the model at about a third of
// its input whatever the box's size. 0 when YuNet sees no such face.
inline constexpr float kSecondOpinionContext = 3.0f;
inline constexpr float kSecondOpinionIou = 0.2f;
float second_opinion(YuNetModel& model, const cv::Mat& bgr, const cv::Rect2f& box);

}  // namespace surg::detect
