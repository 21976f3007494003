#pragma once
// The registered detectors, built by name through make_detector() (registry.cpp). Declared here
// so tests can reach the pieces; the tool only needs detector.hpp.
#include <memory>

#include "surg/detect/detector.hpp"

namespace surg::detect {

// Fraction of a BlazeFace box height added below it: BlazeFace boxes stop at the mouth,
// face labels (and what must be hidden) include the chin and a surgical mask.
inline constexpr float kChinExtension = 0.2f;
// Work of one detect_tiles() call, in front-128 inferences (~3.3 ms each on this machine).
inline constexpr int kTilesPerFrame = 3;

// Boxes from overlapping tiles: boxes overlapping by IoU > 0.5 are replaced by their
// bounding union (never shrunk: a partial box from a tile edge must not eat a whole one);
// the result is clipped to the frame and grown toward the chin.
std::vector<Box> merge_tile_boxes(std::vector<Box> boxes, cv::Size frame);

std::unique_ptr<Detector> make_blazeface(const DetectorConfig& config);
std::unique_ptr<Detector> make_haar(const DetectorConfig& config);
std::unique_ptr<Detector> make_scripted(const DetectorConfig& config);
std::unique_ptr<Detector> make_failing(const DetectorConfig& config);
std::unique_ptr<Detector> make_stalling(const DetectorConfig& config);

}  // namespace surg::detect
