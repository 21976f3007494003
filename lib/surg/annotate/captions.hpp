#pragma once
// Timed captions from SRT and WebVTT files (UTF-8). The parser validates the file so that a
// malformed one fails before any media flows (exit 4, naming file and line); rendering is
// left to libass (the subtitles filter), which keeps the styling it supports.
#include <string>
#include <string_view>
#include <vector>

#include "surg/core/units.hpp"

namespace surg::annotate {

struct Cue {
  Micros start{0};
  Micros end{0};
  std::string text;  // lines joined with '\n', markup kept as written
  int line = 0;      // line of its timing line, for messages
};

// Both throw InputError "NAME:LINE: what is wrong" on malformed input.
std::vector<Cue> parse_srt(std::string_view content, const std::string& name);
std::vector<Cue> parse_webvtt(std::string_view content, const std::string& name);
// WebVTT when the file starts with "WEBVTT", SRT otherwise.
std::vector<Cue> parse_captions(std::string_view content, const std::string& name);
std::vector<Cue> load_captions(const std::string& path);

}  // namespace surg::annotate
