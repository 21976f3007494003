#include <catch2/catch.hpp>

#include "surg/core/utf8.hpp"

using surg::line_problem;
using surg::to_u32;
using surg::to_utf8;
using surg::valid_utf8;

TEST_CASE("UTF-8 validation and conversion") {
  CHECK(valid_utf8("Ærø — 手術"));
  CHECK_FALSE(valid_utf8("\xC0\xAF"));      // overlong
  CHECK_FALSE(valid_utf8("\xED\xA0\x80"));  // surrogate
  CHECK_FALSE(valid_utf8("abc\xE2\x82"));   // truncated
  CHECK(to_utf8(to_u32("Ærø — 手術 𝄞")) == "Ærø — 手術 𝄞");
  CHECK(to_u32("a\xFF") == U"a\uFFFD");
}

TEST_CASE("one line of text: the cap given, valid UTF-8, no C0, DEL or C1 control") {
  CHECK_FALSE(line_problem("Ærø — 手術 𝄞", 64));
  CHECK_FALSE(line_problem("", 0));
  CHECK_FALSE(line_problem("abcd", 4));
  CHECK(line_problem("abcde", 4) == "is 5 bytes, more than 4");
  CHECK(line_problem("a\tb", 64) == "holds a control character (U+0009)");
  CHECK(line_problem("a\x7f", 64) == "holds a control character (U+007F)");
  CHECK(line_problem("a\xC2\x85", 64) == "holds a control character (U+0085)");  // NEL, a C1 line break
  CHECK(line_problem("a\xFF", 64) == "is not valid UTF-8");
}
