#include "surg/detect/tiles.hpp"

#include <algorithm>
#include <cmath>

namespace surg::detect {

std::vector<int> tile_starts(int length, int size, double min_overlap) {
  if (size >= length) return {0};
  const double stride = size * (1.0 - min_overlap);
  const int n = static_cast<int>(std::ceil((length - size) / stride - 1e-9)) + 1;
  std::vector<int> starts;
  for (int i = 0; i < n; ++i) {
    starts.push_back(static_cast<int>(std::lround(static_cast<double>(i) * (length - size) / (n - 1))));
  }
  return starts;
}

std::vector<Tile> plan_tiles(cv::Size frame) {
  std::vector<Tile> tiles{{cv::Rect({0, 0}, frame), TileModel::back256, 1.0f, 3}};
  const int short_side = std::min(frame.width, frame.height);
  for (float f : {1.0f, 0.5f, 0.25f}) {
    const int side = static_cast<int>(std::lround(short_side * f));
    if (side < kMinTile && f < 1.0f) break;
    for (int y : tile_starts(frame.height, side, kMinOverlap)) {
      for (int x : tile_starts(frame.width, side, kMinOverlap)) {
        tiles.push_back({cv::Rect(x, y, side, side), TileModel::front128, f, 1});
      }
    }
  }
  return tiles;
}

std::vector<std::size_t> tile_sequence(const std::vector<Tile>& tiles) {
  std::vector<std::size_t> coarse, sequence;
  for (std::size_t i = 0; i < tiles.size(); ++i) {
    if (tiles[i].scale == 1.0f) coarse.push_back(i);
  }
  int fine_since = kCoarseEvery;  // the cycle opens with the coarse passes
  for (std::size_t i = 0; i < tiles.size(); ++i) {
    if (tiles[i].scale == 1.0f) continue;
    if (fine_since >= kCoarseEvery) {
      sequence.insert(sequence.end(), coarse.begin(), coarse.end());
      fine_since = 0;
    }
    sequence.push_back(i);
    fine_since += tiles[i].cost;
  }
  if (sequence.empty()) sequence = coarse;  // a frame too small for fine tiles
  return sequence;
}

std::vector<std::vector<std::size_t>> schedule_tiles(const std::vector<Tile>& tiles, double budget) {
  constexpr double kRounding = 1e-9;  // 3 x (1/3 budget) must pay for a tile of cost 1
  const auto sequence = tile_sequence(tiles);
  std::vector<std::vector<std::size_t>> groups;
  double credit = 0;
  for (std::size_t i = 0; i < sequence.size();) {
    auto& group = groups.emplace_back();
    credit += budget;
    for (; i < sequence.size() && tiles[sequence[i]].cost <= credit + kRounding; ++i) {
      group.push_back(sequence[i]);
      credit -= tiles[sequence[i]].cost;
    }
  }
  return groups;
}

}  // namespace surg::detect
