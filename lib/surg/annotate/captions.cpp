#include "surg/annotate/captions.hpp"

#include <cctype>
#include <fstream>
#include <optional>
#include <sstream>

#include "surg/core/error.hpp"
#include "surg/core/utf8.hpp"

namespace surg::annotate {
namespace {

// The file split into lines (LF, CRLF or CR), without a leading byte-order mark.
std::vector<std::string_view> split_lines(std::string_view content) {
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < content.size(); ++i) {
    if (content[i] != '\n' && content[i] != '\r') continue;
    lines.push_back(content.substr(start, i - start));
    if (content[i] == '\r' && i + 1 < content.size() && content[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (start < content.size()) lines.push_back(content.substr(start));
  return lines;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool blank(std::string_view s) { return trim(s).empty(); }

// Reads 1+ digits (at most `max`), advancing `s`.
std::optional<long> take_digits(std::string_view& s, std::size_t min, std::size_t max) {
  std::size_t n = 0;
  long v = 0;
  while (n < s.size() && n < max && std::isdigit(static_cast<unsigned char>(s[n])))
    v = v * 10 + (s[n++] - '0');
  if (n < min) return std::nullopt;
  s.remove_prefix(n);
  return v;
}

bool take_char(std::string_view& s, std::string_view any_of) {
  if (s.empty() || any_of.find(s.front()) == std::string_view::npos) return false;
  s.remove_prefix(1);
  return true;
}

// "[H+:]MM:SS(,|.)mmm"; SRT requires the hours, WebVTT makes them optional.
std::optional<Micros> take_time(std::string_view& s, bool hours_required) {
  std::string_view t = s;
  auto a = take_digits(t, 1, 9);
  if (!a || !take_char(t, ":")) return std::nullopt;
  auto b = take_digits(t, 2, 2);
  if (!b) return std::nullopt;
  long h = 0, m = *a, sec = 0;
  if (take_char(t, ":")) {
    auto c = take_digits(t, 2, 2);
    if (!c) return std::nullopt;
    h = *a, m = *b, sec = *c;
  } else {
    if (hours_required) return std::nullopt;
    sec = *b;
  }
  if (!take_char(t, hours_required ? ",." : ".")) return std::nullopt;
  auto ms = take_digits(t, 3, 3);
  if (!ms || m > 59 || sec > 59) return std::nullopt;
  s = t;
  return Micros(((h * 3600 + m * 60 + sec) * 1000 + *ms) * 1000);
}

// "start --> end[ settings]" -> (start, end), or nullopt when the line is not one.
std::optional<std::pair<Micros, Micros>> parse_timing(std::string_view line, bool srt) {
  std::string_view s = trim(line);
  auto start = take_time(s, srt);
  if (!start) return std::nullopt;
  s = trim(s);
  if (s.substr(0, 3) != "-->") return std::nullopt;
  s = trim(s.substr(3));
  auto end = take_time(s, srt);
  if (!end || !(s.empty() || std::isspace(static_cast<unsigned char>(s.front())))) return std::nullopt;
  return std::pair{*start, *end};
}

struct Parser {
  Parser(std::string_view content, const std::string& file, bool is_srt)
      : lines(split_lines(content)), name(file), srt(is_srt) {}
  std::vector<std::string_view> lines;
  std::string name;
  bool srt;
  std::size_t i = 0;
  std::vector<Cue> cues;

  [[noreturn]] void fail(std::size_t index, const std::string& what) const {
    throw InputError(name + ":" + std::to_string(index + 1) + ": " + what);
  }
  void skip_blank() {
    while (i < lines.size() && blank(lines[i])) ++i;
  }
  void check_utf8(std::size_t index) const {
    if (!valid_utf8(lines[index])) fail(index, "invalid UTF-8 (captions must be UTF-8)");
  }
  // The timing line at i and the text lines after it, up to a blank line.
  void read_cue() {
    const char* expected = srt ? "expected a timing line 'HH:MM:SS,mmm --> HH:MM:SS,mmm'"
                               : "expected a timing line '[HH:]MM:SS.mmm --> [HH:]MM:SS.mmm'";
    if (i >= lines.size()) fail(i - 1, std::string(expected) + " after the cue number");
    auto timing = parse_timing(lines[i], srt);
    if (!timing) fail(i, std::string(expected) + ", got '" + std::string(trim(lines[i])) + "'");
    if (timing->second < timing->first) fail(i, "the cue ends before it starts");
    Cue cue{timing->first, timing->second, {}, static_cast<int>(i + 1)};
    for (++i; i < lines.size() && !blank(lines[i]); ++i) {
      check_utf8(i);
      cue.text += (cue.text.empty() ? "" : "\n") + std::string(lines[i]);
    }
    cues.push_back(std::move(cue));
  }
  void read_srt_block() {
    if (!parse_timing(lines[i], true)) {  // the cue number is optional in files seen in the wild
      std::string_view number = trim(lines[i]);
      if (!take_digits(number, 1, 12) || !number.empty())
        fail(i, "expected a cue number, got '" + std::string(trim(lines[i])) + "'");
      ++i;
    }
    read_cue();
  }
  void read_vtt_block() {
    const std::string_view first = trim(lines[i]);
    if (first.rfind("NOTE", 0) == 0 || first == "STYLE" || first == "REGION") {
      while (i < lines.size() && !blank(lines[i])) ++i;
      return;
    }
    if (lines[i].find("-->") == std::string_view::npos) {  // a cue identifier
      check_utf8(i);
      ++i;
    }
    read_cue();
  }
  std::vector<Cue> run() {
    if (!srt) {
      if (lines.empty() || trim(lines[0]).substr(0, 6) != "WEBVTT") fail(0, "expected 'WEBVTT'");
      while (i < lines.size() && !blank(lines[i])) ++i;  // header
    }
    for (skip_blank(); i < lines.size(); skip_blank()) srt ? read_srt_block() : read_vtt_block();
    if (cues.empty()) fail(lines.empty() ? 0 : lines.size() - 1, "no caption cues in the file");
    return std::move(cues);
  }
};

}  // namespace

std::vector<Cue> parse_srt(std::string_view content, const std::string& name) {
  return Parser(content, name, true).run();
}

std::vector<Cue> parse_webvtt(std::string_view content, const std::string& name) {
  return Parser(content, name, false).run();
}

std::vector<Cue> parse_captions(std::string_view content, const std::string& name) {
  std::string_view head = content.substr(0, 9);
  if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  return head.substr(0, 6) == "WEBVTT" ? parse_webvtt(content, name) : parse_srt(content, name);
}

std::vector<Cue> load_captions(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("--captions " + path + ": cannot open the file");
  std::ostringstream content;
  content << in.rdbuf();
  return parse_captions(content.str(), path);
}

}  // namespace surg::annotate
