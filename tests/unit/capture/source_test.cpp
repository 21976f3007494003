// The sources end to end, without hardware: the device path runs on lavfi inputs.
#include <catch2/catch.hpp>

#include <cstdio>

#include "surg/capture/pacer.hpp"
#include "surg/capture/source.hpp"
#include "surg/capture/timecode.hpp"
#include "surg/core/error.hpp"

using surg::capture::Plan;
using surg::capture::SourceKind;

namespace {

struct Totals {
  int frames = 0;
  std::int64_t samples = 0;
  std::int64_t first_pts = -1, last_pts = -1;
  bool all_yuv420p = true;
  bool pts_rising = true;
};

Totals drain(surg::capture::Source& source) {
  Totals t;
  while (auto unit = source.next()) {
    if (unit->kind == surg::media::Kind::audio) {
      t.samples += unit->frame->nb_samples;
      continue;
    }
    ++t.frames;
    REQUIRE(unit->frame);
    t.all_yuv420p &= unit->frame->format == AV_PIX_FMT_YUV420P;
    t.pts_rising &= unit->pts > t.last_pts;
    if (t.first_pts < 0) t.first_pts = unit->pts;
    t.last_pts = unit->pts;
  }
  return t;
}

}  // namespace

TEST_CASE("the test pattern source gives exactly duration x fps frames and samples", "[source]") {
  Plan plan;
  plan.size = surg::Size{320, 240};
  plan.fps = AVRational{25, 1};
  plan.duration = surg::Micros(1500000);
  auto source = surg::capture::open_pattern_source(plan);
  CHECK(source->info().video->width == 320);
  CHECK(source->info().audio);
  CHECK_FALSE(source->live());
  const Totals t = drain(*source);
  CHECK(t.frames == 38);  // ceil(1.5 x 25)
  CHECK(t.samples == 72000);
  CHECK(t.first_pts == 0);
  CHECK(t.pts_rising);
}

TEST_CASE("the device path: polled, converted to yuv420p, resampled, cut by --duration", "[source]") {
  Plan plan;
  plan.kind = SourceKind::device;
  plan.location = "testsrc2=size=320x240:rate=25,format=rgb24";
  plan.audio = "sine=frequency=1000:sample_rate=44100";
  plan.duration = surg::Micros(2000000);
  auto source = surg::capture::open_device_source(plan, {"lavfi", "lavfi"});
  CHECK(source->live());
  CHECK(source->info().video->format == AV_PIX_FMT_YUV420P);
  CHECK(source->info().audio->sample_rate == 48000);
  CHECK(source->settings() == std::vector<std::string>{"device", "alsa"});
  const Totals t = drain(*source);
  CHECK(t.frames == 50);
  CHECK(t.all_yuv420p);
  CHECK(t.pts_rising);
  CHECK(t.samples > 48000);  // audio kept flowing beside the video
}

TEST_CASE("a missing device or a non-device path is refused before opening", "[source]") {
  Plan plan;
  plan.kind = SourceKind::device;
  plan.location = "/dev/video-surg-none";
  CHECK_THROWS_AS(surg::capture::open_device_source(plan), surg::RuntimeError);
  plan.location = SURG_SOURCE_DIR "/CMakeLists.txt";
  CHECK_THROWS_AS(surg::capture::open_device_source(plan), surg::UsageError);
}

TEST_CASE("an input source keeps source timestamps through a cut", "[source]") {
  Plan plan;
  plan.kind = SourceKind::input;
  plan.location = "testsrc2=size=160x120:rate=10:duration=5";
  plan.input_format = "lavfi";
  plan.audio = "none";
  plan.start = surg::Micros(2000000);
  plan.duration = surg::Micros(1000000);
  auto source = surg::capture::open_input_source(plan);
  CHECK_FALSE(source->info().audio);
  const auto tb = source->info().video->time_base;
  const Totals t = drain(*source);
  CHECK(t.frames == 10);
  CHECK(av_rescale_q(t.first_pts, tb, {1, 10}) == 20);  // 2.0 s, not re-timed to 0
}

TEST_CASE("the time code survives the surg stream: written, read back, decoded", "[source][timecode]") {
  Plan plan;
  plan.size = surg::Size{640, 360};
  plan.duration = surg::Micros(500000);
  auto source = surg::capture::open_pattern_source(plan);
  const std::string path = SURG_BINARY_DIR "/capture-timecode-test.nut";
  const auto before = surg::capture::wall_clock_us();
  {
    surg::media::Writer writer(path, source->info());
    while (auto unit = source->next()) {
      if (unit->kind == surg::media::Kind::video)
        writer.write_video(*unit->frame);
      else
        writer.write_audio_frame(*unit->frame);
    }
    writer.finish();
  }
  surg::media::Reader reader(path);
  std::uint32_t expected = 0;
  std::int64_t last_us = before - 1;
  while (auto unit = reader.next()) {
    if (unit->kind != surg::media::Kind::video) continue;
    const auto code = surg::capture::read_timecode(*unit->frame);
    REQUIRE(code);
    CHECK(code->frame == expected++);
    CHECK(code->capture_us >= last_us);  // wall clock at capture, in order
    last_us = code->capture_us;
  }
  CHECK(expected == 15);
  CHECK(last_us <= surg::capture::wall_clock_us());
  std::remove(path.c_str());
}
