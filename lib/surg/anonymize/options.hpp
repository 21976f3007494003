#pragma once
// surg-anonymize options: one struct with defaults; add_options() declares each flag with
// its help text. make_plan() checks and types them once, before any media is read, into the
// Plan that the stage, the anonymiser and its analysers are built from.
#include <optional>
#include <string>

#include "surg/anonymize/yuv.hpp"
#include "surg/core/units.hpp"

namespace CLI {
class App;
}

namespace surg::anonymize {

enum class Method { blur, pixelate, fill };

// The options the Plan keeps as given, with their defaults.
struct GivenOptions {
  bool faces = true;                   // --faces / --no-faces
  std::string detector = "blazeface";  // --detector NAME (see --list-detectors)
  std::string model_dir;               // --model-dir: empty = detect::find_model_dir()
  std::string detector_script;         // --detector-script: the "scripted" test detector's file
  float score = 0.3f;                  // --score: detection threshold 0..1
  float pad = 0.25f;                   // --pad: grow each side by this fraction of the box
  bool oob = true;                     // --oob / --no-oob
  std::string zones;                   // --zones FILE (TOML profile)
  bool mask_outside_circle = false;    // --mask-outside-circle
  std::string slate_text = "Video paused to protect patient privacy";  // --slate-text
  bool mute_on_privacy = false;                                        // --mute-on-privacy
  std::string report;                                                  // --report FILE (JSON totals)
  std::string review;         // --review DIR (contact sheet PNG + review.json)
  std::string consent;        // --consent CASE: at least what its consent requires
  std::string consent_store;  // --consent-store DIR (default as surg-consent's)
};

// Every option as the command line gives it.
struct Options : GivenOptions {
  bool list_detectors = false;       // --list-detectors: print the registry and exit
  std::string hold = "500ms";        // --hold: keep a box this long after its last detection
  std::string method = "blur";       // --method blur|pixelate|fill
  std::string fill_color = "black";  // --fill-color NAME|#RRGGBB
  std::string oob_exit = "1s";       // --oob-exit: in-body time needed to leave out-of-body
  std::optional<bool> live;          // --live / --no-live; unset = live when input is a pipe
  std::string max_lag = "1500ms";    // --max-lag: look-ahead + analysis bound
};

void add_options(CLI::App& app, Options& options);

// The options checked and typed: durations parsed, the method and the fill colour resolved,
// live or offline decided; the rest as given.
struct Plan : GivenOptions {
  Micros hold{};
  Method method{};
  Yuv fill;  // limited range; the planes convert it for full-range frames
  Micros oob_exit{};
  bool live{};
  Micros max_lag{};
};

// Throws UsageError (exit 2) for a bad duration, method or colour. `input` is the stream read
// (-i, "-" for stdin): with --live unset, a pipe is live and a file offline.
Plan make_plan(const Options& options, const std::string& input);

const char* method_name(Method method);

}  // namespace surg::anonymize
