#pragma once
// The operator's buttons (doc/console.md): a request from the page becomes one control line
// for the stage that acts (surg-anonymize: privacy; surg-annotate: mark, caption, title) or a change
// in surg-console itself (mute). Every field is checked here; a bad request is refused with a
// reason and never reaches a FIFO.
#include <string>

#include <nlohmann/json.hpp>

namespace surg::console {

inline constexpr std::size_t kMaxLabelBytes = 200;
inline constexpr std::size_t kMaxCaptionBytes = 500;
inline constexpr std::size_t kMaxTitleBytes = 200;  // surg-annotate takes up to 256

enum class Target { anonymize, annotate, console };

struct Action {
  std::string name;  // "privacy", "mute", "mark", "caption", "title"; "" when unknown
  Target target = Target::console;
  nlohmann::json command;  // the control line for the target ({"cmd":...})
  std::string error;       // non-empty: refused, with this reason
};

// {"action":"privacy","on":true} | {"action":"mute","on":false} | {"action":"mark","label":"stone"}
// | {"action":"caption","text":"...","duration":6} | {"action":"title","text":"..."} ("" hides
// it). Text must be one line of UTF-8 without control characters and within the limits above
// (the check surg-annotate makes, core/utf8.hpp).
Action parse_action(const nlohmann::json& request);

// One line for the audit trail and the log: the action and its text when it was accepted;
// only its kind when refused (the text of a refused request is what was refused: a control
// character in it would forge log lines, doc/console.md).
std::string summary_of(const Action& action);

// Writes one JSON line to a control FIFO without blocking: "" on success, else why not (no
// stage reading it, FIFO full). The line is written in one write(), so it is never interleaved.
std::string write_control_line(const std::string& fifo, const nlohmann::json& command);

}  // namespace surg::console
