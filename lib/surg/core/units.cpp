#include "surg/core/units.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <vector>

extern "C" {
#include <libavutil/parseutils.h>
}

#include "surg/core/error.hpp"

namespace surg {
namespace {

// Longer than any operation or recording; keeps every duration far from int64 overflow
// when added to timestamps.
constexpr double kMaxDurationSeconds = 1e8;  // ~3 years
constexpr const char* kRateChars = "0123456789./:-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

// Parses a non-negative decimal number at the front of `text`, advancing it.
bool take_number(std::string_view& text, double& value) {
  std::size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  if (i == 0) return false;
  std::string digits(text.substr(0, i));
  char* end = nullptr;
  value = std::strtod(digits.c_str(), &end);
  if (end != digits.c_str() + digits.size()) return false;
  text.remove_prefix(i);
  return true;
}

std::optional<Micros> from_seconds(double s) { return seconds_to_micros(s); }

// "1:30", "01:02:03.5": up to three colon-separated fields, seconds may be fractional;
// fields after the first count minutes or seconds, so they stay below 60 ("1:75" is an error).
std::optional<Micros> parse_clock(std::string_view text) {
  std::vector<double> fields;
  while (true) {
    double v = 0;
    if (!take_number(text, v)) return std::nullopt;
    fields.push_back(v);
    if (text.empty()) break;
    if (text.front() != ':') return std::nullopt;
    text.remove_prefix(1);
  }
  if (fields.size() < 2 || fields.size() > 3) return std::nullopt;
  for (std::size_t i = 1; i < fields.size(); ++i)
    if (fields[i] >= 60) return std::nullopt;
  double seconds = 0;
  for (double f : fields) seconds = seconds * 60 + f;
  return from_seconds(seconds);
}

// "90", "90s", "500ms", "1m30s", "1h2m3.5s": number-unit pairs; a bare number is seconds.
std::optional<Micros> parse_units(std::string_view text) {
  double seconds = 0;
  bool any = false;
  while (!text.empty()) {
    double v = 0;
    if (!take_number(text, v)) return std::nullopt;
    std::size_t n = 0;
    while (n < text.size() && std::isalpha(static_cast<unsigned char>(text[n]))) ++n;
    std::string_view unit = text.substr(0, n);
    text.remove_prefix(n);
    if (unit == "h")
      seconds += v * 3600;
    else if (unit == "m" || unit == "min")
      seconds += v * 60;
    else if (unit == "s" || unit.empty())
      seconds += v;
    else if (unit == "ms")
      seconds += v / 1000;
    else if (unit == "us")
      seconds += v / 1e6;
    else
      return std::nullopt;
    any = true;
    if (unit.empty() && !text.empty()) return std::nullopt;  // "90 30"
  }
  if (!any) return std::nullopt;
  return from_seconds(seconds);
}

}  // namespace

std::optional<Micros> seconds_to_micros(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0 || seconds > kMaxDurationSeconds) return std::nullopt;
  return Micros(static_cast<std::int64_t>(std::llround(seconds * 1e6)));
}

// FFmpeg's own syntax (ffmpeg -t/-ss: "55.5", "100ms", "-" excluded), for what ours refuses.
std::optional<Micros> parse_av_time(std::string_view text) {
  const std::string s(text);
  std::int64_t us = 0;
  if (s.empty() || s.front() == '-' || av_parse_time(&us, s.c_str(), 1) < 0) return std::nullopt;
  return seconds_to_micros(static_cast<double>(us) / 1e6);
}

Micros parse_duration(std::string_view text) {
  auto parsed = text.find(':') != std::string_view::npos ? parse_clock(text) : parse_units(text);
  if (!parsed && text.find(':') == std::string_view::npos) parsed = parse_av_time(text);
  if (!parsed)
    throw UsageError("invalid duration '" + std::string(text) +
                     "' (examples: 90, 90s, 500ms, 1m30s, 1:30, 01:02:03.5; at most 100000000 s)");
  return *parsed;
}

std::string format_duration(Micros d) {
  const std::int64_t ms = d.count() / 1000;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld.%03lld", static_cast<long long>(ms / 3600000),
                static_cast<long long>(ms / 60000 % 60), static_cast<long long>(ms / 1000 % 60),
                static_cast<long long>(ms % 1000));
  return buf;
}

Size parse_size(std::string_view text) {
  Size s;
  const std::string str(text);
  auto parse_int = [](std::string_view t, int& out) {
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
    return ec == std::errc() && p == t.data() + t.size();
  };
  // WxH strictly (av_parse_video_size casts strtol's long to int: 4294968576x720 would be
  // 1280x720); a name such as hd720, vga or 4k through libavutil, as ffmpeg -s takes it.
  const auto x = text.find('x');
  const bool numeric = !text.empty() && std::isdigit(static_cast<unsigned char>(text.front()));
  const bool ok = numeric ? x != std::string_view::npos && parse_int(text.substr(0, x), s.width) &&
                                parse_int(text.substr(x + 1), s.height)
                          : !str.empty() && str.find_first_not_of(kRateChars) == std::string::npos &&
                                av_parse_video_size(&s.width, &s.height, str.c_str()) >= 0;
  if (!ok) throw UsageError("invalid size '" + str + "' (examples: 1280x720, hd720, hd1080)");
  if (s.width < 16 || s.height < 16 || s.width > 8192 || s.height > 8192 || s.width % 2 || s.height % 2)
    throw UsageError("size '" + std::string(text) + "' must be even and within 16x16..8192x8192");
  return s;
}

Rate parse_rate(std::string_view text) {
  // libavutil's parser, as ffmpeg -r: "25", "29.97", "30000/1001", "ntsc", "pal", "film".
  const std::string str(text);
  AVRational q{0, 1};
  // av_parse_ratio evaluates anything else as an arithmetic expression (while(1,1) never
  // returns), so only digits, names and the separators of a ratio get that far.
  if (str.empty() || str.find_first_not_of(kRateChars) != std::string::npos ||
      av_parse_video_rate(&q, str.c_str()) < 0 || q.num <= 0 || q.den <= 0 || av_q2d(q) < 1 ||
      av_q2d(q) > 240)
    throw UsageError("invalid frame rate '" + str + "' (want 1 to 240, e.g. 25, 30000/1001, 29.97, ntsc)");
  return {q.num, q.den};
}

std::int64_t parse_bitrate(std::string_view text) {
  std::string_view rest = text;
  double v = 0;
  if (!take_number(rest, v) || rest.size() > 1)
    throw UsageError("invalid bitrate '" + std::string(text) + "' (examples: 4500k, 4.5M)");
  double scale = 1;
  if (rest == "k" || rest == "K")
    scale = 1e3;
  else if (rest == "M" || rest == "m")
    scale = 1e6;
  else if (!rest.empty())
    throw UsageError("invalid bitrate '" + std::string(text) + "' (examples: 4500k, 4.5M)");
  if (!std::isfinite(v * scale) || v * scale > 1e12)
    throw UsageError("bitrate '" + std::string(text) + "' is out of range");
  const auto bps = static_cast<std::int64_t>(std::llround(v * scale));
  if (bps <= 0) throw UsageError("bitrate '" + std::string(text) + "' must be positive");
  return bps;
}

}  // namespace surg
