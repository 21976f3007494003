// surg-push: the sink of the surg toolkit. Reads a surg stream, encodes it once (H.264 +
// AAC) and sends the packets to every destination: recordings (.mp4, .mkv, .ts), HLS,
// RTMP(S) and SRT. Each network destination runs on its own thread and reconnects on its
// own; the recordings never lose a frame and are always finished. See surg-push(1).
//
//   parse (tool_main, Options) -> plan (destinations, secrets, settings: usage errors first)
//   -> build (reader, encoders, outputs) -> loop (units in, packets out) -> finish -> status
#include <exception>

#include <spdlog/spdlog.h>

#include "surg/cli/tool.hpp"
#include "surg/core/error.hpp"
#include "surg/media/stream.hpp"
#include "surg/push/gate.hpp"
#include "surg/push/options.hpp"
#include "surg/push/plan.hpp"
#include "surg/push/session.hpp"

namespace {

constexpr const char* kDescription =
    "encode a surg stream once and send it to recordings (.mp4 .mkv .ts), hls:DIR, rtmp(s)://, srt://";

int push(const surg::push::Options& options, surg::cli::Context& ctx) {
  // Everything that can be refused is refused before a byte of input is read.
  const surg::push::Plan plan = surg::push::make_plan(options);

  surg::media::Reader reader(ctx.common.input);
  // Consent (or a proven test stream) is checked before any output opens, so no byte leaves
  // without it.
  surg::push::admit_test_stream(plan, reader.info());
  surg::push::ConsentGate gate({options.consent, options.consent_store, options.platform}, plan.destinations);
  const surg::Micros max_duration =
      options.max_duration.empty() ? surg::Micros(0) : surg::parse_duration(options.max_duration);
  surg::push::Session session(plan, reader, gate.admit(reader.info()), ctx.events, max_duration);
  // The panel (surg-console) and any monitor show the consent from this record.
  nlohmann::json consent = {{"state", "in-force"}, {"covers", gate.covers()}};
  for (const auto& [key, value] : gate.summary()) consent[key] = value;
  if (!options.consent.empty()) session.note_consent(consent);
  const auto stats = ctx.stats_from([&] {
    auto summary = session.stats();
    if (plan.test_stream) summary["warning"] = surg::push::test_stream_warning();
    return summary;
  });

  // Whatever ends the input (its end, Ctrl-C upstream or here, corrupt data), the
  // encoders are flushed and every recording is finished before the error is reported.
  std::exception_ptr error;
  bool withdrawn = false;
  try {
    while (auto unit = reader.next()) {
      session.feed(*unit);
      if (session.limit_reached()) {
        spdlog::info("--max-duration {} reached: finishing", options.max_duration);
        break;
      }
      if (auto w = gate.poll()) {
        withdrawn = true;
        session.note_consent({{"case", options.consent},
                              {"state", "withdrawn"},
                              {"reason", w->reason},
                              {"stopped", w->recording ? "every output" : "network outputs"}});
        spdlog::error("{}: stopping {}", w->reason,
                      w->recording ? "every output" : "the network outputs and HLS; the recording goes on");
        if (!session.stop_outputs(w->recording)) break;
      }
    }
  } catch (...) {
    error = std::current_exception();
  }
  session.finish();
  if (error) std::rethrow_exception(error);
  if (withdrawn) return static_cast<int>(surg::ExitStatus::consent);
  return session.status();
}

}  // namespace

int main(int argc, char** argv) {
  surg::push::Options options;
  return surg::cli::tool_main(
      argc, argv, {"surg-push", "push", kDescription},
      [&](CLI::App& app) { surg::push::add_options(app, options); },
      [&](surg::cli::Context& ctx) { return push(options, ctx); });
}
