// surg-capture: the one source of a surg chain. Reads the built-in test pattern (the
// default), a V4L2 device with ALSA audio, or any libavformat input, and writes the surg
// stream (NUT: rawvideo yuv420p + pcm_s16le 48 kHz) to stdout or -o FILE.
//
//   surg-capture --test-pattern --duration 10 | ffplay -
//   surg-capture --device /dev/video0 --audio default | surg-anonymize | surg-push ...
//   surg-capture --input rec.mkv --start 3:00 --duration 2:00 --realtime | surg-push rtmp://...
#include "surg/capture/latency.hpp"
#include "surg/capture/options.hpp"
#include "surg/capture/sink.hpp"
#include "surg/capture/source.hpp"
#include "surg/cli/progress.hpp"
#include "surg/cli/tool.hpp"
#include "surg/core/signals.hpp"
#include "surg/media/stream.hpp"

namespace {

constexpr const char* kDescription =
    "capture a test pattern, a V4L2 device or a file/URL into a surg stream on stdout";

// --read-timecode: the source's time codes as JSON lines on stdout instead of media.
int read_timecodes(surg::capture::Source& source, surg::cli::Context& ctx) {
  surg::capture::TimeCodeReader reader(stdout);
  const auto stats = ctx.stats_from([&] { return reader.stats(); });
  while (!surg::stop_requested()) {
    auto unit = source.next();
    if (!unit) break;
    reader.put(*unit);
  }
  return 0;
}

int capture(const surg::capture::Options& options, surg::cli::Context& ctx) {
  // Parse: one source chosen, every unit checked (usage errors end here with exit 2).
  const surg::capture::Plan plan = surg::capture::make_plan(options);

  // Build: the source first (a missing device or file fails before any output), then
  // the stream, tagged with this step of surg.chain and nothing from the source.
  auto source = surg::capture::open_source(plan);
  if (plan.read_timecode) return read_timecodes(*source, ctx);
  surg::media::Writer writer(ctx.common.output, surg::capture::stream_info(*source, ctx.info.name));
  // An offline job (a file cut into a clip) shows its progress: the source knows how long
  // it is, and the later stages of the pipeline run at its pace.
  const surg::cli::Progress progress(surg::cli::stderr_is_terminal() && !source->live(),
                                     source->expected_duration());
  surg::capture::Sink sink(writer, ctx.events, source->live(), progress);
  const auto stats = ctx.stats_from([&] { return sink.stats(surg::capture::source_name(plan.kind)); });

  // Loop: until the source ends (--duration, end of file) or SIGINT/SIGTERM; a consumer
  // that closes the pipe ends it too, quietly (DownstreamClosed is caught by tool_main).
  while (!surg::stop_requested()) {
    auto unit = source->next();
    if (!unit) break;
    sink.put(std::move(*unit));
  }
  sink.finish();

  // Return: exit 0 even when stopped by a signal: the stream was closed with its trailer,
  // so the output is complete.
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  surg::capture::Options options;
  return surg::cli::tool_main(
      argc, argv, {"surg-capture", "capture", kDescription},
      [&](CLI::App& app) { surg::capture::add_options(app, options); },
      [&](surg::cli::Context& ctx) { return capture(options, ctx); });
}
