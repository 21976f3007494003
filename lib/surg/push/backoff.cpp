#include "surg/push/backoff.hpp"

#include <algorithm>

namespace surg::push {

Micros Backoff::next() {
  // Doubling stops once the cap is reached, so the shift never overflows.
  Micros delay = first_;
  for (int i = 0; i < failures_ && delay < max_; ++i) delay *= 2;
  ++failures_;
  return std::min(delay, max_);
}

}  // namespace surg::push
