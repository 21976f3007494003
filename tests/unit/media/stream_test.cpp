#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "surg/core/error.hpp"
#include "surg/media/convert.hpp"
#include "surg/media/mat_view.hpp"
#include "surg/media/stream.hpp"

using namespace surg;
using namespace surg::media;

namespace {

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("surg-media-test-" + std::to_string(getpid()) + "-" + name))
      .string();
}

StreamInfo small_info() {
  StreamInfo info;
  info.video = VideoParams{64, 48, AV_PIX_FMT_YUV420P, {1, 90000}, {30, 1}, {1, 1}};
  info.audio = AudioParams{};
  info.marks = true;
  info.tags = {{kTagCase, "CASE-0001"}, {kTagChain, "capture@0.1.0:test-pattern"}};
  return info;
}

FramePtr numbered_frame(int n) {
  auto f = alloc_video_frame(64, 48, AV_PIX_FMT_YUV420P);
  for (int p = 0; p < 3; ++p) plane_view(*f, p).setTo(n * 7 + p);
  f->pts = n * 3000;
  return f;
}

FramePtr tone(int n, int samples) {
  auto a = alloc_audio_frame(samples, 2, kAudioRate, AV_SAMPLE_FMT_S16);
  auto* s = reinterpret_cast<int16_t*>(a->data[0]);
  for (int i = 0; i < samples * 2; ++i) s[i] = static_cast<int16_t>(n * 100 + i);
  a->pts = static_cast<int64_t>(n) * samples;
  return a;
}

void write_sample(const std::string& path, int frames) {
  Writer w(path, small_info());
  for (int n = 0; n < frames; ++n) {
    w.write_video(*numbered_frame(n));
    w.write_audio_frame(*tone(n, 1600));
    if (n == 3) w.write_mark(n * 3000, "stone found: 'ok' 100%");
  }
  w.finish();
}

}  // namespace

TEST_CASE("a surg stream round-trips frames, audio, marks and session tags") {
  const auto path = temp_path("roundtrip.nut");
  write_sample(path, 10);
  Reader r(path);
  REQUIRE(r.info().video);
  CHECK(r.info().video->width == 64);
  CHECK(r.info().video->format == AV_PIX_FMT_YUV420P);
  REQUIRE(r.info().audio);
  CHECK(r.info().audio->channels == 2);
  CHECK(r.info().marks);
  CHECK(r.info().tags.at(kTagCase) == "CASE-0001");
  int video = 0, audio = 0, marks = 0;
  while (auto u = r.next()) {
    if (u->kind == Kind::video) {
      CHECK(av_rescale_q(u->frame->pts, r.info().video->time_base, {1, 90000}) == video * 3000);
      CHECK(plane_view(*u->frame, 0).at<uint8_t>(10, 10) == video * 7);
      CHECK(plane_view(*u->frame, 2).at<uint8_t>(5, 5) == video * 7 + 2);
      ++video;
    } else if (u->kind == Kind::audio) {
      auto frame = r.decode_audio(*u->packet);
      CHECK(frame->nb_samples == 1600);
      CHECK(reinterpret_cast<int16_t*>(frame->data[0])[5] == audio * 100 + 5);
      ++audio;
    } else {
      CHECK(u->label == "stone found: 'ok' 100%");
      CHECK(u->packet->pts == 9000);
      ++marks;
    }
  }
  CHECK(video == 10);
  CHECK(audio == 10);
  CHECK(marks == 1);
  std::filesystem::remove(path);
}

TEST_CASE("the Reader drops a mark whose label could not title a chapter, and reads on") {
  // A writer other than surg-annotate (ffmpeg, a forged stream) may put anything in a mark.
  const auto path = temp_path("bad-marks.nut");
  const std::vector<std::string> labels = {
      "before", "Ur\xE9t\xE9ro", "a\x1B[2Jb", std::string(300, 'x'), std::string(256, 'y'), "after"};
  {
    Writer w(path, small_info());
    for (int n = 0; n < 8; ++n) {
      w.write_video(*numbered_frame(n));
      if (n < static_cast<int>(labels.size())) w.write_mark(n * 3000, labels[n]);
    }
    w.finish();
  }
  Reader r(path);
  std::vector<std::string> read;
  int video = 0;
  while (auto u = r.next()) {
    if (u->kind == Kind::mark) read.push_back(u->label);
    if (u->kind == Kind::video) ++video;
  }
  CHECK(video == 8);
  CHECK(read == std::vector<std::string>{"before", std::string(256, 'y'), "after"});
  std::filesystem::remove(path);
}

TEST_CASE("only session tags are written") {
  auto info = small_info();
  info.tags["creation_time"] = "2026-01-01";
  info.tags["surg.case"] = "CASE-0002";
  const auto path = temp_path("tags.nut");
  {
    Writer w(path, info);
    w.write_video(*numbered_frame(0));
  }
  Reader r(path);
  CHECK(r.info().tags.size() == 2);
  CHECK(r.info().tags.count("creation_time") == 0);
  std::filesystem::remove(path);
}

TEST_CASE("garbage is refused as invalid input") {
  const auto path = temp_path("garbage.nut");
  { std::ofstream(path) << std::string(10000, 'x'); }
  CHECK_THROWS_AS(Reader(path), InputError);
  std::filesystem::remove(path);
}

TEST_CASE("a truncated stream ends at its last whole frame") {
  const auto path = temp_path("truncated.nut");
  write_sample(path, 10);
  std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
  Reader r(path);
  int video = 0;
  while (auto u = r.next()) video += u->kind == Kind::video;
  CHECK(video > 2);
  CHECK(video < 10);
  std::filesystem::remove(path);
}

TEST_CASE("a missing file is a runtime error naming it") {
  try {
    Reader r("/nonexistent/x.nut");
    FAIL("opened");
  } catch (const RuntimeError& e) {
    CHECK(std::string(e.what()).find("/nonexistent/x.nut") != std::string::npos);
  }
}

TEST_CASE("the video converter scales and keeps pts") {
  VideoConverter c(32, 24, AV_PIX_FMT_BGR24);
  auto f = numbered_frame(5);
  auto out = c.convert(*f);
  CHECK(out->width == 32);
  CHECK(out->format == AV_PIX_FMT_BGR24);
  CHECK(out->pts == f->pts);
  CHECK(packed_view(*out).cols == 32);
}

TEST_CASE("the audio resampler converts rate and format, keeping time") {
  AudioResampler r(kAudioRate, 2, AV_SAMPLE_FMT_FLTP);
  auto in = alloc_audio_frame(441, 1, 44100, AV_SAMPLE_FMT_S16);
  in->pts = 44100;  // one second
  in->time_base = {1, 44100};
  auto out = r.convert(in.get());
  REQUIRE(out);
  CHECK(out->pts == kAudioRate);
  CHECK(out->format == AV_SAMPLE_FMT_FLTP);
  CHECK(out->ch_layout.nb_channels == 2);
}

TEST_CASE("ffmpeg reads what the Writer writes, marks track included") {
  const auto path = temp_path("interop-out.nut");
  write_sample(path, 10);
  const std::string cmd =
      "ffmpeg -nostdin -v error -i " + path + " -map 0 -c copy -f matroska -y " + path + ".mkv";
  CHECK(std::system(cmd.c_str()) == 0);
  const std::string count =
      "test \"$(ffprobe -v error -count_frames -select_streams v:0 "
      "-show_entries stream=nb_read_frames -of csv=p=0 " +
      path + ")\" = 10";
  CHECK(std::system(count.c_str()) == 0);
  // The default mapping of a plain ffmpeg command takes the marks track along too.
  const std::string mp4 = "ffmpeg -nostdin -v error -i " + path + " -c:v libx264 -y " + path + ".mp4";
  CHECK(std::system(mp4.c_str()) == 0);
  std::filesystem::remove(path + ".mkv");
  std::filesystem::remove(path + ".mp4");
  std::filesystem::remove(path);
}

TEST_CASE("the Reader reads what ffmpeg writes") {
  const auto path = temp_path("interop-in.nut");
  const std::string cmd =
      "ffmpeg -nostdin -v error -y -f lavfi -i testsrc2=size=160x120:rate=25 -f lavfi "
      "-i sine=f=1000:r=48000 -t 1 -ac 2 -c:v rawvideo -pix_fmt yuv420p -c:a pcm_s16le "
      "-metadata creation_time=2026-01-01T00:00:00Z -metadata surg.case=CASE-9 -f nut " +
      path;
  REQUIRE(std::system(cmd.c_str()) == 0);
  Reader r(path);
  CHECK(r.info().video->width == 160);
  CHECK(r.info().audio->channels == 2);
  CHECK(r.info().tags == Tags{{"surg.case", "CASE-9"}});
  int video = 0, samples = 0;
  while (auto u = r.next()) {
    if (u->kind == Kind::video)
      ++video;
    else
      samples += r.decode_audio(*u->packet)->nb_samples;
  }
  CHECK(video == 25);
  CHECK(samples == 48000);
  std::filesystem::remove(path);
}
