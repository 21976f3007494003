#include <catch2/catch.hpp>

#include "surg/anonymize/lag.hpp"
#include "surg/anonymize/oob_state.hpp"
#include "surg/anonymize/tracker.hpp"

using namespace surg::anonymize;
using std::chrono::milliseconds;
using surg::Micros;

namespace {
Micros ms(int v) { return Micros(v * 1000); }
surg::detect::Box box(float x, float y, float w, float h) { return {cv::Rect2f(x, y, w, h), 0.9f}; }
// The look-ahead tests' tracker: held 500 ms, no padding, detections known up to 1 s ahead.
FaceTracker lookahead_tracker() {
  FaceTracker tracker(ms(500), 0.0f);
  tracker.set_lookahead(ms(1000));
  return tracker;
}
}  // namespace

TEST_CASE("a face detected once is held for --hold, then released") {
  FaceTracker tracker(ms(500), 0.0f);
  const cv::Size frame(640, 480);
  tracker.update(ms(0), {box(100, 100, 50, 50)});
  auto now = tracker.covered(ms(0), frame);
  REQUIRE(now.size() == 1);
  CHECK_FALSE(now[0].held);
  for (int t = 33; t <= 500; t += 33) {
    tracker.update(ms(t), {});
    auto c = tracker.covered(ms(t), frame);
    REQUIRE(c.size() == 1);
    CHECK(c[0].held);
    CHECK((c[0].rect & cv::Rect(100, 100, 50, 50)) == cv::Rect(100, 100, 50, 50));
  }
  tracker.update(ms(534), {});
  CHECK(tracker.covered(ms(534), frame).empty());
}

TEST_CASE("pad grows every side") {
  FaceTracker tracker(ms(500), 0.1f);
  tracker.update(ms(0), {box(100, 100, 100, 100)});
  const auto c = tracker.covered(ms(0), {640, 480});
  REQUIRE(c.size() == 1);
  CHECK(c[0].rect == cv::Rect(90, 90, 120, 120));
}

TEST_CASE("a part of a face found by a finer tile does not shrink the face's box") {
  FaceTracker tracker(ms(500), 0.0f, ms(800));
  const cv::Size frame(1000, 1000);
  tracker.update(ms(0), {box(400, 400, 200, 200)});    // the coarse pass: the whole face
  tracker.update(ms(300), {box(400, 400, 100, 100)});  // a fine tile: its upper-left quarter
  REQUIRE(tracker.tracks() == 1);
  const auto c = tracker.covered(ms(300), frame);
  REQUIRE(c.size() == 1);
  CHECK((c[0].rect & cv::Rect(400, 400, 200, 200)) == cv::Rect(400, 400, 200, 200));
  // Once the whole face is older than the memory (a cycle), only what was seen since counts.
  tracker.update(ms(1200), {box(400, 400, 100, 100)});
  CHECK(tracker.covered(ms(1200), frame)[0].rect == cv::Rect(400, 400, 100, 100));
}

TEST_CASE("boxes follow motion between detections") {
  FaceTracker tracker(ms(500), 0.0f);
  const cv::Size frame(1000, 480);
  tracker.update(ms(0), {box(100, 100, 50, 50)});
  tracker.update(ms(100), {box(120, 100, 50, 50)});  // 200 px/s to the right
  tracker.update(ms(200), {});
  const auto c = tracker.covered(ms(200), frame);
  REQUIRE(c.size() == 1);
  // Covers the last place (x 120..170) and the predicted one (x 140..190).
  CHECK(c[0].rect.x <= 120);
  CHECK(c[0].rect.x + c[0].rect.width >= 190);
  CHECK(tracker.tracks() == 1);
}

TEST_CASE("prediction is capped at one box size") {
  FaceTracker tracker(ms(2000), 0.0f);
  tracker.update(ms(0), {box(100, 100, 20, 20)});
  tracker.update(ms(10), {box(110, 100, 20, 20)});  // 1000 px/s
  const auto c = tracker.covered(ms(1000), {2000, 480});
  REQUIRE(c.size() == 1);
  // Moved by at most one box size, grown by at most half a box size a side.
  CHECK(c[0].rect.x + c[0].rect.width <= 110 + 20 + 20 + 10);
}

TEST_CASE("a held box grows with the time since its detection, up to half its size") {
  FaceTracker tracker(ms(2000), 0.0f);
  const cv::Size frame(1000, 1000);
  tracker.update(ms(0), {box(400, 400, 100, 100)});
  CHECK(tracker.covered(ms(0), frame)[0].rect == cv::Rect(400, 400, 100, 100));
  CHECK(tracker.covered(ms(500), frame)[0].rect == cv::Rect(375, 375, 150, 150));
  CHECK(tracker.covered(ms(1500), frame)[0].rect == cv::Rect(350, 350, 200, 200));
}

TEST_CASE("separate faces make separate tracks") {
  FaceTracker tracker(ms(500), 0.0f);
  tracker.update(ms(0), {box(10, 10, 40, 40), box(300, 200, 40, 40)});
  tracker.update(ms(33), {box(12, 10, 40, 40)});
  CHECK(tracker.tracks() == 2);
  CHECK(tracker.covered(ms(33), {640, 480}).size() == 2);
}

TEST_CASE("out of body: enter at once, leave after --oob-exit in body, start protected") {
  OobState s(ms(1000));
  CHECK(s.out_of_body());
  CHECK(s.update(ms(0), true));
  CHECK(s.update(ms(900), true));
  CHECK_FALSE(s.update(ms(1000), true));
  CHECK(s.update(ms(1033), false));  // one frame is enough to enter
  CHECK(s.entries() == 1);
  CHECK(s.update(ms(1066), true));
  CHECK(s.update(ms(1500), true));
  s.unknown();  // an unclassified frame breaks the run
  CHECK(s.update(ms(1600), true));
  CHECK(s.update(ms(2500), true));
  CHECK_FALSE(s.update(ms(2600), true));
}

TEST_CASE("lag distribution: percentiles to the millisecond above, the maximum exact") {
  LagHistogram h;
  CHECK(h.percentile(0.99) == Micros(0));                        // nothing added
  for (int i = 1; i <= 100; ++i) h.add(Micros(i * 1000 - 400));  // 0.6, 1.6, ..., 99.6 ms
  h.add(Micros(-5000));                                          // ahead of the stream counts as 0
  CHECK(h.count() == 101);
  CHECK(h.percentile(0.5) == ms(50));   // the 51st of 101: 49.6 ms, in the bin up to 50
  CHECK(h.percentile(0.99) == ms(99));  // the 100th: 98.6 ms, rounded up
  CHECK(h.percentile(1.0) == Micros(99600));
  CHECK(h.max() == Micros(99600));
  // Beyond the last bin only the maximum is known.
  h.add(Micros(3600000000));
  h.add(Micros(7200000000));
  CHECK(h.percentile(1.0) == Micros(7200000000));
  CHECK(h.max() == Micros(7200000000));
}

TEST_CASE("lag: behind when processing falls behind the stream, not after an upstream pause") {
  using Clock = LagMeter::Clock;
  LagMeter lag(ms(500), ms(33));
  const Clock::time_point t0{};
  lag.arrived(ms(0), t0, ms(0));
  CHECK_FALSE(lag.behind(t0 + milliseconds(100)));
  // Frames queued in the pipe (reads never wait) while each takes 50 ms: lag grows.
  lag.arrived(ms(1000), t0 + milliseconds(1520), ms(0));
  CHECK(lag.behind(t0 + milliseconds(1520)));
  CHECK(lag.deadline() == t0 + milliseconds(1500));
  // The producer paused, the read waited: not behind.
  lag.arrived(ms(1033), t0 + milliseconds(4000), ms(2000));
  CHECK_FALSE(lag.behind(t0 + milliseconds(4010)));
  CHECK(lag.deadline() == t0 + milliseconds(4500));
}

TEST_CASE("overlapping covered boxes are merged into their union") {
  const std::vector<Covered> boxes = {{{0, 0, 10, 10}, 0.9f, false, ms(0)},
                                      {{5, 0, 10, 10}, 0.5f, true, ms(100)},
                                      {{9, 9, 10, 10}, 0.8f, false, ms(0)},
                                      {{100, 100, 4, 4}, 0.7f, false, ms(0)}};
  const auto merged = merge_overlapping(boxes);
  REQUIRE(merged.size() == 3);
  CHECK(merged[0].rect == cv::Rect(0, 0, 15, 10));
  CHECK(merged[0].score == 0.5f);
  CHECK(merged[0].held);
  CHECK(merged[1].rect == cv::Rect(9, 9, 10, 10));  // overlaps by 1 px only: kept apart
}

TEST_CASE("look-ahead: a face first found later is covered on earlier frames, back along its motion") {
  FaceTracker tracker = lookahead_tracker();
  const cv::Size frame(2000, 480);
  // Moving right at 400 px/s, found at 600 ms and again at 700 ms.
  tracker.update(ms(600), {box(300, 100, 100, 100)});
  tracker.update(ms(700), {box(340, 100, 100, 100)});
  REQUIRE(tracker.tracks() == 1);
  // At 300 ms it was around x = 180: drawn back by the velocity of the second sighting.
  const auto c = tracker.covered(ms(300), frame);
  REQUIRE(c.size() == 1);
  CHECK(c[0].held);
  CHECK(c[0].rect.x <= 180);
  CHECK(c[0].rect.x + c[0].rect.width >= 340);
  // Beyond the look-ahead nothing is drawn back.
  CHECK(tracker.covered(ms(600) - ms(1001), frame).empty());
}

TEST_CASE("look-ahead: with one sighting, the area grows with the time back") {
  FaceTracker tracker = lookahead_tracker();
  tracker.update(ms(1000), {box(400, 200, 40, 40)});
  const auto near = tracker.covered(ms(900), {1000, 1000});
  const auto far = tracker.covered(ms(500), {1000, 1000});
  REQUIRE(near.size() == 1);
  REQUIRE(far.size() == 1);
  CHECK((near[0].rect & cv::Rect(400, 200, 40, 40)) == cv::Rect(400, 200, 40, 40));
  CHECK(far[0].rect.area() > near[0].rect.area());
  CHECK(far[0].rect.width <= 40 + 2 * static_cast<int>(kMaxBackGrowth * 40) + 2);
}

TEST_CASE("look-ahead: a face first found at rest near an edge is covered on its way in from it") {
  FaceTracker tracker = lookahead_tracker();
  const cv::Size frame(1280, 720);
  // Found twice at rest, 100 px above the bottom edge (it slid in from there and stopped).
  tracker.update(ms(1000), {box(567, 592, 26, 28)});
  tracker.update(ms(1100), {box(567, 592, 26, 28)});
  // 370 ms earlier it was still coming up from the bottom: 31 px lower than where it stopped.
  const auto c = tracker.covered(ms(630), frame);
  REQUIRE(c.size() == 1);
  const cv::Rect on_its_way(567, 623, 26, 28);
  CHECK((c[0].rect & on_its_way) == on_its_way);
  CHECK(c[0].rect.y + c[0].rect.height == 720);
  // Only towards the nearest edge: it did not come from the left.
  CHECK(c[0].rect.x > 500);
}

TEST_CASE("look-ahead: a face first found far from every edge gets no path in from one") {
  FaceTracker tracker = lookahead_tracker();
  const cv::Size frame(1280, 720);
  tracker.update(ms(1000), {box(600, 330, 40, 40)});
  // 330 px from the top: out of reach in 100 ms (1.5 frame heights a second = 108 px).
  const auto c = tracker.covered(ms(900), frame);
  REQUIRE(c.size() == 1);
  CHECK(c[0].rect.y > 250);
  CHECK(c[0].rect.y + c[0].rect.height < 470);
}

TEST_CASE("look-ahead: a detector miss is bridged both ways, longer than --hold") {
  FaceTracker tracker(ms(200), 0.0f);
  tracker.set_lookahead(ms(1000));
  const cv::Size frame(1000, 480);
  tracker.update(ms(0), {box(100, 100, 50, 50)});
  tracker.update(ms(300), {});
  tracker.update(ms(600), {box(130, 100, 50, 50)});
  // At 400 ms the hold of the first sighting is over, but the face is seen again at 600 ms:
  // the frame between is covered on the path between the two sightings.
  const auto c = tracker.covered(ms(400), frame);
  REQUIRE(c.size() == 1);
  CHECK(c[0].rect.x <= 100);
  CHECK(c[0].rect.x + c[0].rect.width >= 180);
  CHECK(tracker.tracks() == 1);
}
