// Table headers that make toml++ 3.3 break its own precondition (found by fuzz_config).
#include <string>

#include <catch2/catch.hpp>

#include "surg/core/error.hpp"
#include "surg/core/toml_guard.hpp"

using surg::check_toml_headers;

TEST_CASE("headers toml++ cannot parse safely are refused with file and line") {
  for (const char* bad : {"[&push]\n", "[common]\nverbose = 1\n[&push]\npreset = 1\n", "[[[1]]]",
                          "[[=", "[[[]]", "[ ]", "  [\t!x]",
                          // A """ in a comment or a one-line string opens no multi-line string
                          // (found by fuzz_zones: the header after it went unchecked).
                          "# a \"\"\" in a comment\n[. x]\n", "a = 'x\"\"\"y'\n[&b]\n"}) {
    INFO(bad);
    CHECK_THROWS_AS(check_toml_headers(bad, "f.toml"), surg::UsageError);
  }
  try {
    check_toml_headers("[common]\nverbose = 1\n[&push]\n", "f.toml");
  } catch (const surg::UsageError& e) {
    CHECK(std::string(e.what()) == "f.toml:3: invalid table header (a key must follow '[')");
  }
}

TEST_CASE("valid TOML passes the header check") {
  for (const char* ok : {"[push]\nx = 1\n", "[[zone]]\nname = \"a\"\n", "[ \"quoted key\" ]\n", "['lit']\n",
                         "a = [\n  1,\n]\n", "s = \"\"\"\n[&not a header]\n\"\"\"\n",
                         "s = '''\n[&nor this]\n'''\n# \"\"\"\n[ok]\n", ""}) {
    INFO(ok);
    CHECK_NOTHROW(check_toml_headers(ok, "f.toml"));
  }
}

TEST_CASE("non-ASCII outside strings and comments is refused before toml++ sees it") {
  CHECK_THROWS_AS(check_toml_headers("[push]\noutput \xc3\x8e[\"a.mkv\"]\n", "f.toml"), surg::UsageError);
  CHECK_THROWS_AS(check_toml_headers("titr\xc3\xa9 = 1\n", "f.toml"), surg::UsageError);
  try {
    check_toml_headers("[a]\nb = 1\nc \xc3\x8e= 2\n", "f.toml");
    FAIL("accepted");
  } catch (const surg::UsageError& e) {
    CHECK(std::string(e.what()).rfind("f.toml:3:", 0) == 0);
  }
  // A quote inside a bare token opens no string: toml++ scans on through it (fuzz_zones).
  CHECK_THROWS_AS(check_toml_headers("x = 0.0^\"&\"\"\"'\"\xef\xba\xbf\"\n", "f.toml"), surg::UsageError);
  CHECK_THROWS_AS(check_toml_headers("x = 1'\xc3\xa9'\n", "f.toml"), surg::UsageError);
  for (const char* ok : {"title = \"l'\xc3\xa9quipe\" # caf\xc3\xa9\n", "a = [1,\"\xc3\xa9\"]\n",
                         "\"k\xc3\xa9\".\"b\xc3\xa9\" = 1\n", "t = {a=\"\xc3\xa9\"}\n", "t = '\xc3\xa9'\n",
                         "t = \"\"\"\n\xc3\xa9\n\"\"\"\n", "t = '''\xc3\xa9\n'''\n",
                         "t = \"a\\\"\xc3\xa9\"\n", "# only a comment \xc3\xa9"}) {
    INFO(ok);
    CHECK_NOTHROW(check_toml_headers(ok, "f.toml"));
  }
}

TEST_CASE("control characters anywhere are refused before toml++ sees them") {
  using namespace std::string_literals;
  // A NUL after "output = [}" made toml++ 3.3 assert (found by fuzz_config).
  for (const std::string bad : {"[push]\noutput = [}\0\0f\n"s, "# comment \x01\n"s, "a = \"x\x7fy\"\n"s}) {
    INFO(bad);
    CHECK_THROWS_WITH(check_toml_headers(bad, "f.toml"), Catch::Contains("control character"));
  }
  CHECK_NOTHROW(check_toml_headers("a = \"tab\there\"\r\nb = 1\n", "f.toml"));
}
