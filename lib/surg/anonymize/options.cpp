#include "surg/anonymize/options.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>

#include "surg/anonymize/planes.hpp"
#include "surg/cli/tool.hpp"
#include "surg/core/error.hpp"
#include "surg/ledger/store_option.hpp"
#include "surg/media/stream.hpp"

namespace surg::anonymize {
namespace {

void add_face_options(CLI::App& app, Options& o) {
  app.add_flag("--faces,!--no-faces", o.faces, "redact faces (default on)");
  app.add_option("--detector", o.detector, "face detector, see --list-detectors")->capture_default_str();
  app.add_flag("--list-detectors", o.list_detectors, "list the face detectors and exit");
  app.add_option("--model-dir", o.model_dir,
                 "directory of the BlazeFace ONNX models (default $SURG_MODEL_DIR or the installed one)");
  app.add_option("--detector-script", o.detector_script,
                 "script of the 'scripted' test detector (lines 'FRAME x y w h')");
  app.add_option("--score", o.score, "face score threshold 0..1")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_option("--hold", o.hold, "keep covering a face this long after its last detection")
      ->check(cli::duration_validator())
      ->capture_default_str();
  app.add_option("--pad", o.pad, "grow each side of a face box by this fraction of its size")
      ->check(CLI::Range(0.0, 2.0))
      ->capture_default_str();
  app.add_option("--method", o.method, "how faces are hidden: blur|pixelate|fill")
      ->check(CLI::IsMember({"blur", "pixelate", "fill"}))
      ->capture_default_str();
  app.add_option("--fill-color", o.fill_color,
                 "colour of fills (faces with --method fill, zones, outside the circle): "
                 "black|white|gray|#RRGGBB or an ffmpeg colour name")
      ->capture_default_str();
}

void add_frame_options(CLI::App& app, Options& o) {
  app.add_flag("--oob,!--no-oob", o.oob,
               "replace out-of-body endoscope frames by the privacy slate (default on)");
  app.add_option("--oob-exit", o.oob_exit, "in-body time needed to leave the out-of-body state")
      ->check(cli::duration_validator())
      ->capture_default_str();
  app.add_option("--zones", o.zones, "TOML profile of rectangles (relative 0..1) filled solid");
  app.add_flag("--mask-outside-circle", o.mask_outside_circle,
               "fill everything outside the endoscope's circular image");
}

void add_safety_options(CLI::App& app, Options& o) {
  // A flag pair whose absence matters (the default depends on the input): each given value
  // in order, the last one winning, so a flag overrides a config file's "live = false".
  app.add_flag("--live,!--no-live")
      ->description(
          "live mode: frames more than --max-lag behind go out as the slate "
          "(default: live when the input is a pipe, FIFO or socket)")
      ->each([&o](const std::string& v) { o.live = CLI::detail::to_flag_value(v) > 0; });
  app.add_option("--max-lag", o.max_lag,
                 "how long a frame may wait for the face detector to search every region of it, and "
                 "(live) how far behind the stream it may leave; 0 = no look-ahead: faces coming into "
                 "view can leave uncovered")
      ->check(cli::duration_validator())
      ->capture_default_str();
  app.add_option("--slate-text", o.slate_text, "text of the privacy slate")->check(cli::utf8_validator());
  app.add_flag("--mute-on-privacy", o.mute_on_privacy,
               "silence the audio while the privacy slate is on by request (control FIFO, SIGUSR1)");
  app.add_option("--report", o.report, "write a JSON report of what was redacted to FILE");
  app.add_option("--review", o.review,
                 "write DIR/contact-sheet.png and DIR/review.json: the frames of lowest face confidence");
  app.add_option("--consent", o.consent,
                 "apply at least the anonymisation the consent of CASE requires (flags only add)");
  consent::add_consent_store_option(app, o.consent_store);
}

}  // namespace

void add_options(CLI::App& app, Options& o) {
  add_face_options(app, o);
  add_frame_options(app, o);
  add_safety_options(app, o);
}

const char* method_name(Method method) {
  switch (method) {
    case Method::blur:
      return "blur";
    case Method::pixelate:
      return "pixelate";
    case Method::fill:
      return "fill";
  }
  return "blur";
}

Plan make_plan(const Options& o, const std::string& input) {
  Plan p;
  static_cast<GivenOptions&>(p) = o;
  if (o.method == "pixelate")
    p.method = Method::pixelate;
  else if (o.method == "fill")
    p.method = Method::fill;
  else if (o.method != "blur")
    throw UsageError("--method: unknown method '" + o.method + "'");
  p.hold = parse_duration(o.hold);
  p.oob_exit = parse_duration(o.oob_exit);
  p.max_lag = parse_duration(o.max_lag);
  p.fill = parse_color(o.fill_color);
  p.live = o.live ? *o.live : media::is_pipe(input, STDIN_FILENO);
  return p;
}

}  // namespace surg::anonymize
