// The panel's request checks (lib/surg/console/access.hpp): Host, Origin and token.
#include <catch2/catch.hpp>

#include "surg/console/access.hpp"
#include "surg/core/error.hpp"

using namespace surg::console;

TEST_CASE("the listen address is a numeric ADDRESS:PORT") {
  const auto v4 = parse_listen("127.0.0.1:8480");
  CHECK(v4.host == "127.0.0.1");
  CHECK(v4.port == 8480);
  CHECK(v4.loopback());
  CHECK(v4.authority() == "127.0.0.1:8480");
  const auto v6 = parse_listen("[::1]:9000");
  CHECK(v6.host == "::1");
  CHECK(v6.loopback());
  CHECK(v6.authority() == "[::1]:9000");
  CHECK(parse_listen("127.8.9.10:1").loopback());
  CHECK_FALSE(parse_listen("192.168.1.20:8480").loopback());
  CHECK_FALSE(parse_listen("0.0.0.0:8480").loopback());
  for (const char* bad : {"localhost:8480", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:80x",
                          "::1:8480", "[::1]8480", ":8480", "example.org:80"})
    CHECK_THROWS_AS(parse_listen(bad), surg::UsageError);
}

TEST_CASE("a loopback panel without a token: Host must be this panel, Origin the same") {
  const Policy p{parse_listen("127.0.0.1:8480"), ""};
  CHECK(refuse_reason(p, {"127.0.0.1:8480", std::nullopt, std::nullopt, true}) == "");
  CHECK(refuse_reason(p, {"localhost:8480", "http://localhost:8480", std::nullopt, true}) == "");
  CHECK(refuse_reason(p, {"127.0.0.1:8480", "http://127.0.0.1:8480", std::nullopt, true}) == "");
  // DNS rebinding: a page of evil.example resolved to 127.0.0.1 sends its own name as Host.
  CHECK_THAT(refuse_reason(p, {"evil.example:8480", "http://evil.example:8480", std::nullopt, true}),
             Catch::Contains("not this panel"));
  CHECK_THAT(refuse_reason(p, {"127.0.0.1:8481", std::nullopt, std::nullopt, true}),
             Catch::Contains("not this panel"));
  CHECK_THAT(refuse_reason(p, {"", std::nullopt, std::nullopt, true}), Catch::Contains("not this panel"));
  // Another page in the operator's browser posting to the panel.
  CHECK_THAT(refuse_reason(p, {"127.0.0.1:8480", "http://evil.example", std::nullopt, true}),
             Catch::Contains("cross-origin"));
  CHECK_THAT(refuse_reason(p, {"127.0.0.1:8480", "null", std::nullopt, true}),
             Catch::Contains("cross-origin"));
  CHECK_THAT(refuse_reason(p, {"127.0.0.1:8480", "https://127.0.0.1:8480", std::nullopt, true}),
             Catch::Contains("cross-origin"));
}

TEST_CASE("a token, when configured, is required on every API request") {
  const std::string token = "0123456789abcdefXYZ";
  const Policy p{parse_listen("192.168.1.20:8480"), token};
  CHECK(refuse_reason(p, {"192.168.1.20:8480", std::nullopt, token, true}) == "");
  CHECK_THAT(refuse_reason(p, {"192.168.1.20:8480", std::nullopt, std::nullopt, true}),
             Catch::Contains("missing token"));
  CHECK_THAT(refuse_reason(p, {"192.168.1.20:8480", std::nullopt, token + "x", true}),
             Catch::Contains("wrong token"));
  CHECK_THAT(refuse_reason(p, {"192.168.1.20:8480", std::nullopt, std::string(""), true}),
             Catch::Contains("wrong token"));
  // The page itself holds no secret: served without the token (it asks for it).
  CHECK(refuse_reason(p, {"192.168.1.20:8480", std::nullopt, std::nullopt, false}) == "");
  // The reason never repeats the token.
  CHECK(refuse_reason(p, {"192.168.1.20:8480", std::nullopt, "wrong", true}).find(token) ==
        std::string::npos);
  // Listening on every address: any Host, but Origin must still match it, and the token counts.
  const Policy any{parse_listen("0.0.0.0:8480"), token};
  CHECK(refuse_reason(any, {"10.1.2.3:8480", "http://10.1.2.3:8480", token, true}) == "");
  CHECK_THAT(refuse_reason(any, {"10.1.2.3:8480", "http://evil.example", token, true}),
             Catch::Contains("cross-origin"));
  CHECK_THAT(refuse_reason(any, {"evil.example:8480", "http://evil.example:8480", std::nullopt, true}),
             Catch::Contains("missing token"));
}

TEST_CASE("same_secret compares whole strings") {
  CHECK(same_secret("abc", "abc"));
  CHECK_FALSE(same_secret("abc", "abd"));
  CHECK_FALSE(same_secret("abc", "abcd"));
  CHECK_FALSE(same_secret("abcd", "abc"));
  CHECK_FALSE(same_secret("", "a"));
  CHECK(same_secret("", ""));
}
