#include <catch2/catch.hpp>

#include "surg/core/error.hpp"
#include "surg/ledger/case_id.hpp"

using surg::consent::case_id_problem;
using surg::consent::require_case_id;

TEST_CASE("pseudonymous case ids are accepted", "[case_id]") {
  for (const char* id : {"CASE-0213", "or-3-2026-11-28-a", "C1", "case_42", "OR3.2026-11-28.b", "Case-7"}) {
    INFO(id);
    if (std::string(id).size() < 3) {
      CHECK(case_id_problem(id));
    } else {
      CHECK_FALSE(case_id_problem(id));
    }
  }
}

TEST_CASE("names are refused", "[case_id]") {
  for (const char* id : {"John Smith", "Smith^John", "Smith, John", "john smith", "JohnSmith",
                         "John_Smith_12", "Marie-Claire Dupont", "Smith", "dupont", "Mary O'Brien"}) {
    INFO(id);
    auto problem = case_id_problem(id);
    REQUIRE(problem);
  }
  CHECK(case_id_problem("Smith^John")->find("name") != std::string::npos);
  CHECK(case_id_problem("John Smith")->find("name") != std::string::npos);
}

TEST_CASE("record numbers are refused", "[case_id]") {
  for (const char* id : {"1234567", "MRN-00123456", "943 476 5919", "943-476-5919", "123-45-6789",
                         "case-19850312", "P123456"}) {
    INFO(id);
    auto problem = case_id_problem(id);
    REQUIRE(problem);
    CHECK(problem->find("record") != std::string::npos);
  }
}

TEST_CASE("malformed ids are refused and the refusal never repeats the id", "[case_id]") {
  const std::vector<std::string> ids{"", "ab", "-x1", "a/b1", "x1 y2", "case\n1", std::string(64, 'a') + "1"};
  for (const auto& id : ids) {
    INFO(id);
    CHECK(case_id_problem(id));
  }
  try {
    require_case_id("Smith^John");
    FAIL("no exception");
  } catch (const surg::UsageError& e) {
    CHECK(std::string(e.what()).find("Smith") == std::string::npos);
    CHECK(e.status() == surg::ExitStatus::usage);
  }
}
