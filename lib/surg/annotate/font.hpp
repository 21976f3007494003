#pragma once
// Text measurement with FreeType, laid out as drawtext lays it out (advances plus kerning,
// no shaping), so that lines can be wrapped before drawtext renders them: long text is
// wrapped, never cut off the frame.
#include <map>
#include <string>
#include <string_view>
#include <vector>

typedef struct FT_LibraryRec_* FT_Library;
typedef struct FT_FaceRec_* FT_Face;

namespace surg::annotate {

class Font {
 public:
  explicit Font(const std::string& path);  // UsageError when FreeType cannot load it
  ~Font();
  Font(const Font&) = delete;
  Font& operator=(const Font&) = delete;

  const std::string& path() const { return path_; }
  std::string family() const;                     // "DejaVu Sans": what libass looks the font up by
  int width(std::u32string_view line, int size);  // pixels, as drawtext advances
  int line_height(int size);                      // ascender - descender, pixels
  int ascender(int size);                         // pixels above the baseline

 private:
  int advance(char32_t c, int size);
  int kerning(char32_t left, char32_t right, int size);
  void set_size(int size);

  std::string path_;
  FT_Library library_ = nullptr;
  FT_Face face_ = nullptr;
  int size_ = 0;
  std::map<std::pair<int, char32_t>, int> advances_;
};

// Wraps at spaces to `max_width` pixels (words longer than a line are broken), keeping the
// text's own line breaks. Tabs become spaces; other control characters are dropped.
std::vector<std::u32string> wrap_text(Font& font, std::u32string_view text, int size, int max_width);

struct TextBlock {
  std::vector<std::string> lines;  // UTF-8
  int size = 0;                    // font size used, pixels
  int width = 0;                   // widest line, pixels
  bool truncated = false;          // more than max_lines even at min_size: the end is cut with "…"
};

// Wraps `text`, shrinking the size step by step down to `min_size` until it fits in
// `max_lines` lines of `max_width` pixels.
TextBlock fit_text(Font& font, std::string_view text, int size, int min_size, int max_width, int max_lines);

}  // namespace surg::annotate
