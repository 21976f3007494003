// The tile plan covers the frame with overlapping tiles at each scale; the schedule runs each
// tile once per cycle.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "surg/detect/faces.hpp"
#include "surg/detect/tiles.hpp"

using namespace surg::detect;

TEST_CASE("tile_starts spans the length with >= 25% overlap") {
  for (auto [length, size] : {std::pair{1920, 270}, {1080, 540}, {400, 75}, {300, 300}, {1000, 999}}) {
    const auto starts = tile_starts(length, size, kMinOverlap);
    CHECK(starts.front() == 0);
    CHECK(starts.back() + size == (size >= length ? size : length));
    for (size_t i = 1; i < starts.size(); ++i) {
      CHECK(starts[i - 1] + size - starts[i] >= 0.25 * size);
    }
  }
}

TEST_CASE("every level of the plan covers every pixel of the frame") {
  for (cv::Size frame : {cv::Size(1920, 1080), cv::Size(1280, 720), cv::Size(400, 300), cv::Size(300, 400)}) {
    const auto tiles = plan_tiles(frame);
    REQUIRE(tiles.front().model == TileModel::back256);
    CHECK(tiles.front().rect == cv::Rect({0, 0}, frame));
    for (float level : {1.0f, 0.5f, 0.25f}) {
      cv::Mat covered(frame, CV_8U, cv::Scalar(0));
      int count = 0;
      for (const auto& t : tiles) {
        if (t.model != TileModel::front128 || t.scale != level) continue;
        CHECK(t.rect.width == t.rect.height);
        CHECK((t.rect & cv::Rect({0, 0}, frame)) == t.rect);
        covered(t.rect).setTo(255);
        ++count;
      }
      INFO(frame << " level " << level);
      CHECK(count > 0);
      CHECK(cv::countNonZero(covered) == frame.area());
    }
  }
}

TEST_CASE("small frames get no tiles below kMinTile") {
  const auto tiles = plan_tiles({52, 40});
  for (const auto& t : tiles) CHECK((t.scale == 1.0f));
}

TEST_CASE("the schedule runs every tile in a cycle, within the budget") {
  const auto tiles = plan_tiles({1920, 1080});
  for (double budget : {6.0, 3.0, 1.5, 1.0, 0.75}) {
    INFO("budget " << budget);
    const auto groups = schedule_tiles(tiles, budget);
    std::multiset<size_t> seen;
    int spent = 0;
    for (size_t k = 0; k < groups.size(); ++k) {
      for (size_t i : groups[k]) seen.insert(i), spent += tiles[i].cost;
      CHECK(spent <= (static_cast<double>(k) + 1) * budget + 1e-6);  // never ahead of what frames earned
    }
    CHECK(std::set<size_t>(seen.begin(), seen.end()).size() == tiles.size());
    for (size_t i = 0; i < tiles.size(); ++i) {
      if (tiles[i].scale < 1.0f) CHECK(seen.count(i) == 1);  // fine tiles once a cycle
    }
    CHECK(static_cast<double>(groups.size()) <= std::ceil(spent / budget) + 1);  // and never idle long
  }
}

TEST_CASE("the coarse passes come back every few frames, and after a wrap too") {
  for (cv::Size frame : {cv::Size(1920, 1080), cv::Size(960, 540), cv::Size(512, 366), cv::Size(300, 400)}) {
    INFO(frame);
    const auto tiles = plan_tiles(frame);
    const auto groups = schedule_tiles(tiles, 3.0);
    // Frames since the whole-frame pass last ran, over two cycles (the schedule repeats).
    int longest = 0, since = 0;
    for (int k = 0; k < 2 * static_cast<int>(groups.size()); ++k) {
      const auto& g = groups[static_cast<size_t>(k) % groups.size()];
      const bool whole =
          std::any_of(g.begin(), g.end(), [&](size_t i) { return tiles[i].model == TileModel::back256; });
      since = whole ? 0 : since + 1;
      longest = std::max(longest, since);
    }
    CHECK(longest <= (kCoarseEvery + 6) / 3 + 1);  // (fine units + coarse units) / budget
  }
  CHECK(schedule_tiles(plan_tiles({1920, 1080}), 3.0).size() == 30);  // detector.hpp: 16:9 at 30 fps
}

TEST_CASE("the tile budget is a fixed amount a second") {
  CHECK(tile_budget(30) == Approx(3));
  CHECK(tile_budget(15) == Approx(6));
  CHECK(tile_budget(60) == Approx(1.5));
  CHECK(tile_budget(0) == Approx(3));  // unknown rate: as at 30 fps
  // anonymize_faces.sh reads this cycle back from surg-anonymize's log for a 30 fps stream.
  CHECK(schedule_tiles(plan_tiles({512, 366}), tile_budget(30)).size() == 23);
}
