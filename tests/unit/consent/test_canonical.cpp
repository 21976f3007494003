#include <catch2/catch.hpp>

#include "surg/core/error.hpp"
#include "surg/ledger/canonical.hpp"

using nlohmann::json;
using surg::consent::canonical;
using surg::consent::parse_canonical;

TEST_CASE("canonical JSON sorts keys and has no whitespace", "[canonical]") {
  json value = {{"zeta", 1}, {"alpha", {{"b", true}, {"a", nullptr}}}, {"mid", json::array({"x", -2})}};
  CHECK(canonical(value) == R"({"alpha":{"a":null,"b":true},"mid":["x",-2],"zeta":1})");
}

TEST_CASE("canonical JSON keeps UTF-8 and escapes control characters once", "[canonical]") {
  json value = {{"s", "caf\xC3\xA9\n\"q\""}};
  CHECK(canonical(value) == "{\"s\":\"caf\xC3\xA9\\n\\\"q\\\"\"}");
}

TEST_CASE("canonical JSON refuses floats and invalid UTF-8", "[canonical]") {
  CHECK_THROWS_AS(canonical(json{{"x", 1.5}}), surg::InputError);
  CHECK_THROWS(canonical(json{{"x", std::string("\xff")}}));
}

TEST_CASE("parse_canonical accepts only the canonical spelling", "[canonical]") {
  CHECK(parse_canonical(R"({"a":1,"b":[1,2]})"));
  CHECK_FALSE(parse_canonical(R"({"b":[1,2],"a":1})"));   // key order
  CHECK_FALSE(parse_canonical(R"({"a": 1,"b":[1,2]})"));  // whitespace
  CHECK_FALSE(parse_canonical(R"({"a":1,"b":[1,2]} )"));  // trailing space
  CHECK_FALSE(parse_canonical(R"({"a":"\u0041"})"));      // escaped where not needed
  CHECK_FALSE(parse_canonical(R"({"a":1.0})"));           // float
  CHECK_FALSE(parse_canonical(R"({"a":1,"a":2})"));       // duplicate key
  CHECK_FALSE(parse_canonical(R"({"a":1)"));              // truncated
}
