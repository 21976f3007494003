#pragma once
// Reconnect delays: 2 s, 4 s, 8 s ... capped at 60 s; back to 2 s after a good connection.
#include "surg/core/units.hpp"

namespace surg::push {

class Backoff {
 public:
  explicit Backoff(Micros first = Micros(2000000), Micros max = Micros(60000000))
      : first_(first), max_(max) {}
  Micros next();  // the delay before the next attempt; counts a failure
  void reset() { failures_ = 0; }
  int failures() const { return failures_; }  // failures in a row

 private:
  Micros first_, max_;
  int failures_ = 0;
};

}  // namespace surg::push
