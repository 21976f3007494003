#include "surg/cli/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace surg::cli {
namespace {

std::string clock_text(double seconds) {
  const auto s = static_cast<long long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
  return buf;
}

}  // namespace

bool stderr_is_terminal() { return isatty(2) == 1; }

void Progress::update(std::int64_t frames, Micros media_time, const std::string& extra) {
  if (!enabled_) return;
  const auto now = Clock::now();
  if (now - last_ < std::chrono::milliseconds(500)) return;
  last_ = now;
  const double wall = std::chrono::duration<double>(now - start_).count();
  const double media = media_time.count() / 1e6, total = total_.count() / 1e6;
  const double speed = wall > 0 ? media / wall : 0;
  std::string line = "\rframes " + std::to_string(frames);
  char buf[96];
  std::snprintf(buf, sizeof buf, "  fps %.1f  speed %.2fx", wall > 0 ? frames / wall : 0.0, speed);
  line += buf;
  if (total > 0) {
    line += "  " + clock_text(media) + " of " + clock_text(total);
    std::snprintf(buf, sizeof buf, " (%.0f%%)", std::min(100.0, 100 * media / total));
    line += buf;
    if (speed > 0) line += "  ETA " + clock_text(std::max(0.0, total - media) / speed);
  }
  if (!extra.empty()) line += "  " + extra;
  line += "   ";
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::done() {
  if (!drawn_) return;
  std::fputc('\n', stderr);
  drawn_ = false;
}

}  // namespace surg::cli
