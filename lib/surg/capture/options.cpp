#include "surg/capture/options.hpp"

#include <cmath>
#include <cstdlib>

#include "surg/cli/tool.hpp"
#include "surg/core/error.hpp"

namespace surg::capture {
namespace {

void add_source_options(CLI::App& app, Options& o) {
  app.add_flag("--test-pattern", o.test_pattern,
               "synthetic endoscope scene with tone, flash/beep and time code (the default)");
  app.add_option("--device", o.device, "capture a V4L2 device, e.g. /dev/video0");
  app.add_option("--input-format", o.input_format,
                 "V4L2 pixel format with --device (mjpeg, yuyv422); demuxer with --input");
  app.add_option("--audio", o.audio, "ALSA capture device with --device: default, hw:X,Y; none = no audio");
  // The common -i/--input names what to read; for capture it is any libavformat input.
  if (CLI::Option* input = app.get_option_no_throw("--input")) {
    input->description("capture FILE or URL (any libavformat input: file, rtsp://, srt://, http://)");
    app.final_callback([&o, input] { o.input = input->count() ? input->as<std::string>() : ""; });
  }
}

void add_timing_options(CLI::App& app, Options& o) {
  app.add_option("--size", o.size, "frame size WxH (test pattern 1280x720; scales --input)");
  app.add_option("--fps", o.fps, "frame rate, e.g. 25, 30000/1001 (test pattern 30)");
  app.add_option("--start", o.start, "with --input, begin this far into it (seek and cut)")
      ->check(cli::duration_validator());
  app.add_option("--duration", o.duration, "stop after this much media time (default: no limit)")
      ->check(cli::duration_validator());
  app.add_flag("--realtime,!--no-realtime", o.realtime,
               "pace the test pattern or --input like a live source (drops when behind)");
  app.add_option("--oob-every", o.oob_every, "test pattern: out-of-body stretch every DURATION")
      ->check(cli::duration_validator());
  app.add_option("--oob-length", o.oob_length, "length of each out-of-body stretch")
      ->check(cli::duration_validator())
      ->capture_default_str();
  app.add_flag("--read-timecode", o.read_timecode,
               "print the test pattern's time code of each frame read (JSON lines: latency); no media");
}

SourceKind choose_source(const Options& o) {
  const int chosen = int{o.test_pattern} + int{!o.device.empty()} + int{!o.input.empty()};
  if (chosen > 1) throw UsageError("choose one source: --test-pattern, --device or --input");
  if (!o.device.empty()) return SourceKind::device;
  if (!o.input.empty()) return SourceKind::input;
  return SourceKind::test_pattern;
}

void check_combinations(const Plan& p, const Options& o) {
  if (p.kind != SourceKind::input && !o.start.empty())
    throw UsageError("--start needs --input (a live source cannot seek)");
  if (p.kind == SourceKind::input && p.fps)
    throw UsageError("--fps does not apply to --input: timestamps are kept as they are");
  if (p.kind != SourceKind::device && p.audio != "default" && p.audio != "none")
    throw UsageError("--audio " + p.audio + " needs --device (other sources: default or none)");
  if (p.kind != SourceKind::test_pattern && !o.oob_every.empty())
    throw UsageError("--oob-every applies to the test pattern only");
  if (!p.input_format.empty() && p.kind == SourceKind::test_pattern)
    throw UsageError("--input-format needs --device or --input");
  if (p.read_timecode && p.kind == SourceKind::test_pattern)
    throw UsageError("--read-timecode reads --input or --device (e.g. a viewer's RTMP URL)");
  if (p.oob_every.count() > 0 && (p.oob_length.count() <= 0 || p.oob_length >= p.oob_every))
    throw UsageError("--oob-length must be above 0 and below --oob-every");
}

}  // namespace

const char* source_name(SourceKind kind) {
  switch (kind) {
    case SourceKind::device:
      return "device";
    case SourceKind::input:
      return "input";
    case SourceKind::test_pattern:
      break;
  }
  return "test-pattern";
}

void add_options(CLI::App& app, Options& options) {
  add_source_options(app, options);
  add_timing_options(app, options);
}

AVRational parse_rate(std::string_view text) {
  try {
    const Rate r = surg::parse_rate(text);  // libavutil's parser: 25, 29.97, 30000/1001, ntsc
    return {r.num, r.den};
  } catch (const UsageError& e) {
    throw UsageError(std::string("--fps: ") + e.what());
  }
}

Plan make_plan(const Options& o) {
  Plan p;
  p.kind = choose_source(o);
  p.location = p.kind == SourceKind::device ? o.device : o.input;
  p.input_format = o.input_format;
  p.audio = o.audio.empty() ? "default" : o.audio;
  if (!o.size.empty()) p.size = parse_size(o.size);
  if (!o.fps.empty()) p.fps = parse_rate(o.fps);
  if (!o.start.empty()) p.start = parse_duration(o.start);
  if (!o.duration.empty()) p.duration = parse_duration(o.duration);
  if (p.duration && p.duration->count() <= 0) throw UsageError("--duration must be above 0");
  p.realtime = o.realtime && p.kind != SourceKind::device;
  if (!o.oob_every.empty()) p.oob_every = parse_duration(o.oob_every);
  p.oob_length = parse_duration(o.oob_length);
  p.read_timecode = o.read_timecode;
  check_combinations(p, o);
  return p;
}

}  // namespace surg::capture
