#include "surg/push/presets.hpp"

#include <cmath>

#include "surg/core/error.hpp"

namespace surg::push {
namespace {

// Sources (quoted in surg-push(1)): Facebook Live "Live Video Specs" (H.264, up to 1080p
// at 30 fps, keyframe every 2 s, 720p max 4000 kbit/s, 1080p 3000-6000 kbit/s recommended,
// AAC 48 kHz 128 kbit/s); YouTube "Choose live encoder settings" (H.264, keyframe 2 s,
// 1080p30 3000-6000 kbit/s, 720p30 1500-4000 kbit/s, AAC 48 kHz 128 kbit/s stereo).
const std::vector<Preset> kPresets = {
    {"facebook-720p30", "Facebook Live", {1280, 720}, 30, 1000000, 4000000, 3000000},
    {"facebook-1080p30", "Facebook Live", {1920, 1080}, 30, 3000000, 6000000, 4500000},
    {"youtube-720p30", "YouTube Live", {1280, 720}, 30, 1500000, 4000000, 2500000},
    {"youtube-1080p30", "YouTube Live", {1920, 1080}, 30, 3000000, 6000000, 4500000},
};

[[noreturn]] void refuse(const Preset& p, const std::string& rule) {
  throw UsageError("--preset " + std::string(p.name) + ": " + std::string(p.platform) +
                   " rule broken: " + rule);
}

std::string tune_for(const std::string& tune, bool network) {
  if (tune == "auto") return network ? "zerolatency" : "";
  return tune == "none" ? "" : tune;
}

void check_settings(const Preset& p, const EncodeSettings& s) {
  if (s.keyint != p.keyint)
    refuse(p, "keyframe interval must be " + format_seconds(p.keyint) + " (got --keyint " +
                  format_seconds(s.keyint) + ")");
  if (s.video_bitrate < p.min_video_bitrate || s.video_bitrate > p.max_video_bitrate)
    refuse(p, "video bitrate must be " + format_kbit(p.min_video_bitrate) + " to " +
                  format_kbit(p.max_video_bitrate) + " (got " + format_kbit(s.video_bitrate) + ")");
  if (s.audio_bitrate != p.audio_bitrate)
    refuse(p, "audio must be AAC " + format_kbit(p.audio_bitrate) + " (got " + format_kbit(s.audio_bitrate) +
                  ")");
}

}  // namespace

const std::vector<Preset>& presets() { return kPresets; }

const Preset* find_preset(std::string_view name) {
  for (const auto& p : kPresets)
    if (p.name == name) return &p;
  return nullptr;
}

std::string format_kbit(std::int64_t bps) { return std::to_string(bps / 1000) + " kbit/s"; }

std::string format_seconds(Micros d) {
  std::string text = std::to_string(d.count() / 1e6);
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  return text + " s";
}

std::string preset_list() {
  std::string out;
  for (const auto& p : kPresets) out += (out.empty() ? "" : ", ") + std::string(p.name);
  return out;
}

EncodeSettings resolve_settings(const Options& o, bool network) {
  EncodeSettings s;
  if (!o.preset.empty()) {
    s.preset = find_preset(o.preset);
    if (!s.preset) throw UsageError("unknown --preset '" + o.preset + "' (known: " + preset_list() + ")");
  }
  s.video_bitrate = !o.video_bitrate.empty() ? parse_bitrate(o.video_bitrate)
                    : s.preset               ? s.preset->video_bitrate
                                             : EncodeSettings{}.video_bitrate;
  if (!o.audio_bitrate.empty()) s.audio_bitrate = parse_bitrate(o.audio_bitrate);
  if (!o.keyint.empty()) s.keyint = parse_duration(o.keyint);
  if (s.keyint.count() <= 0) throw UsageError("--keyint must be more than 0");
  if (s.video_bitrate < 100000) throw UsageError("--video-bitrate below 100k is not usable");
  if (s.audio_bitrate < 32000 || s.audio_bitrate > 512000)
    throw UsageError("--audio-bitrate must be 32k to 512k");
  s.x264_preset = o.x264_preset;
  s.encoder = o.encoder;
  s.tune = tune_for(o.tune, network);
  if (s.preset) check_settings(*s.preset, s);
  return s;
}

void check_input(const Preset& p, const media::StreamInfo& info) {
  const auto& v = *info.video;
  const double fps = av_q2d(v.frame_rate);
  if (fps > p.max_fps + 0.01)
    refuse(p, "at most " + std::to_string(p.max_fps) + " fps (input has " +
                  std::to_string(static_cast<int>(std::lround(fps))) +
                  " fps; surg-push never re-times frames)");
  if (info.audio && info.audio->sample_rate != 48000)
    refuse(p, "audio must be 48 kHz (input has " + std::to_string(info.audio->sample_rate) + " Hz)");
}

Size output_size(Size in, const Preset* p) {
  // yuv420p H.264 needs even sizes: an odd input loses its last row/column.
  const Size even_in{in.width & ~1, in.height & ~1};
  if (!p || (in.width <= p->size.width && in.height <= p->size.height)) return even_in;
  const double scale = std::min(static_cast<double>(p->size.width) / in.width,
                                static_cast<double>(p->size.height) / in.height);
  auto even = [](double x) { return std::max(2, static_cast<int>(std::lround(x / 2)) * 2); };
  return {std::min(even(in.width * scale), p->size.width), std::min(even(in.height * scale), p->size.height)};
}

}  // namespace surg::push
