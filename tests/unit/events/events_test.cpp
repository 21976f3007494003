#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "surg/core/error.hpp"
#include "surg/events/events.hpp"

TEST_CASE("events are JSON Lines with the documented envelope, flushed per line") {
  const auto path = (std::filesystem::temp_directory_path() / "surg-events-test.jsonl").string();
  surg::events::Emitter e("surg-anonymize", path);
  e.emit("faces", {{"boxes", 2}, {"note", "quote \" and \\ newline \n"}}, 3003, {1, 90000});
  // Read while the emitter is still open: the line must already be there.
  std::ifstream in(path);
  std::string line;
  REQUIRE(std::getline(in, line));
  const auto j = nlohmann::json::parse(line);
  CHECK(j["v"] == 1);
  CHECK(j["tool"] == "surg-anonymize");
  CHECK(j["type"] == "faces");
  CHECK(j["pts"] == 3003);
  CHECK(j["tb"] == "1/90000");
  CHECK(j["data"]["note"] == "quote \" and \\ newline \n");
  std::filesystem::remove(path);
}

TEST_CASE("a disabled emitter does nothing; an unwritable target is a usage error") {
  surg::events::Emitter off;
  CHECK_FALSE(off.enabled());
  off.emit("x");
  CHECK_THROWS_AS(surg::events::Emitter("t", "/nonexistent/dir/e.jsonl"), surg::UsageError);
  CHECK_THROWS_AS(surg::events::Emitter("t", "fd:1"), surg::UsageError);
}
