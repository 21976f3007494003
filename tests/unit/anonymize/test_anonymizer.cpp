// The fail-closed core in process: a detector injected into the Anonymizer, one case per slate
// reason, and the look-ahead that applies later detections back to waiting frames.
#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <future>
#include <stdexcept>
#include <thread>

#include "surg/anonymize/anonymizer.hpp"
#include "surg/anonymize/lookahead.hpp"
#include "surg/media/av.hpp"

extern "C" {
#include <libavutil/frame.h>
}

using namespace surg::anonymize;
using surg::Micros;
using namespace std::chrono_literals;
using Clock = Anonymizer::Clock;

namespace {

const cv::Size kSize(320, 240);
constexpr std::uint8_t kWhiteY = 235;  // BT.601 limited range (planes.hpp)

// Returns what `boxes` says for the n-th search (tile part); throws or stalls on request.
class FakeDetector : public surg::detect::Detector {
 public:
  using Script = std::function<std::vector<surg::detect::Box>(std::int64_t)>;
  FakeDetector(Script script, int cycle) : script_(std::move(script)), cycle_(cycle) {}
  std::string name() const override { return "fake"; }
  std::vector<surg::detect::Box> detect(const cv::Mat&) override { return script_(-1); }
  std::vector<surg::detect::Box> detect_tiles(const cv::Mat&, std::int64_t i) override { return script_(i); }
  int full_cycle(cv::Size) const override { return cycle_; }

 private:
  Script script_;
  int cycle_;
};

std::unique_ptr<FakeDetector> fake(FakeDetector::Script script, int cycle = 1) {
  return std::make_unique<FakeDetector>(std::move(script), cycle);
}
std::vector<surg::detect::Box> none(std::int64_t) { return {}; }

Plan test_plan() {
  Options o;
  o.oob = false;
  o.live = true;
  o.method = "fill";
  o.fill_color = "white";
  o.pad = 0;
  return make_plan(o, "-");
}

// A mid-grey frame with a dark square where a "face" is.
surg::media::FramePtr frame() {
  auto f = surg::media::alloc_video_frame(kSize.width, kSize.height, AV_PIX_FMT_YUV420P);
  for (int y = 0; y < kSize.height; ++y) std::fill_n(f->data[0] + y * f->linesize[0], kSize.width, 120);
  for (int p = 1; p < 3; ++p)
    for (int y = 0; y < kSize.height / 2; ++y)
      std::fill_n(f->data[p] + y * f->linesize[p], kSize.width / 2, 128);
  return f;
}

std::uint8_t luma(const AVFrame& f, int x, int y) { return f.data[0][y * f.linesize[0] + x]; }

SlateReason run_one(Anonymizer& a, bool behind = false, Clock::time_point deadline = Clock::now() + 2s) {
  auto f = frame();
  return a.process(*f, 0, Micros(0), deadline, behind).slate;
}

}  // namespace

TEST_CASE("anonymizer: a clean frame leaves with its faces covered") {
  Anonymizer a(test_plan(), kSize, 30, fake([](std::int64_t) {
                 return std::vector<surg::detect::Box>{{cv::Rect2f(100, 100, 40, 40), 0.9f}};
               }));
  auto f = frame();
  const auto r = a.process(*f, 0, Micros(0), Clock::now() + 2s, false);
  CHECK(r.slate == SlateReason::none);
  CHECK(luma(*f, 120, 120) == kWhiteY);
  CHECK(luma(*f, 10, 10) == 120);
}

TEST_CASE("anonymizer: every slate reason, one case each") {
  SECTION("privacy on request") {
    Anonymizer a(test_plan(), kSize, 30, fake(none));
    a.set_privacy(true);
    CHECK(run_one(a) == SlateReason::privacy);
  }
  SECTION("behind the live stream") {
    Anonymizer a(test_plan(), kSize, 30, fake(none));
    CHECK(run_one(a, true) == SlateReason::behind);
  }
  SECTION("detector unavailable (missing model)") {
    Plan o = test_plan();
    o.model_dir = "/nonexistent/models";
    Anonymizer a(o, kSize, 30);
    CHECK_FALSE(a.unavailable().empty());
    CHECK(run_one(a) == SlateReason::unavailable);
  }
  SECTION("detector failed") {
    Anonymizer a(test_plan(), kSize, 30, fake([](std::int64_t) -> std::vector<surg::detect::Box> {
                   throw std::runtime_error("boom");
                 }));
    auto f = frame();
    const auto r = a.process(*f, 0, Micros(0), Clock::now() + 2s, false);
    CHECK(r.slate == SlateReason::failed);
    CHECK(r.error.find("boom") != std::string::npos);
  }
  SECTION("detector late") {
    Anonymizer a(test_plan(), kSize, 30, fake([](std::int64_t) {
                   std::this_thread::sleep_for(300ms);
                   return std::vector<surg::detect::Box>{};
                 }));
    CHECK(run_one(a, false, Clock::now() + 20ms) == SlateReason::late);
  }
  SECTION("warm-up: live, no look-ahead, the first tile cycle") {
    Anonymizer a(test_plan(), kSize, 30, fake(none, 3));
    CHECK(run_one(a) == SlateReason::warmup);
    CHECK(run_one(a) == SlateReason::warmup);
    CHECK(run_one(a) == SlateReason::none);
  }
  SECTION("out of body (the classifier starts protected)") {
    Plan o = test_plan();
    o.oob = true;
    Anonymizer a(o, kSize, 30, fake(none));
    CHECK(run_one(a) == SlateReason::out_of_body);
  }
  SECTION("every slated frame is the slate, not the picture") {
    Anonymizer a(test_plan(), kSize, 30, fake(none));
    a.set_privacy(true);
    auto f = frame();
    a.process(*f, 0, Micros(0), Clock::now() + 2s, false);
    int unchanged = 0;
    for (int y = 0; y < kSize.height; y += 8)
      for (int x = 0; x < kSize.width; x += 8) unchanged += luma(*f, x, y) == 120;
    CHECK(unchanged < 10);  // of 1200 samples: the card's text may cross the grey by chance
  }
}

namespace {

// Frames 0..n-1 through admit -> LookAhead -> release, as the stage does; returns them released.
std::vector<Pending> run_lookahead(Anonymizer& a, LookAhead& la, int n, Micros interval) {
  std::vector<Pending> out;
  for (int i = 0; i < n; ++i) {
    Pending p{frame(), i, interval * i, {}};
    p.result = a.admit(*p.frame, i, Clock::now() + 2s, false);
    la.push(a, std::move(p));
    while (auto r = la.pop()) {
      a.release(*r->frame, r->t, r->result);
      out.push_back(std::move(*r));
    }
  }
  la.settle_last(a);
  while (auto r = la.pop(true, true)) {
    a.release(*r->frame, r->t, r->result);
    out.push_back(std::move(*r));
  }
  return out;
}

}  // namespace

namespace {
// A face that comes into view at frame 5; the part of the cycle that looks where it is runs on
// every 4th frame (3, 7, ...), so it is first found on frame 7.
std::vector<surg::detect::Box> entering(std::int64_t i) {
  if (i % 4 != 3 || i < 5) return {};
  return {{cv::Rect2f(100, 100, 40, 40), 0.9f}};
}
}  // namespace

TEST_CASE("look-ahead: a face found late in the cycle is covered on the frames before") {
  const Micros interval(33333);
  Anonymizer a(test_plan(), kSize, 30, fake(entering, 4));
  a.set_lookahead(3, interval * 3);
  LookAhead la(3, 4);
  const auto out = run_lookahead(a, la, 10, interval);
  REQUIRE(out.size() == 10);
  for (const auto& p : out) {
    INFO("frame " << p.index);
    CHECK(p.result.slate == SlateReason::none);  // no warm-up: the first frame waited instead
    if (p.index >= 5) CHECK(luma(*p.frame, 120, 120) == kWhiteY);
  }
}

TEST_CASE("look-ahead: without it, the same face leaks until its part of the cycle runs") {
  Anonymizer a(test_plan(), kSize, 30, fake(entering, 4));
  int leaked = 0;
  for (int i = 0; i < 10; ++i) {
    auto f = frame();
    const auto r = a.process(*f, i, Micros(33333 * i), Clock::now() + 2s, false);
    if (i >= 5 && r.slate == SlateReason::none && luma(*f, 120, 120) != kWhiteY) ++leaked;
  }
  CHECK(leaked == 2);  // frames 5 and 6
}

TEST_CASE("look-ahead: a window that did not see a whole cycle leaves as the slate") {
  const Micros interval(33333);
  // The second search fails: frame 1 is the slate (failed), and frame 0's window (frames 0..3)
  // saw parts 0, 2, 3 only.
  Anonymizer a(test_plan(), kSize, 30,
               fake(
                   [](std::int64_t i) -> std::vector<surg::detect::Box> {
                     if (i == 1) throw std::runtime_error("boom");
                     return {};
                   },
                   4));
  a.set_lookahead(3, interval * 3);
  LookAhead la(3, 4);
  // Frame 4 joins so that frame 3's analysis is taken in and frame 0 leaves before the end.
  const auto out = run_lookahead(a, la, 3 + 2, interval);
  REQUIRE(out.size() == 5);
  CHECK(out[0].result.slate == SlateReason::warmup);
  CHECK(out[1].result.slate == SlateReason::failed);
}

TEST_CASE("offline: the first frame is searched whole only when no look-ahead holds a cycle") {
  // detect() is the search with every tile; detect_tiles() one part of the cycle.
  int whole = 0;
  auto counting = [&whole](std::int64_t i) -> std::vector<surg::detect::Box> {
    whole += i < 0;
    return {};
  };
  Plan offline = test_plan();
  offline.live = false;
  const Micros interval(33333);
  SECTION("a look-ahead of a cycle: the first frame waits for the cycle like the others") {
    Anonymizer a(offline, kSize, 30, fake(counting, 4));
    a.set_lookahead(3, interval * 3);
    LookAhead la(3, 4);
    const auto out = run_lookahead(a, la, 8, interval);
    REQUIRE(out.size() == 8);
    for (const auto& p : out) CHECK(p.result.slate == SlateReason::none);
    CHECK(whole == 0);
  }
  SECTION("no look-ahead (--max-lag 0): the first frame gets every tile at once") {
    Anonymizer a(offline, kSize, 30, fake(counting, 4));
    for (int i = 0; i < 3; ++i) {
      auto f = frame();
      CHECK(a.process(*f, i, interval * i, Clock::now() + 2s, false).slate == SlateReason::none);
    }
    CHECK(whole == 1);
  }
}

TEST_CASE("look-ahead: the main thread goes on while the worker analyses the newest frame") {
  // The detector holds frame 0's search until the test lets it go: pushing frame 0 returns
  // meanwhile (a serial loop would wait out the deadline and leave frame 0 as detector-late).
  std::promise<void> go;
  auto let_go = go.get_future().share();
  Anonymizer a(test_plan(), kSize, 30, fake([let_go](std::int64_t) -> std::vector<surg::detect::Box> {
                 let_go.wait();
                 return {{cv::Rect2f(100, 100, 40, 40), 0.9f}};
               }));
  const Micros interval(33333);
  a.set_lookahead(1, interval);
  LookAhead la(1, 0);
  const auto deadline = Clock::now() + 5s;
  Pending first{frame(), 0, Micros(0), {}};
  first.result = a.admit(*first.frame, 0, deadline, false);
  la.push(a, std::move(first));
  CHECK_FALSE(la.pop());  // its analysis is not in: it is in no window yet
  go.set_value();
  Pending second{frame(), 1, interval, {}};
  second.result = a.admit(*second.frame, 1, deadline, false);
  la.push(a, std::move(second));                    // takes in frame 0's analysis
  CHECK_FALSE(la.pop());                            // frame 0 waits for one settled frame after it
  CHECK_THROWS_AS(la.pop(true), std::logic_error);  // the end of input settles the newest first
  la.settle_last(a);
  auto out = la.pop();
  REQUIRE(out);
  CHECK(out->result.slate == SlateReason::none);
  CHECK(out->result.detections == 1);
  a.release(*out->frame, out->t, out->result);
  CHECK(luma(*out->frame, 120, 120) == kWhiteY);
}

TEST_CASE("look-ahead plan: the window is a cycle when --max-lag allows, none at 0") {
  const Micros interval(33333);
  auto p = plan_lookahead(Micros(1500000), 30, interval);
  CHECK(p.frames == 29);
  CHECK(p.complete);
  CHECK(p.analysis >= kAnalysisSlack);
  p = plan_lookahead(Micros(0), 30, interval);
  CHECK(p.frames == 0);
  CHECK_FALSE(p.complete);
  CHECK(p.analysis == kAnalysisSlack);
  // 300 ms past the analysis' 500: nine frames, one of them the next frame, whose arrival
  // takes in a frame's analysis.
  p = plan_lookahead(Micros(800000), 30, interval);
  CHECK(p.frames == 8);
  CHECK(p.added == interval * 9);
  CHECK_FALSE(p.complete);
}
