#pragma once
// Parsing of the units every option shares: durations, sizes, bitrates.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace surg {

using Micros = std::chrono::microseconds;

// "90", "90s", "500ms", "1m30s", "1h2m", "1:30", "01:02:03.5" -> microseconds, and what
// FFmpeg's av_parse_time accepts besides. Throws UsageError naming the text on anything else
// (negative, empty, garbage, "1:75", over 1e8 seconds).
Micros parse_duration(std::string_view text);
// Seconds (from JSON, a config) -> microseconds; nullopt when negative, not finite or over
// the same bound as parse_duration, so no caller converts 1e300 into an overflow.
std::optional<Micros> seconds_to_micros(double seconds);
std::string format_duration(Micros d);  // "1:02:03.500" style, for logs

struct Size {
  int width = 0;
  int height = 0;
  bool operator==(const Size&) const = default;
};
// "1280x720", "hd720" (FFmpeg's size names) -> Size; both even and within 16..8192
// (yuv420p needs even sizes).
Size parse_size(std::string_view text);

// A frame rate as FFmpeg's -r takes it: "25", "29.97", "30000/1001", "ntsc", "pal";
// within 1..240 frames a second.
struct Rate {
  int num = 0;
  int den = 1;
};
Rate parse_rate(std::string_view text);

// "4500k", "4.5M", "128000" -> bits per second.
std::int64_t parse_bitrate(std::string_view text);

}  // namespace surg
