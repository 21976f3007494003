#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "surg/media/stream.hpp"
#include "surg/push/chapters.hpp"
#include "surg/push/plan.hpp"
#include "surg/push/session.hpp"

using namespace surg;
using namespace surg::push;
namespace fs = std::filesystem;

TEST_CASE("each chapter runs from its mark to the next mark or the end") {
  ChapterList list({1, 90000});
  list.add_mark(90000, "stone");
  list.add_mark(45000, "incision");
  list.set_end(180000);
  const auto c = list.chapters();
  REQUIRE(c.size() == 2);
  CHECK(c[0].title == "incision");
  CHECK(c[0].start == 45000);
  CHECK(c[0].end == 90000);
  CHECK(c[1].title == "stone");
  CHECK(c[1].end == 180000);
}

TEST_CASE("from_zero adds a lead chapter only when the first mark is later") {
  ChapterList list({1, 1000});
  list.add_mark(500, "a");
  list.set_end(2000);
  const auto c = list.chapters(true);
  REQUIRE(c.size() == 2);
  CHECK(c[0].start == 0);
  CHECK(c[0].end == 500);
  ChapterList at_zero({1, 1000});
  at_zero.add_mark(0, "a");
  CHECK(at_zero.chapters(true).size() == 1);
}

TEST_CASE("a mark before the first frame starts at 0") {
  ChapterList list({1, 1000});
  list.add_mark(-5, "early");
  list.set_end(10);
  CHECK(list.chapters().at(0).start == 0);
}

namespace {

constexpr int kFrames = 60;  // 2 s at 30 fps

// A 2 s surg stream (320x240, stereo tone) with marks at frames 15 and 45.
void write_stream(const fs::path& path) {
  media::StreamInfo info;
  info.video = media::VideoParams{320, 240, AV_PIX_FMT_YUV420P, {1, 90000}, {30, 1}, {1, 1}};
  info.audio = media::AudioParams{48000, 2, {1, 48000}};
  info.marks = true;
  info.tags = {{media::kTagCase, "CASE-TEST"}};
  media::Writer writer(path.string(), info);
  for (int i = 0; i < kFrames; ++i) {
    auto frame = media::alloc_video_frame(320, 240, AV_PIX_FMT_YUV420P);
    for (int p = 0; p < 3; ++p)
      std::memset(frame->data[p], 16 + i * 3, static_cast<std::size_t>(frame->linesize[p]) * (p ? 120 : 240));
    frame->pts = i * 3000;
    writer.write_video(*frame);
    auto audio = media::alloc_audio_frame(1600, 2, 48000, AV_SAMPLE_FMT_S16);
    std::memset(audio->data[0], 0, 1600 * 4);
    audio->pts = i * 1600;
    writer.write_audio_frame(*audio);
    if (i == 15) writer.write_mark(i * 3000, "incision");
    if (i == 45) writer.write_mark(i * 3000, "stone é:%'\\");
  }
  writer.finish();
}

// What surg-push does with one input file: plan, read, feed, finish.
nlohmann::json push_file(const fs::path& input, const std::vector<std::string>& destinations) {
  Options options;
  options.destinations = destinations;
  const Plan plan = make_plan(options);
  media::Reader reader(input.string());
  Session session(plan, reader, reader.info().tags);
  while (auto unit = reader.next()) session.feed(*unit);
  session.finish();
  REQUIRE(session.status() == 0);
  return session.stats();
}

struct ProbedChapter {
  double start, end;
  std::string title;
};

std::vector<ProbedChapter> probe_chapters(const fs::path& path) {
  AVFormatContext* ctx = nullptr;
  REQUIRE(avformat_open_input(&ctx, path.c_str(), nullptr, nullptr) == 0);
  avformat_find_stream_info(ctx, nullptr);
  std::vector<ProbedChapter> out;
  for (unsigned i = 0; i < ctx->nb_chapters; ++i) {
    const AVChapter* c = ctx->chapters[i];
    const AVDictionaryEntry* t = av_dict_get(c->metadata, "title", nullptr, 0);
    out.push_back({c->start * av_q2d(c->time_base), c->end * av_q2d(c->time_base), t ? t->value : ""});
  }
  avformat_close_input(&ctx);
  return out;
}

}  // namespace

TEST_CASE("marks in the surg stream become chapters in mkv and mp4 recordings") {
  const fs::path dir = fs::temp_directory_path() / ("surg-push-chapters-" + std::to_string(getpid()));
  fs::create_directories(dir);
  write_stream(dir / "in.nut");

  const auto stats = push_file(
      dir / "in.nut", {(dir / "out.mkv").string(), (dir / "out.mp4").string(), (dir / "out.ts").string()});
  CHECK(stats["frames_in"] == kFrames);
  CHECK(stats["marks"] == 2);

  for (const char* name : {"out.mkv", "out.mp4"}) {
    CAPTURE(name);
    auto chapters = probe_chapters(dir / name);
    if (std::string(name) == "out.mp4") {  // mp4 covers the time before the first mark
      REQUIRE(chapters.size() == 3);
      CHECK(chapters[0].title == kLeadTitle);
      CHECK(chapters[0].start == 0);
      chapters.erase(chapters.begin());
    }
    REQUIRE(chapters.size() == 2);
    CHECK(chapters[0].title == "incision");
    CHECK(chapters[0].start == Approx(0.5).margin(1.0 / 30));
    CHECK(chapters[0].end == Approx(1.5).margin(1.0 / 30));
    CHECK(chapters[1].title == "stone é:%'\\");
    CHECK(chapters[1].start == Approx(1.5).margin(1.0 / 30));
    CHECK(chapters[1].end == Approx(2.0).margin(1.0 / 30));
  }
  CHECK(probe_chapters(dir / "out.ts").empty());
  fs::remove_all(dir);
}

TEST_CASE("chapters of the source never pass, only marks") {
  const fs::path dir = fs::temp_directory_path() / ("surg-push-nochapters-" + std::to_string(getpid()));
  fs::create_directories(dir);
  {
    media::StreamInfo info;
    info.video = media::VideoParams{64, 64, AV_PIX_FMT_YUV420P, {1, 30}, {30, 1}, {1, 1}};
    media::Writer writer((dir / "in.nut").string(), info);
    for (int i = 0; i < 10; ++i) {
      auto frame = media::alloc_video_frame(64, 64, AV_PIX_FMT_YUV420P);
      av_frame_make_writable(frame.get());
      frame->pts = i;
      writer.write_video(*frame);
    }
  }
  const auto stats = push_file(dir / "in.nut", {(dir / "v.mkv").string()});
  CHECK(probe_chapters(dir / "v.mkv").empty());
  CHECK(stats["frames_encoded"] == 10);
  fs::remove_all(dir);
}

TEST_CASE("the marks sidecar is appended as marks come, private, and removed on request") {
  const fs::path dir = fs::temp_directory_path() / ("surg-marks-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string rec = (dir / "rec.mkv").string();
  {
    MarksSidecar marks(rec);
    CHECK_FALSE(fs::exists(marks.path()));  // nothing until the first mark
    CHECK(marks.add(90000, {1, 90000}, "stone"));
    CHECK(marks.add(180000, {1, 90000}, "l'uretère \"100%\""));
    CHECK(marks.path() == rec + ".marks");
    CHECK((fs::status(marks.path()).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));
    std::ifstream in(marks.path());
    std::string first, second;
    std::getline(in, first);
    std::getline(in, second);
    const auto a = nlohmann::json::parse(first), b = nlohmann::json::parse(second);
    CHECK(a["label"] == "stone");
    CHECK(a["pts"] == 90000);
    CHECK(a["tb"] == "1/90000");
    CHECK(a["seconds"] == Approx(1.0));
    CHECK(b["label"] == "l'uretère \"100%\"");
    marks.remove();
    CHECK_FALSE(fs::exists(marks.path()));
  }
  fs::remove_all(dir);
}
