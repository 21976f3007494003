#pragma once
// surg-capture's options: one struct with defaults, help text in add_options(), checked
// and turned into a Plan (units parsed, one source chosen) by make_plan().
#include <optional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

extern "C" {
#include <libavutil/rational.h>
}

#include "surg/core/units.hpp"

namespace surg::capture {

struct Options {
  bool test_pattern = false;      // --test-pattern (also what runs when no source is given)
  std::string device;             // --device /dev/videoN
  std::string input;              // the common -i/--input when given: FILE|URL
  std::string input_format;       // --input-format: V4L2 pixel format, or demuxer for --input
  std::string audio = "default";  // --audio default|hw:X,Y|none
  std::string size;               // --size WxH
  std::string fps;                // --fps N | N/M | N.M
  std::string start;              // --start (with --input)
  std::string duration;           // --duration (unbounded when absent)
  bool realtime = false;          // --realtime / --no-realtime
  std::string oob_every;          // --oob-every (test pattern)
  std::string oob_length = "3s";  // --oob-length
  bool read_timecode = false;     // --read-timecode: print the source's time codes, no media
};

void add_options(CLI::App& app, Options& options);

enum class SourceKind { test_pattern, device, input };
const char* source_name(SourceKind kind);  // "test-pattern", "device", "input"

// What to capture, with every unit parsed and every combination checked.
struct Plan {
  SourceKind kind = SourceKind::test_pattern;
  std::string location;  // device path or input URL
  std::string input_format;
  std::string audio = "default";  // ALSA device for --device; "none" drops audio anywhere
  std::optional<Size> size;       // test pattern: 1280x720 when absent
  std::optional<AVRational> fps;  // test pattern: 30 when absent
  Micros start{0};
  std::optional<Micros> duration;
  bool realtime = false;  // pace by timestamps (never for a device: it is live already)
  Micros oob_every{0};
  Micros oob_length{3000000};
  bool read_timecode = false;  // JSON lines of the time codes read back, instead of media

  bool audio_enabled() const { return audio != "none"; }
};

// Throws UsageError naming the option on a bad value or combination.
Plan make_plan(const Options& options);

// "30", "30000/1001", "29.97" -> a frame rate between 1 and 240 per second.
AVRational parse_rate(std::string_view text);

}  // namespace surg::capture
