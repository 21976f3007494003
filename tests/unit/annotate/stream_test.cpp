// The whole loop over real surg streams: audio packets untouched, upstream marks passed on,
// marks made by commands carried in-band at their frame, timestamps kept.
#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "surg/annotate/run.hpp"

using namespace surg::annotate;
using surg::media::Kind;

namespace {

constexpr int kStreamW = 160, kStreamH = 120;

void write_input(const std::string& path) {
  surg::media::StreamInfo info;
  info.video = surg::media::VideoParams{kStreamW, kStreamH, AV_PIX_FMT_YUV420P, {1, 90000}, {30, 1}, {1, 1}};
  info.audio = surg::media::AudioParams{};
  info.marks = true;
  info.tags[surg::media::kTagChain] = "capture@0.1.0:test-pattern";
  surg::media::Writer w(path, info);
  for (int n = 0; n < 10; ++n) {
    w.write_video(*test::gray_frame(kStreamW, kStreamH, 60 + n, 3000 * n));
    auto packet = surg::media::make_packet();
    REQUIRE(av_new_packet(packet.get(), 1600 * 4) == 0);
    for (int i = 0; i < packet->size; ++i) packet->data[i] = static_cast<uint8_t>(i * 7 + n);
    packet->pts = packet->dts = 1600 * n;
    w.write_audio(*packet);
    if (n == 4) w.write_mark(3000 * 4, "upstream");
  }
  w.finish();
}

}  // namespace

TEST_CASE("pump keeps audio bytes and timestamps, passes marks, adds marks at their frame") {
  const std::string in_path = test::temp_path("in.nut"), out_path = test::temp_path("out.nut");
  write_input(in_path);
  Plan s;
  s.font = kDefaultFont, s.font_bold = kDefaultBoldFont, s.title = "T";
  surg::events::Emitter events;
  {
    surg::media::Reader reader(in_path);
    surg::media::Writer writer(out_path, output_info(reader.info(), s, true));
    Annotator annotator(s, *reader.info().video, events, true);
    int polls = 0;
    PassedThrough passed;
    pump(
        reader, writer, annotator,
        [&] {
          return ++polls == 7 ? std::vector<nlohmann::json>{{{"cmd", "mark"}, {"label", "stone found"}}}
                              : std::vector<nlohmann::json>{};
        },
        passed);
    const auto counts = run_stats(annotator, passed, reader, writer);
    CHECK(counts["frames"] == 10);
    CHECK(counts["audio_packets"] == 10);
  }
  surg::media::Reader in(in_path), out(out_path);
  CHECK(out.info().marks);
  CHECK(out.info().tags.at(surg::media::kTagChain) == "capture@0.1.0:test-pattern;annotate@" SURG_VERSION
                                                      ":title");
  std::vector<std::pair<std::int64_t, std::string>> marks;
  std::vector<std::int64_t> video_pts;
  std::vector<std::string> audio;
  while (auto u = out.next()) {
    if (u->kind == Kind::mark) marks.emplace_back(u->packet->pts, u->label);
    if (u->kind == Kind::video) video_pts.push_back(u->frame->pts);
    if (u->kind == Kind::audio) audio.emplace_back(reinterpret_cast<char*>(u->packet->data), u->packet->size);
  }
  std::vector<std::string> audio_in;
  while (auto u = in.next())
    if (u->kind == Kind::audio)
      audio_in.emplace_back(reinterpret_cast<char*>(u->packet->data), u->packet->size);
  CHECK(audio == audio_in);
  CHECK(video_pts ==
        std::vector<std::int64_t>{0, 3000, 6000, 9000, 12000, 15000, 18000, 21000, 24000, 27000});
  const std::vector<std::pair<std::int64_t, std::string>> want{{12000, "upstream"}, {18000, "stone found"}};
  CHECK(marks == want);
  std::remove(in_path.c_str());
  std::remove(out_path.c_str());
}
