// TOML text toml++ 3.3 cannot parse safely is refused; the rest reaches it as pure ASCII with
// the same meaning (core/toml_guard.hpp).
#include "surg/core/toml_guard.hpp"

#include <string>

#include <toml++/toml.h>
#include <catch2/catch.hpp>

#include "surg/core/error.hpp"

using surg::guard_toml;
using namespace std::string_literals;

namespace {

bool ascii(const std::string& s) {
  for (const char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

// The value of key `t` as toml++ reads the guarded text.
std::string t_of(const std::string& text) {
  const std::string guarded = guard_toml(text, "f.toml");
  INFO(guarded);
  CHECK(ascii(guarded));
  return toml::parse(guarded)["t"].value_or("<missing>"s);
}

}  // namespace

TEST_CASE("headers toml++ cannot parse safely are refused with file and line") {
  for (const char* bad : {"[&push]\n", "[common]\nverbose = 1\n[&push]\npreset = 1\n", "[[[1]]]",
                          "[[=", "[[[]]", "[ ]", "  [\t!x]",
                          // A """ in a comment or a one-line string opens no multi-line string
                          // (found by fuzz_zones: the header after it went unchecked).
                          "# a \"\"\" in a comment\n[. x]\n", "a = 'x\"\"\"y'\n[&b]\n"}) {
    INFO(bad);
    CHECK_THROWS_AS(guard_toml(bad, "f.toml"), surg::UsageError);
  }
  CHECK_THROWS_WITH(guard_toml("[common]\nverbose = 1\n[&push]\n", "f.toml"),
                    "f.toml:3: invalid table header (a key must follow '[')");
}

TEST_CASE("valid ASCII TOML passes unchanged but for literal strings") {
  for (const char* ok : {"[push]\nx = 1\n", "[[zone]]\nname = \"a\"\n", "[ \"quoted key\" ]\n",
                         "a = [\n  1,\n]\n", "s = \"\"\"\n[&not a header]\n\"\"\"\n", "t = {}\n", ""}) {
    INFO(ok);
    CHECK(guard_toml(ok, "f.toml") == ok);
  }
  CHECK(guard_toml("['lit']\ns = '''\n[&nor this]\n'''\n# \"\"\"\n[ok]\n", "f.toml") ==
        "[\"lit\"]\ns = \"\"\"\n[&nor this]\n\"\"\"\n# \"\"\"\n[ok]\n");
}

TEST_CASE("strings keep their meaning as ASCII") {
  CHECK(t_of("t = \"l'\xc3\xa9quipe\" # caf\xc3\xa9\n") == "l'\xc3\xa9quipe");
  CHECK(t_of("t = '\xc3\xa9 \\n \"q\"'\n") == "\xc3\xa9 \\n \"q\"");  // literal: no escapes
  CHECK(t_of("t = \"a\\\"\xf0\x9f\x98\x80\"\n") == "a\"\xf0\x9f\x98\x80");
  CHECK(t_of("t = \"\"\"\n\xc3\xa9\n\"\"\"\n") == "\xc3\xa9\n");
  CHECK(t_of("t = '''\xc3\xa9 \\ \"\"\n'''\n") == "\xc3\xa9 \\ \"\"\n");
  CHECK(t_of("t = '''x'''''\n") == "x''");  // a run of five closes with two quotes inside
  CHECK(t_of("t = \"\"\"x\"\"\"\"\n") == "x\"");
  CHECK(t_of("\"k\xc3\xa9\" = 1\nt = \"\"\n") == "");
  const auto table = toml::parse(guard_toml("\"k\xc3\xa9\".'b\xc3\xa9' = 1\n", "f.toml"));
  CHECK(table["k\xc3\xa9"]["b\xc3\xa9"].value_or(0) == 1);
  CHECK(toml::parse(guard_toml("a = [1,\"\xc3\xa9\"]\n", "f.toml"))["a"][1].value_or(""s) == "\xc3\xa9");
}

TEST_CASE("non-ASCII outside strings and comments is refused before toml++ sees it") {
  CHECK_THROWS_AS(guard_toml("[push]\noutput \xc3\x8e[\"a.mkv\"]\n", "f.toml"), surg::UsageError);
  CHECK_THROWS_AS(guard_toml("titr\xc3\xa9 = 1\n", "f.toml"), surg::UsageError);
  CHECK_THROWS_WITH(guard_toml("[a]\nb = 1\nc \xc3\x8e= 2\n", "f.toml"),
                    "f.toml:3: non-ASCII character outside a string or comment");
  // A quote inside a bare token opens no string: toml++ scans on through it (fuzz_zones).
  CHECK_THROWS_AS(guard_toml("x = 0.0^\"&\"\"\"'\"\xef\xba\xbf\"\n", "f.toml"), surg::UsageError);
  CHECK_THROWS_AS(guard_toml("x = 1'\xc3\xa9'\n", "f.toml"), surg::UsageError);
  // Escaping a non-ASCII character is invalid; the rewrite must not make it "\\u00E9".
  CHECK_THROWS_WITH(guard_toml("t = \"\\\xc3\xa9\"\n", "f.toml"), Catch::Contains("invalid escape"));
}

TEST_CASE("the inputs fuzz_zones found reaching toml++'s Unicode tables are refused") {
  // Lines of quotes whose string boundaries toml++ and a simple scanner read differently, with
  // U+FEBF where toml++ asked whether it is whitespace and reached TOML_UNREACHABLE (the same
  // bytes are tests/fuzz/corpus/zones/crash-unicode-*).
  CHECK_THROWS_WITH(
      guard_toml(
          "\"\"\"\"\"^^^^^^^i0^\"~\"\"&\"'\"\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\xef"
          "\xba"
          "\xbf"
          "\"\"\"# surg-an^^# surg-anony\\\\\\\\\"\"&\"\"\"'\"\"\"\"\"\"\"&\"'\"\\\\\\\\\\\\\\=\"\"\"\xef"
          "\xba"
          "\xbf"
          "\"\"y^= \"# su^^^\n 0.\"\"",
          "f.toml"),
      "f.toml:1: invalid escape sequence in a string");
  CHECK_THROWS_WITH(guard_toml("# sur\"\"&\"\"\"'\"\"\"\"\"\xef"
                               "\xba"
                               "\xbf"
                               "\"\"\"\"\"\"\"# surg-an^^^^^^^i\"\nx = 0.0^\"&\"\"\"'\"\"\"\"\"\xef"
                               "\xba"
                               "\xbf"
                               "\"\"\"\"\"\"\"# su^^^^\ny = 0.0\n",
                               "f.toml"),
                    "f.toml:2: non-ASCII character outside a string or comment");
}

TEST_CASE("a '}' where an array wants a value is refused") {
  // "verbose =[\n}" made toml++ 3.3 parse '}' as a value, against its assertion (fuzz_config).
  for (const char* bad : {"[common]\nverbose =[\n}oe1ph]\n", "a = [}\n", "a = [1, }\n", "a = [ # c\n  }\n"}) {
    INFO(bad);
    CHECK_THROWS_WITH(guard_toml(bad, "f.toml"), Catch::Contains("'}' where a value"));
  }
  CHECK_NOTHROW(guard_toml("a = [{}, {b = [1]}]\nc = { d = '}' }\n", "f.toml"));
}

TEST_CASE("control characters and invalid UTF-8 are refused before toml++ sees them") {
  // A NUL after "output = [}" made toml++ 3.3 assert (found by fuzz_config).
  for (const std::string& bad : {"[push]\noutput = [}\0\0f\n"s, "# comment \x01\n"s, "a = \"x\x7fy\"\n"s}) {
    INFO(bad);
    CHECK_THROWS_WITH(guard_toml(bad, "f.toml"), Catch::Contains("control character"));
  }
  CHECK_THROWS_WITH(guard_toml("a = 1\nt = \"\xc3\x28\"\n", "f.toml"), "f.toml:2: not valid UTF-8");
  CHECK_THROWS_WITH(guard_toml("# \xed\xa0\x80\n", "f.toml"), Catch::Contains("not valid UTF-8"));
  CHECK(guard_toml("a = \"tab\there\"\r\nb = 1\n", "f.toml") == "a = \"tab\there\"\r\nb = 1\n");
}
