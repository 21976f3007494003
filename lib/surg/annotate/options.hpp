#pragma once
// surg-annotate options: the flags as typed by the operator (Options), checked and parsed once
// into a Plan before any media is read, so a missing file or a bad value fails early (exit 2).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "surg/annotate/captions.hpp"
#include "surg/core/units.hpp"

namespace surg::annotate {

inline constexpr const char* kDefaultFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
inline constexpr const char* kDefaultBoldFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

struct Options {
  std::string title;                     // --title: lower third, first line (bold)
  std::string subtitle;                  // --subtitle: lower third, second line
  std::string title_duration;            // --title-duration: empty or 0 = permanent
  std::string position = "bottom-left";  // --position of the lower third
  std::string warning;                   // --warning DURATION: slate at the start
  std::string warning_text;              // --warning-text: replaces the default text
  std::string lang = "en,fr";            // --lang: languages of the default warning text
  std::string captions;                  // --captions FILE (.srt or .vtt)
  std::string caption_duration = "4s";   // live captions without "duration"
  std::string logo;                      // --logo PNG
  std::string logo_position = "top-right";
  double logo_opacity = 1.0;
  std::string clock;  // --clock wall|elapsed
  std::string clock_position = "top-left";
  std::string font = kDefaultFont;
  std::string font_bold = kDefaultBoldFont;
};

void add_options(CLI::App& app, Options& options);

// A title, from --title or the "title" control command, is checked the same way in both: one
// line of UTF-8 (the lower third wraps it to fit) with no control character, at most
// kMaxTitleBytes. Why it cannot be a title, or nullopt (core/utf8.hpp).
inline constexpr std::size_t kMaxTitleBytes = 256;
std::optional<std::string> title_problem(std::string_view title);

// A live caption ("caption" control command): UTF-8 of at most kMaxCaptionBytes, its lines
// (split at "\n") free of control characters; at most three lines are drawn, smaller as needed.
// Why it cannot be a caption, or nullopt. Its text is never echoed when it fails.
inline constexpr std::size_t kMaxCaptionBytes = 1000;
std::optional<std::string> caption_problem(std::string_view caption);

enum class Corner { top_left, top_center, top_right, bottom_left, bottom_center, bottom_right };
enum class ClockMode { none, wall, elapsed };

// "bottom-left" -> Corner; throws UsageError naming `option` otherwise.
Corner parse_corner(const std::string& text, const std::string& option);

// What the annotator needs, parsed and checked.
struct Plan {
  std::string title, subtitle;
  std::optional<Micros> title_duration;  // nullopt: permanent
  Corner position = Corner::bottom_left;
  Micros warning{0};
  std::string warning_text;  // the text on the slate (default or --warning-text)
  std::string captions_path;
  std::vector<Cue> cues;  // parsed --captions (validated: exit 4 on malformed)
  Micros caption_duration{4'000'000};
  std::string logo;
  Corner logo_position = Corner::top_right;
  double logo_opacity = 1.0;
  ClockMode clock = ClockMode::none;
  Corner clock_position = Corner::top_left;
  std::string font, font_bold;
  // Short names of what is on, for surg.chain ("title,warning,captions,logo,clock").
  std::vector<std::string> chain_settings() const;
};

// Checks values and files: UsageError (exit 2) for bad values and missing or unreadable
// font/logo/caption files, InputError (exit 4) for a malformed caption file.
Plan make_plan(const Options& options);

// The default slate text in the given languages ("en", "fr", "en,fr").
std::string default_warning_text(const std::string& lang);

}  // namespace surg::annotate
