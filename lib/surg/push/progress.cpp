#include "surg/push/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace surg::push {

bool stderr_is_terminal() { return isatty(2) == 1; }

Progress::Progress(bool enabled) : enabled_(enabled) {}

void Progress::update(std::int64_t frames, Micros media_time, std::int64_t encoded_bytes) {
  if (!enabled_) return;
  const auto now = Clock::now();
  if (now - last_ < std::chrono::milliseconds(500)) return;
  last_ = now;
  const double wall = std::chrono::duration<double>(now - start_).count();
  const double media = media_time.count() / 1e6;
  const double kbps = media > 0 ? encoded_bytes * 8 / media / 1000 : 0;
  std::fprintf(stderr, "\rframes %lld  fps %.1f  speed %.2fx  bitrate %.0f kbit/s   ",
               static_cast<long long>(frames), wall > 0 ? frames / wall : 0.0, wall > 0 ? media / wall : 0.0,
               kbps);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::done() {
  if (!drawn_) return;
  std::fputc('\n', stderr);
  drawn_ = false;
}

}  // namespace surg::push
