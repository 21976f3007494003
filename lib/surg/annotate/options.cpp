#include "surg/annotate/options.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "surg/cli/tool.hpp"
#include "surg/core/error.hpp"
#include "surg/core/utf8.hpp"

namespace surg::annotate {
namespace {

constexpr const char* kCorners = "top-left, top-center, top-right, bottom-left, bottom-center, bottom-right";

void add_text_options(CLI::App& app, Options& o) {
  // Checked in make_plan() (title_problem), which sees config files too.
  app.add_option("--title", o.title, "lower-third title, e.g. the procedure (shown as given)");
  app.add_option("--subtitle", o.subtitle, "lower-third second line, e.g. the team")
      ->check(cli::utf8_validator());
  app.add_option("--title-duration", o.title_duration,
                 "show the lower third this long after the start (default: permanently)")
      ->check(cli::duration_validator());
  app.add_option("--position", o.position, std::string("lower-third corner: ") + kCorners);
  app.add_option("--warning", o.warning,
                 "full-frame content-warning slate for this long at the start (audio continues)")
      ->check(cli::duration_validator());
  app.add_option("--warning-text", o.warning_text, "slate text instead of the default one")
      ->check(cli::utf8_validator());
  app.add_option("--lang", o.lang, "languages of the default slate text: en, fr or en,fr");
}

void add_caption_options(CLI::App& app, Options& o) {
  app.add_option("--captions", o.captions, "timed captions from an SRT or WebVTT file (UTF-8)");
  app.add_option("--caption-duration", o.caption_duration,
                 "how long a live caption from --control stays without \"duration\"")
      ->check(cli::duration_validator())
      ->capture_default_str();
}

void add_overlay_options(CLI::App& app, Options& o) {
  app.add_option("--logo", o.logo, "PNG logo (alpha kept)");
  app.add_option("--logo-position", o.logo_position, std::string("logo corner: ") + kCorners);
  app.add_option("--logo-opacity", o.logo_opacity, "logo opacity 0..1")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_option("--clock", o.clock, "burn in a clock: wall (local time) or elapsed")
      ->check(CLI::IsMember({"wall", "elapsed", "none"}));
  app.add_option("--clock-position", o.clock_position, std::string("clock corner: ") + kCorners);
  app.add_option("--font", o.font, "TrueType font of regular text")->capture_default_str();
  app.add_option("--font-bold", o.font_bold, "TrueType font of titles")->capture_default_str();
}

// A clear usage error when a file the operator named cannot be used.
void require_readable(const std::string& path, const std::string& option) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) throw UsageError(option + " " + path + ": no such file");
  if (fs::is_directory(path, ec)) throw UsageError(option + " " + path + ": is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(option + " " + path + ": cannot open (" + std::strerror(errno) + ")");
  if (in.peek() == std::ifstream::traits_type::eof())
    throw UsageError(option + " " + path + ": the file is empty");
}

std::optional<Micros> optional_duration(const std::string& text) {
  if (text.empty()) return std::nullopt;
  const Micros d = parse_duration(text);
  if (d.count() == 0) return std::nullopt;
  return d;
}

ClockMode parse_clock(const std::string& text) {
  if (text.empty() || text == "none") return ClockMode::none;
  if (text == "wall") return ClockMode::wall;
  if (text == "elapsed") return ClockMode::elapsed;
  throw UsageError("--clock " + text + ": expected wall or elapsed");
}

void check_files(const Plan& s) {
  require_readable(s.font, "--font");
  require_readable(s.font_bold, "--font-bold");
  if (!s.logo.empty()) require_readable(s.logo, "--logo");
  if (!s.captions_path.empty()) require_readable(s.captions_path, "--captions");
}

}  // namespace

std::optional<std::string> title_problem(std::string_view title) {
  return line_problem(title, kMaxTitleBytes);
}

std::optional<std::string> caption_problem(std::string_view caption) {
  if (caption.size() > kMaxCaptionBytes) return line_problem(caption, kMaxCaptionBytes);
  for (std::size_t start = 0;;) {
    const std::size_t end = caption.find('\n', start);
    if (auto why = line_problem(caption.substr(start, end - start), kMaxCaptionBytes)) return why;
    if (end == std::string_view::npos) return std::nullopt;
    start = end + 1;
  }
}

void add_options(CLI::App& app, Options& options) {
  add_text_options(app, options);
  add_caption_options(app, options);
  add_overlay_options(app, options);
}

Corner parse_corner(const std::string& text, const std::string& option) {
  static const std::pair<const char*, Corner> kNames[] = {
      {"top-left", Corner::top_left},           {"top-center", Corner::top_center},
      {"top-right", Corner::top_right},         {"bottom-left", Corner::bottom_left},
      {"bottom-center", Corner::bottom_center}, {"bottom-right", Corner::bottom_right}};
  for (const auto& [name, corner] : kNames)
    if (text == name) return corner;
  throw UsageError(option + " " + text + ": expected one of " + kCorners);
}

std::string default_warning_text(const std::string& lang) {
  static const std::pair<const char*, const char*> kTexts[] = {
      {"en",
       "WARNING\nThis video shows real surgery.\nIt is intended for adults and may be "
       "disturbing."},
      {"fr",
       "AVERTISSEMENT\nCette vidéo montre une véritable opération chirurgicale.\nElle est "
       "destinée aux adultes et peut choquer."}};
  std::string text, item;
  std::istringstream list(lang);
  while (std::getline(list, item, ',')) {
    const auto* found =
        std::find_if(std::begin(kTexts), std::end(kTexts), [&](const auto& t) { return item == t.first; });
    if (found == std::end(kTexts)) throw UsageError("--lang " + lang + ": expected en, fr or en,fr");
    text += (text.empty() ? "" : "\n\n") + std::string(found->second);
  }
  if (text.empty()) throw UsageError("--lang is empty: expected en, fr or en,fr");
  return text;
}

Plan make_plan(const Options& o) {
  Plan s;
  if (const auto why = title_problem(o.title))
    throw UsageError("--title: the title " + *why + " (a title is one line of UTF-8 text, at most " +
                     std::to_string(kMaxTitleBytes) + " bytes)");
  s.title = o.title;
  s.subtitle = o.subtitle;
  s.title_duration = optional_duration(o.title_duration);
  s.position = parse_corner(o.position, "--position");
  s.warning = o.warning.empty() ? Micros{0} : parse_duration(o.warning);
  s.warning_text = o.warning_text.empty() ? default_warning_text(o.lang) : o.warning_text;
  s.captions_path = o.captions;
  s.caption_duration = parse_duration(o.caption_duration);
  s.logo = o.logo;
  s.logo_position = parse_corner(o.logo_position, "--logo-position");
  s.logo_opacity = o.logo_opacity;
  s.clock = parse_clock(o.clock);
  s.clock_position = parse_corner(o.clock_position, "--clock-position");
  s.font = o.font;
  s.font_bold = o.font_bold;
  check_files(s);
  if (!s.captions_path.empty()) s.cues = load_captions(s.captions_path);
  return s;
}

std::vector<std::string> Plan::chain_settings() const {
  std::vector<std::string> on;
  if (!title.empty() || !subtitle.empty()) on.emplace_back("title");
  if (warning.count() > 0) on.emplace_back("warning");
  if (!captions_path.empty()) on.emplace_back("captions");
  if (!logo.empty()) on.emplace_back("logo");
  if (clock != ClockMode::none) on.emplace_back("clock");
  return on;
}

}  // namespace surg::annotate
