#pragma once
// Where BlazeFace looks in a frame. Its models see a 128 (front) or 256 (back) pixel square,
// so a whole-frame pass misses most faces under ~32 px. The plan: the back-256 model on the
// whole (letterboxed) frame, plus front-128 on square tiles of f x the short side,
// f = 1, 1/2, 1/4 (each resized to 128, so small faces are enlarged), neighbours overlapping
// by >= 25% so a face cut by one tile edge is whole in the next. A level is used only when its
// tiles are at least kMinTile pixels (smaller tiles hold no face the coarser level misses).
#include <cstddef>
#include <vector>

#include <opencv2/core.hpp>

namespace surg::detect {

enum class TileModel { front128, back256 };

struct Tile {
  cv::Rect rect;  // frame pixels
  TileModel model;
  float scale;  // tile side / short side of the frame (1 for the whole-frame pass)
  int cost;     // in front-128 inferences (the back-256 one costs ~3)
};

inline constexpr int kMinTile = 64;
inline constexpr double kMinOverlap = 0.25;

// Start offsets of windows of `size` covering [0, length), evenly spread, neighbours
// overlapping by >= min_overlap x size. One window at 0 when size >= length.
std::vector<int> tile_starts(int length, int size, double min_overlap);

// Every tile of the plan for a frame of this size: the whole-frame back-256 pass first,
// then the front-128 levels from coarse to fine.
std::vector<Tile> plan_tiles(cv::Size frame);

// The order tiles run in over one cycle. The coarse passes (scale 1: the whole frame and the
// short-side tiles, which find faces of about a tenth of the frame height and more) come
// back after every kCoarseEvery cost units of fine tiles, so a large face that comes into view
// (someone walking up to the camera, a cut) is found within ~kCoarseEvery + their cost units
// of work (0.27 s with faces.hpp's budget) rather than up to a whole cycle; every fine tile
// runs once. A coarse tile thus appears several times in the sequence.
inline constexpr int kCoarseEvery = 18;
std::vector<std::size_t> tile_sequence(const std::vector<Tile>& tiles);

// Splits tile_sequence(tiles) into consecutive groups, one a frame: each frame earns `budget`
// cost units (> 0, may be fractional) and runs the next tiles while what it has earned, plus
// what earlier frames left, pays for them. So n frames cost at most n x budget, and a tile
// dearer than the budget waits for frames that run nothing (empty groups). Group k runs on
// frames k, k + n, k + 2n, ... (indices into `tiles`).
std::vector<std::vector<std::size_t>> schedule_tiles(const std::vector<Tile>& tiles, double budget);

}  // namespace surg::detect
