#include <catch2/catch.hpp>

#include "surg/media/session.hpp"

using namespace surg::media;

TEST_CASE("the chain records each step with its settings") {
  auto chain = append_chain("", "surg-capture", {"test-pattern"});
  chain = append_chain(chain, "surg-anonymize", {"faces", "oob", "zones"});
  const auto steps = parse_chain(chain);
  REQUIRE(steps.size() == 2);
  CHECK(steps[0].tool == "capture");
  CHECK(steps[0].version == SURG_VERSION);
  CHECK(steps[0].has("test-pattern"));
  CHECK(steps[1].tool == "anonymize");
  CHECK(steps[1].has("oob"));
  CHECK_FALSE(steps[1].has("text"));
}

TEST_CASE("a chain step's key=value settings are read by key") {
  const auto steps =
      parse_chain(append_chain("", "surg-anonymize", {"faces", "detector=blazeface", "model=4ff5"}));
  REQUIRE(steps.size() == 1);
  CHECK(steps[0].value("detector") == "blazeface");
  CHECK(steps[0].value("model") == "4ff5");
  CHECK(steps[0].value("faces").empty());   // a flag, not a key
  CHECK(steps[0].value("mode").empty());    // absent
  CHECK(steps[0].value("detect").empty());  // a prefix of a key is not the key
}

TEST_CASE("only allow-listed tags are session tags") {
  CHECK(is_session_tag("surg.case"));
  CHECK(is_session_tag("surg.chain"));
  CHECK(is_session_tag("surg.consent"));
  CHECK_FALSE(is_session_tag("surg.other"));
  CHECK_FALSE(is_session_tag("creation_time"));
  CHECK_FALSE(is_session_tag("encoder"));
}
