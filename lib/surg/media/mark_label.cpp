#include "surg/media/mark_label.hpp"

#include <cstdio>

#include "surg/core/utf8.hpp"

namespace surg::media {

std::optional<std::string> mark_label_problem(std::string_view label) {
  // The cap first: a huge label is refused without being decoded.
  if (label.size() > kMaxMarkLabelBytes)
    return "is " + std::to_string(label.size()) + " bytes, more than " + std::to_string(kMaxMarkLabelBytes);
  if (!valid_utf8(label)) return std::string("is not valid UTF-8");
  for (const char32_t c : to_u32(label)) {
    if (c >= 0x20 && c != 0x7F && (c < 0x80 || c > 0x9F)) continue;
    char code[16];
    std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
    return std::string("holds a control character (") + code + ")";
  }
  return std::nullopt;
}

}  // namespace surg::media
