#include "surg/annotate/font.hpp"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <algorithm>

#include "surg/core/error.hpp"
#include "surg/core/utf8.hpp"

namespace surg::annotate {
namespace {

// What drawtext would draw: tabs as spaces, no other control characters, no CR.
std::u32string clean(std::u32string_view text) {
  std::u32string out;
  for (const char32_t c : text) {
    if (c == U'\t')
      out += U' ';
    else if (c == U'\n' || c >= 0x20)
      out += c;
  }
  return out;
}

std::vector<std::u32string_view> split(std::u32string_view text, char32_t sep) {
  std::vector<std::u32string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == sep) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

// Breaks `word` into pieces of at most max_width pixels (at least one character each).
void break_word(Font& font, std::u32string_view word, int size, int max_width,
                std::vector<std::u32string>& lines) {
  while (!word.empty()) {
    std::size_t n = 1;
    while (n < word.size() && font.width(word.substr(0, n + 1), size) <= max_width) ++n;
    lines.emplace_back(word.substr(0, n));
    word.remove_prefix(n);
  }
}

void wrap_paragraph(Font& font, std::u32string_view paragraph, int size, int max_width,
                    std::vector<std::u32string>& lines) {
  std::u32string line;
  for (const auto word : split(paragraph, U' ')) {
    if (word.empty()) continue;
    std::u32string candidate = line.empty() ? std::u32string(word) : line + U' ' + std::u32string(word);
    if (font.width(candidate, size) <= max_width) {
      line = std::move(candidate);
      continue;
    }
    if (!line.empty()) lines.push_back(std::move(line));
    line.clear();
    if (font.width(word, size) <= max_width) {
      line = word;
      continue;
    }
    break_word(font, word, size, max_width, lines);
    line = std::move(lines.back());  // the last piece may take the next words
    lines.pop_back();
  }
  lines.push_back(std::move(line));
}

// Keeps the first max_lines lines and ends the last with an ellipsis that fits.
void truncate(Font& font, std::vector<std::u32string>& lines, int size, int max_width, int max_lines) {
  lines.resize(static_cast<std::size_t>(max_lines));
  std::u32string& last = lines.back();
  while (!last.empty() && font.width(last + U"…", size) > max_width) last.pop_back();
  last += U"…";
}

}  // namespace

Font::Font(const std::string& path) : path_(path) {
  if (FT_Init_FreeType(&library_) != 0) throw RuntimeError("FreeType: cannot initialise");
  if (FT_New_Face(library_, path.c_str(), 0, &face_) != 0) {
    FT_Done_FreeType(library_);
    throw UsageError(path + ": not a font FreeType can read");
  }
}

Font::~Font() {
  FT_Done_Face(face_);
  FT_Done_FreeType(library_);
}

std::string Font::family() const { return face_->family_name ? face_->family_name : ""; }

void Font::set_size(int size) {
  if (size == size_) return;
  FT_Set_Pixel_Sizes(face_, 0, static_cast<FT_UInt>(size));
  size_ = size;
}

int Font::advance(char32_t c, int size) {
  const auto key = std::pair{size, c};
  if (auto it = advances_.find(key); it != advances_.end()) return it->second;
  set_size(size);
  int value = 0;
  if (FT_Load_Char(face_, c, FT_LOAD_DEFAULT) == 0) value = static_cast<int>(face_->glyph->advance.x >> 6);
  advances_.emplace(key, value);
  return value;
}

int Font::kerning(char32_t left, char32_t right, int size) {
  if (!FT_HAS_KERNING(face_)) return 0;
  set_size(size);
  FT_Vector delta{0, 0};
  FT_Get_Kerning(face_, FT_Get_Char_Index(face_, left), FT_Get_Char_Index(face_, right), FT_KERNING_DEFAULT,
                 &delta);
  return static_cast<int>(delta.x >> 6);
}

int Font::width(std::u32string_view line, int size) {
  int x = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (i > 0) x += kerning(line[i - 1], line[i], size);
    x += advance(line[i], size);
  }
  return x;
}

int Font::line_height(int size) {
  set_size(size);
  return static_cast<int>((face_->size->metrics.ascender - face_->size->metrics.descender) >> 6);
}

int Font::ascender(int size) {
  set_size(size);
  return static_cast<int>(face_->size->metrics.ascender >> 6);
}

std::vector<std::u32string> wrap_text(Font& font, std::u32string_view text, int size, int max_width) {
  std::vector<std::u32string> lines;
  const std::u32string cleaned = clean(text);
  for (const auto paragraph : split(cleaned, U'\n')) wrap_paragraph(font, paragraph, size, max_width, lines);
  return lines;
}

TextBlock fit_text(Font& font, std::string_view text, int size, int min_size, int max_width, int max_lines) {
  const std::u32string u = to_u32(text);
  TextBlock block;
  std::vector<std::u32string> lines;
  for (block.size = size;; block.size = std::max(min_size, block.size - std::max(1, block.size / 10))) {
    lines = wrap_text(font, u, block.size, max_width);
    if (static_cast<int>(lines.size()) <= max_lines || block.size <= min_size) break;
  }
  if (static_cast<int>(lines.size()) > max_lines) {
    truncate(font, lines, block.size, max_width, max_lines);
    block.truncated = true;
  }
  for (const auto& line : lines) {
    block.width = std::max(block.width, font.width(line, block.size));
    block.lines.push_back(to_utf8(line));
  }
  return block;
}

}  // namespace surg::annotate
