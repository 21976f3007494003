// surg-anonymize: surg stream in, anonymized surg stream out. Faces hidden and held between
// detections; out-of-body endoscope frames, and every frame a detector cannot vouch for,
// replaced by the privacy slate; burned-in text filled solid; audio and marks passed through
// untouched. Fails closed.
//
//   surg-capture --device /dev/video0 | surg-anonymize --mask-outside-circle | surg-push ...
//   surg-capture --input rec.mkv | surg-anonymize --no-live --review review/ | surg-push clip.mp4
#include <chrono>
#include <iostream>

#include "surg/anonymize/consent_floor.hpp"
#include "surg/anonymize/options.hpp"
#include "surg/anonymize/stage.hpp"
#include "surg/cli/tool.hpp"
#include "surg/core/error.hpp"
#include "surg/media/stream.hpp"

namespace {

constexpr const char* kDescription =
    "hide faces, out-of-body frames and burned-in text in a surg stream; fail closed";

int anonymize(const surg::anonymize::Options& options, surg::cli::Context& ctx) {
  // Parse: --list-detectors answers and ends; every value is checked (exit 2), then raised
  // to what the case's consent requires (exit 3), before any media is read.
  if (options.list_detectors) {
    std::cout << surg::anonymize::detector_list() << std::flush;
    return 0;
  }
  surg::anonymize::Plan plan = surg::anonymize::make_plan(options, ctx.common.input);
  if (!plan.consent.empty()) surg::anonymize::apply_consent_floor(plan, plan.consent, plan.consent_store);

  // Build: the input first (garbage exits 4 before any output), then the stage: analysers
  // (a missing model does not stop it: those frames become the slate), then the output,
  // tagged with this step of surg.chain and only allow-listed session tags.
  surg::media::Reader reader(ctx.common.input);
  surg::anonymize::Stage stage(plan, ctx, reader.info());
  const auto stats = ctx.stats_from([&] { return stage.stats(); });

  // Loop: until the end of the input. On SIGINT/SIGTERM the Reader stops reading a file
  // at once and a pipe once the source has closed it (or after a grace period).
  using Clock = std::chrono::steady_clock;
  while (true) {
    const auto before = Clock::now();
    auto unit = reader.next();
    const auto waited = std::chrono::duration_cast<surg::Micros>(Clock::now() - before);
    if (!unit) break;
    switch (unit->kind) {
      case surg::media::Kind::video:
        stage.video(*unit->frame, waited);
        break;
      case surg::media::Kind::audio:
        stage.audio(*unit->packet);
        break;
      case surg::media::Kind::mark:
        stage.mark(*unit);
        break;
    }
  }

  // Return: trailer, report and review written; 1 when a detector was unavailable or failed.
  return stage.finish();
}

}  // namespace

int main(int argc, char** argv) {
  surg::anonymize::Options options;
  return surg::cli::tool_main(
      argc, argv, {"surg-anonymize", "anonymize", kDescription},
      [&](CLI::App& app) { surg::anonymize::add_options(app, options); },
      [&](surg::cli::Context& ctx) { return anonymize(options, ctx); });
}
