// The annotation state machine on synthetic frames: slate length in frames, title timing,
// live captions within the frame they arrive, marks and their events.
#include <catch2/catch.hpp>

#include <fstream>

#include "helpers.hpp"
#include "surg/annotate/annotator.hpp"
#include "surg/annotate/graph.hpp"
#include "surg/media/mark_label.hpp"

using namespace surg::annotate;
using surg::Micros;
using json = nlohmann::json;

namespace {

constexpr int kW = 320, kH = 240, kGray = 100;

Plan base_settings() {
  Plan s;
  s.font = kDefaultFont;
  s.font_bold = kDefaultBoldFont;
  return s;
}

surg::media::VideoParams params() {
  surg::media::VideoParams v;
  v.width = kW, v.height = kH, v.time_base = {1, 90000}, v.frame_rate = {30, 1};
  return v;
}

// Frames at 30 fps starting at a non-zero pts, as a stream cut from a recording would.
std::int64_t pts_of(int n) { return 900000 + n * 3000; }

std::vector<json> read_events(const std::string& path) {
  std::vector<json> events;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) events.push_back(json::parse(line));
  return events;
}

struct Run {
  std::string events_path = test::temp_path("events.jsonl");
  surg::events::Emitter emitter{"surg-annotate", events_path};
  Annotator annotator;
  Run(const Plan& s, bool live) : annotator(s, params(), emitter, live) {}
  ~Run() { std::remove(events_path.c_str()); }
  Annotated frame(int n, std::vector<json> commands = {}) {
    return annotator.process(test::gray_frame(kW, kH, kGray, pts_of(n)), commands);
  }
};

}  // namespace

TEST_CASE("the warning slate covers exactly the frames of its duration, pts kept") {
  Plan s = base_settings();
  s.warning = Micros(1'000'000);
  s.warning_text = "WARNING: real surgery";
  Run run(s, false);
  for (int n = 0; n < 40; ++n) {
    Annotated out = run.frame(n);
    CHECK(out.frame->pts == pts_of(n));
    const bool slate = test::changed(*out.frame, 0, 0, kW, kH, kGray) > kW * kH / 2;
    CHECK(slate == (n < 30));
  }
  CHECK(run.annotator.stats()["slate_frames"] == 30);
  const auto events = read_events(run.events_path);
  REQUIRE(events.size() == 2);
  CHECK(events[1]["data"]["state"] == "end");
  CHECK(events[1]["pts"] == pts_of(30));
}

TEST_CASE("the lower third shows for --title-duration after the slate, where its event says") {
  Plan s = base_settings();
  s.title = "Ureteroscopy: l'équipe 100%";
  s.subtitle = "Dr Müller";
  s.warning = Micros(500'000);
  s.warning_text = "W";
  s.title_duration = Micros(1'000'000);
  Run run(s, false);
  std::vector<int> visible;
  for (int n = 0; n < 60; ++n)
    visible.push_back(test::changed(*run.frame(n).frame, 0, kH / 2, kW, kH / 2, kGray) > 200);
  const auto events = read_events(run.events_path);
  REQUIRE(events.size() == 6);  // slate start/end, title+subtitle shown, then hidden
  const json& title = events[2]["data"];
  CHECK(title["layer"] == "title");
  CHECK(title["visible"] == true);
  CHECK(title["y"].get<int>() + title["h"].get<int>() <= kH);
  for (int n = 15; n < 45; ++n) CHECK(visible[n]);
  for (int n = 45; n < 60; ++n) CHECK_FALSE(visible[n]);
  CHECK(events[4]["pts"] == pts_of(45));
}

TEST_CASE("a live caption appears in the frame after its command and leaves after its duration") {
  Run run(base_settings(), true);
  const auto caption_at = [&](const Annotated& a) {
    return test::changed(*a.frame, 0, kH * 2 / 3, kW, kH / 3, kGray) > 100;
  };
  CHECK_FALSE(caption_at(run.frame(0)));
  CHECK(caption_at(
      run.frame(1, {{{"cmd", "caption"}, {"text", "Here we are in the bladder"}, {"duration", 0.5}}})));
  for (int n = 2; n < 16; ++n) CHECK(caption_at(run.frame(n)));
  CHECK_FALSE(caption_at(run.frame(16)));
  CHECK(caption_at(run.frame(17, {{{"cmd", "caption"}, {"text", "again"}}})));
  CHECK_FALSE(caption_at(run.frame(18, {{{"cmd", "caption"}, {"text", ""}}})));
  const auto events = read_events(run.events_path);
  REQUIRE(events.size() >= 2);
  CHECK(events[0]["type"] == "caption");
  CHECK(events[0]["data"]["text"] == "Here we are in the bladder");
  CHECK(events[0]["pts"] == pts_of(1));
}

TEST_CASE("without --title, the title command shows, replaces and hides a title from its frame") {
  Run run(base_settings(), true);
  const auto lower_half = [](const Annotated& a) {
    return test::changed(*a.frame, 0, kH / 2, kW, kH / 2, kGray);
  };
  CHECK(lower_half(run.frame(0)) == 0);
  Annotated first = run.frame(1, {{{"cmd", "title"}, {"text", "Ureteroscopy"}}});
  CHECK(lower_half(first) > 100);
  Annotated kept = run.frame(2);
  CHECK(test::same_plane(*first.frame, *kept.frame, 0, kW, kH));
  // The same text again is not drawn again: nothing to pay for it.
  CHECK(run.annotator.stats()["renders"] == 1);
  run.frame(3, {{{"cmd", "title"}, {"text", "Ureteroscopy"}}});
  CHECK(run.annotator.stats()["renders"] == 1);
  Annotated second = run.frame(4, {{{"cmd", "title"}, {"text", "Laser lithotripsy"}}});
  CHECK(lower_half(second) > 100);
  CHECK_FALSE(test::same_plane(*first.frame, *second.frame, 0, kW, kH));
  CHECK(run.annotator.stats()["renders"] == 2);
  CHECK(lower_half(run.frame(5, {{{"cmd", "title"}, {"text", ""}}})) == 0);
  CHECK(lower_half(run.frame(6)) == 0);
  const auto events = read_events(run.events_path);
  REQUIRE(events.size() == 3);
  for (const auto& e : events) CHECK(e["data"]["layer"] == "title");
  CHECK(events[0]["pts"] == pts_of(1));
  CHECK(events[0]["data"]["text"] == "Ureteroscopy");
  CHECK(events[0]["data"]["visible"] == true);
  // Where --title puts it: the lower third, above the live caption's area.
  CHECK(events[0]["data"]["x"].get<int>() < kW / 4);
  CHECK(events[0]["data"]["y"].get<int>() + events[0]["data"]["h"].get<int>() <= kH - kH * 3 / 20);
  CHECK(events[1]["pts"] == pts_of(4));
  CHECK(events[1]["data"]["text"] == "Laser lithotripsy");
  CHECK(events[2]["pts"] == pts_of(5));
  CHECK(events[2]["data"]["text"] == "");
  CHECK(events[2]["data"]["visible"] == false);
}

TEST_CASE("a title command checked as --title is: a refused one changes nothing") {
  Plan s = base_settings();
  s.title = "Ureteroscopy";
  Run run(s, true);
  Annotated before = run.frame(0);
  Annotated after = run.frame(1, {{{"cmd", "title"}, {"text", "two\nlines"}},
                                  {{"cmd", "title"}, {"text", std::string(kMaxTitleBytes + 1, 'x')}},
                                  {{"cmd", "title"}, {"text", "clear\x1b[2Jscreen"}},
                                  {{"cmd", "title"}, {"text", 42}},
                                  {{"cmd", "title"}}});
  CHECK(test::changed(*before.frame, 0, kH / 2, kW, kH / 2, kGray) > 100);
  for (int p = 0; p < 3; ++p)
    CHECK(test::same_plane(*before.frame, *after.frame, p, p ? kW / 2 : kW, p ? kH / 2 : kH));
  const auto events = read_events(run.events_path);
  REQUIRE(events.size() == 1);  // the title shown at the start, nothing since
  CHECK(events[0]["data"]["text"] == "Ureteroscopy");
  // The longest title allowed is taken (its end may be cut to fit the frame, as --title's).
  run.frame(2, {{{"cmd", "title"}, {"text", std::string(kMaxTitleBytes, 'y')}}});
  CHECK(read_events(run.events_path).size() == 2);
}

TEST_CASE("at the top, a new title moves the subtitle under it") {
  Plan s = base_settings();
  s.position = Corner::top_left;
  s.title = "T";
  s.subtitle = "Dr Müller";
  Run run(s, true);
  const auto lowest_drawn_row = [](const Annotated& a) {
    int lowest = -1;
    for (int y = 0; y < kH / 2; ++y)
      if (test::changed(*a.frame, 0, y, kW, 1, kGray) > 0) lowest = y;
    return lowest;
  };
  const int one_line = lowest_drawn_row(run.frame(0));
  CHECK(one_line > 0);
  // Two lines of title now: the subtitle is drawn lower, not covered by the title.
  const int two_lines = lowest_drawn_row(
      run.frame(1, {{{"cmd", "title"}, {"text", "A much longer title that wraps onto two lines here"}}}));
  CHECK(two_lines > one_line + kH / 30);
  const auto events = read_events(run.events_path);
  REQUIRE(events.size() == 3);
  CHECK(events[2]["data"]["lines"].size() == 2);
  // No title: the subtitle goes up to where the title was.
  CHECK(lowest_drawn_row(run.frame(2, {{{"cmd", "title"}, {"text", ""}}})) < one_line);
}

TEST_CASE("a mark is returned at the frame of its command and emitted as an event") {
  Run run(base_settings(), true);
  run.frame(0);
  Annotated out = run.frame(
      1,
      {{{"cmd", "mark"}, {"label", "stone found"}}, {{"cmd", "privacy"}, {"on", true}}, {{"cmd", "mark"}}});
  CHECK(out.marks == std::vector<std::string>{"stone found"});
  CHECK(run.frame(2).marks.empty());
  const auto events = read_events(run.events_path);
  REQUIRE(events.size() == 1);
  CHECK(events[0]["type"] == "mark");
  CHECK(events[0]["data"]["label"] == "stone found");
  CHECK(events[0]["pts"] == pts_of(1));
  CHECK(events[0]["tb"] == "1/90000");
}

TEST_CASE("a mark whose label could not title a chapter is refused; the others are made") {
  Run run(base_settings(), true);
  run.frame(0);
  const std::string longest(surg::media::kMaxMarkLabelBytes, 'y');
  Annotated out = run.frame(1, {{{"cmd", "mark"}, {"label", "before"}},
                                {{"cmd", "mark"}, {"label", std::string(257, 'x')}},
                                {{"cmd", "mark"}, {"label", "clear\x1b[2Jscreen"}},
                                {{"cmd", "mark"}, {"label", "two\nlines"}},
                                {{"cmd", "mark"}, {"label", "Ur\xE9t\xE9ro"}},
                                {{"cmd", "mark"}, {"label", longest}}});
  CHECK(out.marks == std::vector<std::string>{"before", longest});
  const auto events = read_events(run.events_path);
  REQUIRE(events.size() == 2);
  CHECK(events[0]["data"]["label"] == "before");
  CHECK(events[1]["data"]["label"] == longest);
  // The stream goes on: the next frame takes commands as before.
  CHECK(run.frame(2, {{{"cmd", "mark"}, {"label", "after"}}}).marks == std::vector<std::string>{"after"});
}

TEST_CASE("the elapsed clock changes once a second, counted from the first frame") {
  Plan s = base_settings();
  s.clock = ClockMode::elapsed;
  s.clock_position = Corner::top_left;
  Run run(s, false);
  std::vector<surg::media::FramePtr> frames;
  for (int n = 0; n < 61; ++n) frames.push_back(std::move(run.frame(n).frame));
  const auto corner_equal = [&](int a, int b) {
    for (int y = 0; y < kH / 4; ++y)
      if (std::memcmp(frames[a]->data[0] + y * frames[a]->linesize[0],
                      frames[b]->data[0] + y * frames[b]->linesize[0], kW / 2))
        return false;
    return true;
  };
  CHECK(test::changed(*frames[0], 0, 0, kW / 2, kH / 4, kGray) > 50);
  CHECK(corner_equal(0, 29));
  CHECK_FALSE(corner_equal(29, 30));
  CHECK(corner_equal(30, 59));
  CHECK_FALSE(corner_equal(59, 60));
}

TEST_CASE("a hostile live caption renders literally, exactly as drawtext reads it from a file") {
  Run run(base_settings(), true);
  const std::string text = "a:b'c%{pts}\\n;[x]drawtext=text=pwned:fontsize=500";
  Annotated out = run.frame(0, {{{"cmd", "caption"}, {"text", text}}});
  const auto events = read_events(run.events_path);
  REQUIRE(events.size() == 1);
  const json& data = events[0]["data"];
  std::string lines;
  for (const auto& l : data["lines"]) lines += (lines.empty() ? "" : "\n") + l.get<std::string>();
  const std::string path = test::temp_path("caption.txt");
  std::ofstream(path, std::ios::binary) << lines;
  Args args{{"textfile", path}};
  for (const auto& [key, value] : data["drawtext"].items()) args.emplace_back(key, value.get<std::string>());
  Graph g;
  AVFilterContext* src = g.add("buffer", "in", video_source_args(kW, kH, AV_PIX_FMT_YUV420P, {1, 90000}));
  AVFilterContext* sink = g.chain(src, {g.add("drawtext", "t", args), g.add("buffersink", "out")});
  auto ref = run_once(g, src, sink, *test::gray_frame(kW, kH, kGray, 0));
  std::remove(path.c_str());
  for (int p = 0; p < 3; ++p) CHECK(test::same_plane(*out.frame, *ref, p, p ? kW / 2 : kW, p ? kH / 2 : kH));
  CHECK(test::changed(*out.frame, 0, kH / 2, kW, kH / 2, kGray) > 100);
  CHECK(test::changed(*out.frame, 0, 0, kW, kH / 3, kGray) == 0);  // no 500 px text
}
