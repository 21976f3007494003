#include "surg/core/utf8.hpp"

#include <cstdint>
#include <cstdio>

namespace surg {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes the sequence at text[i], advancing i; false when it is not valid UTF-8.
bool decode(std::string_view text, std::size_t& i, char32_t& cp) {
  const auto c = static_cast<unsigned char>(text[i]);
  const int extra = c < 0x80             ? 0
                    : (c & 0xE0) == 0xC0 ? 1
                    : (c & 0xF0) == 0xE0 ? 2
                    : (c & 0xF8) == 0xF0 ? 3
                                         : -1;
  if (extra < 0 || text.size() - i <= static_cast<std::size_t>(extra)) {
    ++i;
    return false;
  }
  std::uint32_t v = extra == 0 ? c : c & (0x3Fu >> extra);
  for (int k = 1; k <= extra; ++k) {
    const auto cc = static_cast<unsigned char>(text[i + k]);
    if ((cc & 0xC0) != 0x80) {
      i += k;
      return false;
    }
    v = (v << 6) | (cc & 0x3F);
  }
  i += static_cast<std::size_t>(extra) + 1;
  constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  cp = static_cast<char32_t>(v);
  return v >= kMin[extra] && v <= 0x10FFFF && (v < 0xD800 || v > 0xDFFF);
}

}  // namespace

bool valid_utf8(std::string_view text) {
  char32_t cp = 0;
  for (std::size_t i = 0; i < text.size();)
    if (!decode(text, i, cp)) return false;
  return true;
}

std::u32string to_u32(std::string_view text) {
  std::u32string out;
  char32_t cp = 0;
  for (std::size_t i = 0; i < text.size();) out.push_back(decode(text, i, cp) ? cp : kReplacement);
  return out;
}

std::string to_utf8(std::u32string_view text) {
  std::string out;
  for (const char32_t cp : text) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

std::optional<std::string> line_problem(std::string_view text, std::size_t max_bytes) {
  // The cap first: a huge text is refused without being decoded.
  if (text.size() > max_bytes)
    return "is " + std::to_string(text.size()) + " bytes, more than " + std::to_string(max_bytes);
  if (!valid_utf8(text)) return std::string("is not valid UTF-8");
  for (const char32_t c : to_u32(text)) {
    if (c >= 0x20 && c != 0x7F && (c < 0x80 || c > 0x9F)) continue;
    char code[16];
    std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
    return std::string("holds a control character (") + code + ")";
  }
  return std::nullopt;
}

}  // namespace surg
