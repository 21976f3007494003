#pragma once
// Clock interface at the OS boundary so tests can inject time (consent expiry, pacing).
#include <chrono>

namespace surg {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;
};

class SystemClock : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace surg
