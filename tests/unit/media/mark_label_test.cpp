#include <catch2/catch.hpp>

#include <string>

#include "surg/media/mark_label.hpp"

using surg::media::kMaxMarkLabelBytes;
using surg::media::mark_label_problem;

TEST_CASE("mark labels: one line of UTF-8 text, at most 256 bytes") {
  CHECK_FALSE(mark_label_problem("stone found"));
  CHECK_FALSE(mark_label_problem("Ærø — 手術 𝄞"));
  CHECK_FALSE(mark_label_problem(""));
  CHECK_FALSE(mark_label_problem(std::string(kMaxMarkLabelBytes, 'x')));
  // 128 two-byte letters are 256 bytes: the cap counts bytes, not characters.
  std::string two_byte;
  for (int i = 0; i < 128; ++i) two_byte += "é";
  CHECK_FALSE(mark_label_problem(two_byte));
  CHECK(mark_label_problem(two_byte + "é") == "is 258 bytes, more than 256");
  CHECK(mark_label_problem(std::string(kMaxMarkLabelBytes + 1, 'x')) == "is 257 bytes, more than 256");
  CHECK(mark_label_problem(std::string(1 << 20, 'x')) == "is 1048576 bytes, more than 256");
}

TEST_CASE("mark labels: invalid UTF-8 is refused") {
  CHECK(mark_label_problem("Ur\xE9t\xE9roscopie") == "is not valid UTF-8");  // Latin-1
  CHECK(mark_label_problem("\xC0\xAF") == "is not valid UTF-8");             // overlong '/'
  CHECK(mark_label_problem("\xED\xA0\x80") == "is not valid UTF-8");         // surrogate
  CHECK(mark_label_problem("stone\xE2\x82") == "is not valid UTF-8");        // truncated
}

TEST_CASE("mark labels: control characters are refused, named by code point") {
  CHECK(mark_label_problem(std::string("a\0b", 3)) == "holds a control character (U+0000)");
  CHECK(mark_label_problem("stone\nfound") == "holds a control character (U+000A)");
  CHECK(mark_label_problem("stone\tfound") == "holds a control character (U+0009)");
  CHECK(mark_label_problem("\x1B[2Jcleared") == "holds a control character (U+001B)");  // terminal escape
  CHECK(mark_label_problem("del\x7F") == "holds a control character (U+007F)");
  CHECK(mark_label_problem("c1\xC2\x9B") == "holds a control character (U+009B)");  // C1 CSI
  // Just outside the ranges: printable.
  CHECK_FALSE(mark_label_problem(" ~\xC2\xA0"));  // space, tilde, no-break space (U+00A0)
}
