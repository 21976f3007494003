// What the Reader refuses (issue 11 item 15): any codec but rawvideo, PCM and the marks
// track; frames over 8192x8192; sizes whose byte count overflows.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "surg/core/error.hpp"
#include "surg/media/stream.hpp"

using namespace surg;
using namespace surg::media;

namespace {

std::string limits_temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("surg-reader-limits-" + std::to_string(getpid()) + "-" + name))
      .string();
}

// Runs ffmpeg with `args` writing NUT to a temp file; returns its path.
std::string ffmpeg_nut(const std::string& name, const std::string& args) {
  const std::string path = limits_temp_path(name);
  const std::string cmd = "ffmpeg -nostdin -loglevel error -y " + args + " -f nut " + path;
  REQUIRE(std::system(cmd.c_str()) == 0);
  return path;
}

std::string refusal(const std::string& path) {
  try {
    Reader reader(path);
    return "";
  } catch (const InputError& e) {
    return e.what();
  }
}

const std::string kSource = "-f lavfi -i testsrc=size=32x32:rate=25:duration=0.08";

}  // namespace

TEST_CASE("a stream of a compressed codec is refused with the codec named") {
  const auto path = ffmpeg_nut("mpeg4.nut", kSource + " -c:v mpeg4");
  const std::string why = refusal(path);
  CHECK(why.find("mpeg4") != std::string::npos);
  CHECK(why.find("rawvideo") != std::string::npos);
  std::filesystem::remove(path);
}

TEST_CASE("compressed audio beside raw video is refused") {
  const auto path = ffmpeg_nut("flac.nut", kSource +
                                               " -f lavfi -i sine=sample_rate=48000 -t 0.08"
                                               " -c:v rawvideo -c:a flac -ar 48000");
  CHECK(refusal(path).find("flac") != std::string::npos);
  std::filesystem::remove(path);
}

TEST_CASE("a subtitle track that is not surg.marks is refused") {
  const auto srt = limits_temp_path("cue.srt");
  {
    FILE* f = std::fopen(srt.c_str(), "w");
    std::fputs("1\n00:00:00,000 --> 00:00:01,000\nhi\n", f);
    std::fclose(f);
  }
  const auto path =
      ffmpeg_nut("text.nut", kSource + " -i " + srt + " -map 0:v -map 1:s -c:v rawvideo -c:s text");
  CHECK(refusal(path).find("subtitle codec 'text'") != std::string::npos);
  const auto marks = ffmpeg_nut(
      "marks.nut",
      kSource + " -i " + srt + " -map 0:v -map 1:s -c:v rawvideo -c:s text -metadata:s:s:0 title=surg.marks");
  Reader reader(marks);
  CHECK(reader.info().marks);
  for (const auto& p : {srt, path, marks}) std::filesystem::remove(p);
}

TEST_CASE("a frame over 8192 pixels a side is refused before any buffer is sized") {
  const auto path = ffmpeg_nut("wide.nut",
                               "-f lavfi -i testsrc=size=8194x16:rate=25:duration=0.04"
                               " -c:v rawvideo -pix_fmt yuv420p");
  CHECK(refusal(path).find("8194x16") != std::string::npos);
  std::filesystem::remove(path);
}

TEST_CASE("frame byte counts are overflow-checked") {
  CHECK(checked_frame_bytes(AV_PIX_FMT_YUV420P, 1280, 720) == 1280 * 720 * 3 / 2);
  CHECK(checked_frame_bytes(AV_PIX_FMT_YUV420P, 8192, 8192) == 8192LL * 8192 * 3 / 2);
  CHECK(checked_frame_bytes(AV_PIX_FMT_RGBA64LE, 8192, 8192) == 8192LL * 8192 * 8);
  CHECK(checked_frame_bytes(AV_PIX_FMT_YUV420P, 8193, 16) == -1);
  CHECK(checked_frame_bytes(AV_PIX_FMT_YUV420P, INT_MAX, INT_MAX) == -1);
  CHECK(checked_frame_bytes(AV_PIX_FMT_YUV420P, 0, 16) == -1);
  CHECK(checked_frame_bytes(AV_PIX_FMT_YUV420P, -16, 16) == -1);
  CHECK(checked_frame_bytes(AV_PIX_FMT_NONE, 16, 16) == -1);
  CHECK(checked_frame_bytes(AV_PIX_FMT_VAAPI, 16, 16) == -1);
  CHECK(checked_frame_bytes(12345, 16, 16) == -1);
}
