#pragma once
// Filter-graph escaping, in one place. surg-annotate never builds its graphs from text: each
// option value reaches its filter through av_opt_set, and drawtext gets expansion=none, so
// user text can neither inject filter options nor expand %{...}. The text form below is
// what a human replays with `ffmpeg -filter_complex` (logged at debug level), and the unit
// tests parse it back with libavfilter to prove hostile strings survive both levels intact.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace surg::annotate {

using Args = std::vector<std::pair<std::string, std::string>>;

// Level 1: a value inside "key=value:key=value": quoted with ', a ' written as '\''.
std::string quote_option_value(std::string_view value);
// Level 2: a filter's argument string inside a graph: \ ' [ ] , ; escaped with a backslash.
std::string escape_filter_args(std::string_view args);
// "drawtext@title=text='...':fontsize='40'" with both levels applied.
std::string filter_description(std::string_view filter, std::string_view id, const Args& args);

}  // namespace surg::annotate
