#pragma once
// Parsing of the units every option shares: durations, sizes, bitrates.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace surg {

using Micros = std::chrono::microseconds;

// "90", "90s", "500ms", "1m30s", "1h2m", "1:30", "01:02:03.5" -> microseconds.
// Throws UsageError naming the text on anything else (negative, empty, garbage).
Micros parse_duration(std::string_view text);
std::string format_duration(Micros d);  // "1:02:03.500" style, for logs

struct Size {
  int width = 0;
  int height = 0;
  bool operator==(const Size&) const = default;
};
// "1280x720" -> Size; both even and within 16..8192 (yuv420p needs even sizes).
Size parse_size(std::string_view text);

// "4500k", "4.5M", "128000" -> bits per second.
std::int64_t parse_bitrate(std::string_view text);

}  // namespace surg
