// "blazeface": the default face detector, BlazeFace models over the tile plan of tiles.hpp.
#include <algorithm>

#include <opencv2/core/utility.hpp>

#include "surg/detect/blazeface.hpp"
#include "surg/detect/faces.hpp"
#include "surg/detect/tiles.hpp"

namespace surg::detect {
namespace {

constexpr float kNmsIou = 0.3f;
constexpr float kMergeIou = 0.5f;
// Quarter-size tiles enlarge texture 4x more than the whole-frame pass: demand more there
// (doc/platform.md: 0.4 kept recall and halved false fills on text and fabric).
constexpr float kFineTileThresholdBoost = 0.1f;
// A face filling more than half a front tile is also seen, at a size the models like better,
// by the next coarser pass; the low-score big boxes that only a tile sees are mostly blurred
// crowds and fabric. Measured on face-mask-kaggle-dev: false fills -20%, recall -0.7 point.
constexpr float kLargeInTile = 0.5f;
constexpr float kLargeScore = 0.5f;
// A box reaching an inner edge of a front tile (one not on the frame border) is a face cut by
// the tile: the overlapping neighbour (>= 25%) or the coarser pass sees it whole. Dropping
// the partial box matters for video: a tracker matching it to the face would shrink its box
// to the part until the next cycle. Margin: 2% of the tile side.
constexpr float kInnerEdgeMargin = 0.02f;

bool cut_by_tile(const cv::Rect2f& r, const cv::Rect& tile, cv::Size frame) {
  const float m = kInnerEdgeMargin * static_cast<float>(tile.width);
  return (tile.x > 0 && r.x < tile.x + m) || (tile.y > 0 && r.y < tile.y + m) ||
         (tile.br().x < frame.width && r.br().x > tile.br().x - m) ||
         (tile.br().y < frame.height && r.br().y > tile.br().y - m);
}

class BlazeFaceDetector : public Detector {
 public:
  explicit BlazeFaceDetector(const DetectorConfig& config)
      : files_{config.model_dir + "/face_detection_front_128x128_barracuda.onnx",
               config.model_dir + "/face_detection_back_256x256_barracuda.onnx"},
        front_(files_[0], 128),
        back_(files_[1], 256),
        threshold_(config.score_threshold),
        budget_(tile_budget(config.frame_rate)) {}

  std::string name() const override { return "blazeface"; }
  std::vector<std::string> model_files() const override { return files_; }

  std::vector<Box> detect(const cv::Mat& bgr) override {
    const auto& tiles = plan_for(bgr.size());
    std::vector<Box> found;
    for (const auto& tile : tiles) run_tile(bgr, tile, found);
    return merge_tile_boxes(std::move(found), bgr.size());
  }

  std::vector<Box> detect_tiles(const cv::Mat& bgr, std::int64_t frame_index) override {
    const auto& tiles = plan_for(bgr.size());
    const auto n = std::ssize(slots_);
    const auto& group = slots_[static_cast<std::size_t>((frame_index % n + n) % n)];
    std::vector<Box> found;
    for (std::size_t i : group) run_tile(bgr, tiles[i], found);
    return merge_tile_boxes(std::move(found), bgr.size());
  }

  int full_cycle(cv::Size frame) const override {
    return static_cast<int>(schedule_tiles(plan_tiles(frame), budget_).size());
  }

 private:
  const std::vector<Tile>& plan_for(cv::Size frame) {
    if (frame != plan_size_) {
      tiles_ = plan_tiles(frame);
      slots_ = schedule_tiles(tiles_, budget_);
      plan_size_ = frame;
    }
    return tiles_;
  }

  void run_tile(const cv::Mat& bgr, const Tile& tile, std::vector<Box>& out) {
    auto& model = tile.model == TileModel::back256 ? back_ : front_;
    const float threshold = tile.scale < 0.5f ? threshold_ + kFineTileThresholdBoost : threshold_;
    auto boxes = model.run(bgr, tile.rect, threshold);
    if (tile.model == TileModel::front128) {
      const float large = kLargeInTile * static_cast<float>(tile.rect.width);
      std::erase_if(boxes, [&](const Box& b) {
        return (std::max(b.rect.width, b.rect.height) > large && b.score < kLargeScore) ||
               cut_by_tile(b.rect, tile.rect, bgr.size());
      });
    }
    boxes = weighted_nms(std::move(boxes), kNmsIou);
    out.insert(out.end(), boxes.begin(), boxes.end());
  }

  std::vector<std::string> files_;
  BlazeFaceModel front_, back_;
  float threshold_;
  double budget_;
  cv::Size plan_size_;
  std::vector<Tile> tiles_;
  std::vector<std::vector<std::size_t>> slots_;
};

}  // namespace

double tile_budget(double frame_rate) {
  return kTilesPerSecond / (frame_rate > 0 ? frame_rate : kAssumedFrameRate);
}

std::vector<Box> merge_tile_boxes(std::vector<Box> boxes, cv::Size frame) {
  std::sort(boxes.begin(), boxes.end(), [](const Box& a, const Box& b) { return a.score > b.score; });
  std::vector<Box> merged;
  for (const auto& b : boxes) {
    auto same = std::find_if(merged.begin(), merged.end(),
                             [&](const Box& m) { return iou(m.rect, b.rect) > kMergeIou; });
    if (same == merged.end()) {
      merged.push_back(b);
    } else {
      same->rect |= b.rect;
    }
  }
  const cv::Rect2f bounds(0, 0, static_cast<float>(frame.width), static_cast<float>(frame.height));
  std::vector<Box> out;
  for (auto b : merged) {
    b.rect.height *= 1.0f + kChinExtension;
    b.rect &= bounds;
    if (b.rect.area() > 0) out.push_back(b);
  }
  return out;
}

std::unique_ptr<Detector> make_blazeface(const DetectorConfig& config) {
  if (config.threads > 0) cv::setNumThreads(config.threads);
  return std::make_unique<BlazeFaceDetector>(config);
}

}  // namespace surg::detect
