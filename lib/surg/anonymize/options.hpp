#pragma once
// surg-anonymize options: one struct with defaults; add_options() declares each flag with
// its help text. Durations stay text here (validated at parse time) and are resolved once
// by resolve() into a Settings the pipeline uses.
#include <optional>
#include <string>

#include "surg/core/units.hpp"

namespace CLI {
class App;
}

namespace surg::anonymize {

enum class Method { blur, pixelate, fill };

struct Options {
  bool faces = true;                    // --faces / --no-faces
  std::string detector = "blazeface";   // --detector NAME (see --list-detectors)
  bool list_detectors = false;          // --list-detectors: print the registry and exit
  std::string model_dir;                // --model-dir: empty = detect::find_model_dir()
  std::string detector_script;          // --detector-script: the "scripted" test detector's file
  float score = 0.3f;                   // --score: detection threshold 0..1
  std::string hold = "500ms";           // --hold: keep a box this long after its last detection
  float pad = 0.25f;                    // --pad: grow each side by this fraction of the box
  std::string method = "blur";          // --method blur|pixelate|fill
  std::string fill_color = "black";     // --fill-color NAME|#RRGGBB
  bool oob = true;                      // --oob / --no-oob
  std::string oob_exit = "1s";          // --oob-exit: in-body time needed to leave out-of-body
  std::string zones;                    // --zones FILE (TOML profile)
  bool mask_outside_circle = false;     // --mask-outside-circle
  std::optional<bool> live;             // --live / --no-live; unset = live when input is a pipe
  std::string max_lag = "1500ms";       // --max-lag: look-ahead + analysis bound
  std::string slate_text = "Video paused to protect patient privacy";  // --slate-text
  bool mute_on_privacy = false;         // --mute-on-privacy
  std::string report;                   // --report FILE (JSON totals)
  std::string review;                   // --review DIR (contact sheet PNG + review.json)
  std::string consent;                  // --consent CASE: at least what its consent requires
  std::string consent_store;            // --consent-store DIR (default as surg-consent's)
};

void add_options(CLI::App& app, Options& options);

// Options with durations parsed and the method resolved.
struct Settings {
  Method method = Method::blur;
  Micros hold{500000};
  Micros oob_exit{1000000};
  Micros max_lag{1500000};
};
Settings resolve(const Options& options);

const char* method_name(Method method);

}  // namespace surg::anonymize
