#include <catch2/catch.hpp>

#include "surg/push/backoff.hpp"

using surg::Micros;
using surg::push::Backoff;

namespace {
Micros s(long long seconds) { return Micros(seconds * 1000000); }
}  // namespace

TEST_CASE("backoff doubles from 1 s and stays at 2 s") {
  Backoff b;
  const Micros expected[] = {s(1), s(2), s(2), s(2), s(2), s(2), s(2), s(2)};
  for (const auto& e : expected) CHECK(b.next() == e);
  CHECK(b.failures() == 8);
}

TEST_CASE("backoff starts over after reset") {
  Backoff b;
  b.next();
  b.next();
  b.reset();
  CHECK(b.failures() == 0);
  CHECK(b.next() == s(1));
}

TEST_CASE("backoff never overflows after many failures") {
  Backoff b(Micros(500000), s(60));
  for (int i = 0; i < 200; ++i) b.next();
  CHECK(b.next() == s(60));
}
