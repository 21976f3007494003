#include <catch2/catch.hpp>

#include "surg/annotate/font.hpp"
#include "surg/annotate/options.hpp"
#include "surg/core/error.hpp"
#include "surg/core/utf8.hpp"

using namespace surg::annotate;
using surg::to_u32;
using surg::to_utf8;

namespace {

std::string joined(const std::vector<std::string>& lines, const char* sep) {
  std::string s;
  for (const auto& l : lines) s += (s.empty() ? "" : sep) + l;
  return s;
}

}  // namespace

TEST_CASE("a font that cannot be read is a usage error") {
  CHECK_THROWS_AS(Font("/etc/hostname"), surg::UsageError);
}

TEST_CASE("widths grow with text and size") {
  Font font(kDefaultFont);
  CHECK(font.family() == "DejaVu Sans");
  CHECK(font.width(U"", 20) == 0);
  CHECK(font.width(U"ab", 20) > font.width(U"a", 20));
  CHECK(font.width(U"abc", 40) > font.width(U"abc", 20));
  CHECK(font.line_height(40) > font.line_height(20));
}

TEST_CASE("long text wraps at spaces within the width, words kept in order") {
  Font font(kDefaultFont);
  const std::string text =
      "Ureteroscopy with laser lithotripsy of a 9 mm stone in the left "
      "lower pole, l'équipe : Dr Müller & Dr N'Diaye — 100% réussi";
  const TextBlock block = fit_text(font, text, 24, 24, 300, 20);
  REQUIRE(block.lines.size() > 2);
  for (const auto& line : block.lines) CHECK(font.width(to_u32(line), 24) <= 300);
  CHECK(joined(block.lines, " ") == text);
  CHECK_FALSE(block.truncated);
}

TEST_CASE("a word longer than a line is broken, explicit newlines are kept") {
  Font font(kDefaultFont);
  const std::string word(200, 'W');
  const auto lines = wrap_text(font, to_u32("first\n" + word), 20, 150);
  REQUIRE(lines.size() > 3);
  CHECK(lines[0] == U"first");
  std::u32string rest;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    CHECK(font.width(lines[i], 20) <= 150);
    rest += lines[i];
  }
  CHECK(to_utf8(rest) == word);
}

TEST_CASE("text that does not fit shrinks, then is cut with an ellipsis") {
  Font font(kDefaultFont);
  const std::string text = "one two three four five six seven eight nine ten eleven twelve";
  const TextBlock shrunk = fit_text(font, text, 40, 10, 400, 2);
  CHECK(shrunk.size < 40);
  CHECK(shrunk.lines.size() <= 2);
  CHECK_FALSE(shrunk.truncated);
  const TextBlock cut = fit_text(font, text, 40, 40, 200, 2);
  CHECK(cut.truncated);
  REQUIRE(cut.lines.size() == 2);
  CHECK(cut.lines[1].substr(cut.lines[1].size() - 3) == "…");
}
