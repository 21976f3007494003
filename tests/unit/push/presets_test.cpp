#include <catch2/catch.hpp>

#include "surg/core/error.hpp"
#include "surg/push/presets.hpp"

using namespace surg;
using namespace surg::push;

namespace {

Options with_preset(const std::string& name) {
  Options o;
  o.preset = name;
  return o;
}

media::StreamInfo input(int w, int h, AVRational fps, int audio_rate = 48000) {
  media::StreamInfo info;
  info.video = media::VideoParams{w, h, AV_PIX_FMT_YUV420P, {1, 90000}, fps, {1, 1}};
  info.audio = media::AudioParams{audio_rate, 2, {1, audio_rate}};
  return info;
}

std::string refusal(const Options& o) {
  try {
    resolve_settings(o, true);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("defaults without a preset") {
  const auto s = resolve_settings(Options{}, false);
  CHECK(s.video_bitrate == 4500000);
  CHECK(s.audio_bitrate == 128000);
  CHECK(s.keyint == Micros(2000000));
  CHECK(s.x264_preset == "veryfast");
  CHECK(s.tune.empty());
  CHECK(s.preset == nullptr);
}

TEST_CASE("tune auto is zerolatency only with a network output") {
  CHECK(resolve_settings(Options{}, true).tune == "zerolatency");
  Options o;
  o.tune = "none";
  CHECK(resolve_settings(o, true).tune.empty());
  o.tune = "film";
  CHECK(resolve_settings(o, false).tune == "film");
}

TEST_CASE("a preset sets the defaults") {
  const auto s = resolve_settings(with_preset("facebook-720p30"), true);
  REQUIRE(s.preset != nullptr);
  CHECK(s.video_bitrate == 3000000);
  CHECK(s.keyint == Micros(2000000));
  CHECK(resolve_settings(with_preset("youtube-1080p30"), true).video_bitrate == 4500000);
}

TEST_CASE("every preset's default satisfies its own rules") {
  for (const auto& p : presets()) {
    CAPTURE(p.name);
    CHECK_NOTHROW(resolve_settings(with_preset(std::string(p.name)), true));
  }
}

TEST_CASE("unknown preset is a usage error listing the known ones") {
  const auto msg = refusal(with_preset("twitch-720p60"));
  CHECK(msg.find("unknown --preset 'twitch-720p60'") != std::string::npos);
  CHECK(msg.find("facebook-720p30") != std::string::npos);
}

TEST_CASE("explicit options that break the platform's rules are refused") {
  auto o = with_preset("facebook-720p30");
  o.keyint = "4s";
  CHECK(refusal(o).find("keyframe interval must be 2 s (got --keyint 4 s)") != std::string::npos);
  o = with_preset("facebook-720p30");
  o.video_bitrate = "5000k";
  CHECK(refusal(o).find("video bitrate must be 1000 kbit/s to 4000 kbit/s") != std::string::npos);
  o = with_preset("facebook-1080p30");
  o.video_bitrate = "2M";
  CHECK(refusal(o).find("3000 kbit/s to 6000 kbit/s (got 2000 kbit/s)") != std::string::npos);
  o = with_preset("youtube-720p30");
  o.audio_bitrate = "96k";
  CHECK(refusal(o).find("audio must be AAC 128 kbit/s") != std::string::npos);
  o = with_preset("youtube-720p30");
  o.video_bitrate = "4000k";  // the limit itself is allowed
  o.keyint = "2000ms";
  CHECK(refusal(o).empty());
}

TEST_CASE("the input stream is checked against the preset") {
  const Preset& p = *find_preset("facebook-720p30");
  CHECK_NOTHROW(check_input(p, input(1920, 1080, {30, 1})));
  CHECK_NOTHROW(check_input(p, input(1280, 720, {30000, 1001})));
  CHECK_THROWS_WITH(check_input(p, input(1280, 720, {60, 1})), Catch::Contains("at most 30 fps"));
  CHECK_THROWS_WITH(check_input(p, input(1280, 720, {30, 1}, 44100)), Catch::Contains("48 kHz"));
}

TEST_CASE("output size fits the preset and never upscales") {
  const Preset* p720 = find_preset("youtube-720p30");
  CHECK(output_size({1920, 1080}, p720) == Size{1280, 720});
  CHECK(output_size({1280, 720}, p720) == Size{1280, 720});
  CHECK(output_size({640, 360}, p720) == Size{640, 360});
  CHECK(output_size({1440, 1080}, p720) == Size{960, 720});  // 4:3 keeps its shape
  CHECK(output_size({3840, 1080}, p720) == Size{1280, 360});
  CHECK(output_size({1920, 1080}, nullptr) == Size{1920, 1080});
  CHECK(output_size({321, 241}, nullptr) == Size{320, 240});  // x264 yuv420p needs even sizes
}
