// Timestamps of ledger entries: the range a consent can be dated in.
#include <catch2/catch.hpp>

#include "surg/ledger/timestamp.hpp"

using surg::consent::parse_timestamp;

TEST_CASE("timestamps: years a 64-bit nanosecond clock cannot hold are refused, not overflowed") {
  // 2055-… fits; 9999 would overflow the TimePoint (found by fuzz_ledger and UBSan).
  CHECK(parse_timestamp("2055-03-01T12:00:00Z"));
  CHECK_FALSE(parse_timestamp("9999-12-31T23:59:59Z"));
  CHECK_FALSE(parse_timestamp("2263-01-01T00:00Z"));
  CHECK_FALSE(parse_timestamp("0001-01-01T00:00Z"));
}
