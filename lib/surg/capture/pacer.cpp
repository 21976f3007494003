#include "surg/capture/pacer.hpp"

#include <algorithm>
#include <thread>

#include "surg/core/signals.hpp"

namespace surg::capture {

Micros Pacer::wait(Micros media_time) {
  if (!enabled_) return Micros(0);
  if (!origin_) {
    origin_ = media_time;
    start_ = std::chrono::steady_clock::now();
    return Micros(0);
  }
  const auto due = start_ + (media_time - *origin_);
  const auto late = std::chrono::steady_clock::now() - due;
  if (late > decltype(late)::zero()) return std::chrono::duration_cast<Micros>(late);
  // Short naps so a stop request is seen promptly even before a long gap.
  constexpr auto kNap = std::chrono::milliseconds(50);
  for (auto now = std::chrono::steady_clock::now(); now < due && !stop_requested();
       now = std::chrono::steady_clock::now())
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(due - now, kNap));
  return Micros(0);
}

std::int64_t wall_clock_us() {
  return std::chrono::duration_cast<Micros>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace surg::capture
