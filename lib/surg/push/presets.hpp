#pragma once
// Platform presets and the encode settings they constrain. A preset fills in defaults;
// an explicit option or an input stream that breaks the platform's published ingest rules
// is refused up front (UsageError naming the rule), never silently adjusted.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "surg/core/units.hpp"
#include "surg/media/stream.hpp"
#include "surg/push/options.hpp"

namespace surg::push {

struct Preset {
  std::string_view name;      // "facebook-720p30"
  std::string_view platform;  // "Facebook Live": named in refusals
  Size size;                  // largest frame the preset sends (input is scaled down to fit)
  int max_fps = 30;
  std::int64_t min_video_bitrate = 0;  // bits/s, inclusive
  std::int64_t max_video_bitrate = 0;
  std::int64_t video_bitrate = 0;       // default
  std::int64_t audio_bitrate = 128000;  // the only accepted value
  Micros keyint{2000000};               // the only accepted value
};

const std::vector<Preset>& presets();
const Preset* find_preset(std::string_view name);
std::string preset_list();                              // "facebook-720p30, facebook-1080p30, ..."
std::string format_kbit(std::int64_t bits_per_second);  // "4500 kbit/s"
std::string format_seconds(Micros d);                   // "2 s", "2.5 s"

// What the encoder is asked for, after defaults, preset and checks. The defaults here are the
// only statement of them: --help shows them from here.
struct EncodeSettings {
  std::int64_t video_bitrate = 4500000;
  std::int64_t audio_bitrate = 128000;
  Micros keyint{2000000};
  std::string x264_preset = "veryfast";
  std::string tune;  // empty = none
  const Preset* preset = nullptr;
  std::string encoder = "auto";  // --encoder auto|x264|vaapi|qsv|nvenc (encoder.hpp)
};

// Resolves options (+ preset) into settings; throws UsageError (exit 2) on a broken rule.
// `network` says whether any destination is a network output (for --tune auto).
EncodeSettings resolve_settings(const Options& options, bool network);

// Checks the input stream against the preset (fps, audio rate); throws UsageError.
void check_input(const Preset& preset, const media::StreamInfo& info);

// The frame size to encode: the input's, scaled down to fit the preset's size keeping the
// aspect ratio (even dimensions); never scaled up.
Size output_size(Size input, const Preset* preset);

}  // namespace surg::push
