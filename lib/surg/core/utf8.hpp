#pragma once
// UTF-8 checks and conversion: text drawn glyph by glyph (surg-annotate) and text checked
// where it enters a tool (chapter-mark labels, media/mark_label.hpp).
#include <string>
#include <string_view>

namespace surg {

bool valid_utf8(std::string_view text);
// Invalid sequences become U+FFFD, as a renderer would draw them.
std::u32string to_u32(std::string_view text);
std::string to_utf8(std::u32string_view text);

}  // namespace surg
