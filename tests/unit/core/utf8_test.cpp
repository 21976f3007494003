#include <catch2/catch.hpp>

#include "surg/core/utf8.hpp"

using surg::to_u32;
using surg::to_utf8;
using surg::valid_utf8;

TEST_CASE("UTF-8 validation and conversion") {
  CHECK(valid_utf8("Ærø — 手術"));
  CHECK_FALSE(valid_utf8("\xC0\xAF"));          // overlong
  CHECK_FALSE(valid_utf8("\xED\xA0\x80"));      // surrogate
  CHECK_FALSE(valid_utf8("abc\xE2\x82"));       // truncated
  CHECK(to_utf8(to_u32("Ærø — 手術 𝄞")) == "Ærø — 手術 𝄞");
  CHECK(to_u32("a\xFF") == U"a\uFFFD");
}
