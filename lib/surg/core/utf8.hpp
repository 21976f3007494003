#pragma once
// UTF-8 checks and conversion: text drawn glyph by glyph (surg-annotate) and text checked
// where it enters a tool (chapter-mark labels, media/mark_label.hpp; the title).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace surg {

bool valid_utf8(std::string_view text);
// Invalid sequences become U+FFFD, as a renderer would draw them.
std::u32string to_u32(std::string_view text);
std::string to_utf8(std::u32string_view text);

// Why `text` is not one line of valid UTF-8 of at most `max_bytes` bytes without a control
// character ("is 300 bytes, more than 256", "is not valid UTF-8", "holds a control character
// (U+0007)"), or nullopt when it is. Control characters are C0 (tabs and newlines too), DEL
// and C1. The reason never repeats the text, so it is safe to log.
std::optional<std::string> line_problem(std::string_view text, std::size_t max_bytes);

}  // namespace surg
