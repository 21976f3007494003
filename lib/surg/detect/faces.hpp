#pragma once
// The registered detectors, built by name through make_detector() (registry.cpp). Declared here
// so tests can reach the pieces; the tool only needs detector.hpp.
#include <memory>

#include "surg/detect/detector.hpp"

namespace surg::detect {

// Fraction of a BlazeFace box height added below it: BlazeFace boxes stop at the mouth,
// face labels (and what must be hidden) include the chin and a surgical mask.
inline constexpr float kChinExtension = 0.2f;
// Work of detect_tiles(), in front-128 inferences (~4.5 ms each on one core of this machine):
// kTilesPerSecond of video, spread over its frames (3 a frame at 30 fps, 1.5 at 60, 6 at 15),
// so a full pass takes the same time at any rate (about 1 s for 16:9 with the coarse passes
// of tiles.hpp) and a stream costs the same a second whatever its frame rate.
inline constexpr double kTilesPerSecond = 90;
inline constexpr double kAssumedFrameRate = 30;  // when the stream does not say
double tile_budget(double frame_rate);

// Boxes from overlapping tiles: boxes overlapping by IoU > 0.5 are replaced by their
// bounding union (never shrunk: a partial box from a tile edge must not eat a whole one);
// the result is clipped to the frame and grown toward the chin.
std::vector<Box> merge_tile_boxes(std::vector<Box> boxes, cv::Size frame);

std::unique_ptr<Detector> make_blazeface(const DetectorConfig& config);
std::unique_ptr<Detector> make_haar(const DetectorConfig& config);
std::unique_ptr<Detector> make_yunet(const DetectorConfig& config);
#if SURG_TEST_HOOKS
std::unique_ptr<Detector> make_scripted(const DetectorConfig& config);
std::unique_ptr<Detector> make_failing(const DetectorConfig& config);
std::unique_ptr<Detector> make_stalling(const DetectorConfig& config);
#endif

}  // namespace surg::detect
