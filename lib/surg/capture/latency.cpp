#include "surg/capture/latency.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>

#include "surg/capture/pacer.hpp"
#include "surg/capture/timecode.hpp"
#include "surg/core/error.hpp"

namespace surg::capture {

void TimeCodeReader::put(SourceFrame& unit) {
  if (unit.kind != media::Kind::video || !unit.frame) return;
  ++frames_;
  const auto code = read_timecode(*unit.frame);
  if (!code) {
    ++unreadable_;
    return;
  }
  const std::int64_t now = wall_clock_us();
  const double latency_ms = static_cast<double>(now - code->capture_us) / 1000.0;
  latencies_ms_.push_back(latency_ms);
  const nlohmann::json line = {{"frame", code->frame},
                               {"pts", unit.pts},
                               {"capture_us", code->capture_us},
                               {"now_us", now},
                               {"latency_ms", latency_ms}};
  const std::string text = line.dump() + "\n";
  if (std::fwrite(text.data(), 1, text.size(), out_) != text.size() || std::fflush(out_) != 0) {
    if (errno == EPIPE) throw DownstreamClosed();
    throw RuntimeError("--read-timecode: cannot write stdout");
  }
}

double quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

nlohmann::json TimeCodeReader::stats() const {
  return {{"frames", frames_},
          {"read", static_cast<std::int64_t>(latencies_ms_.size())},
          {"unreadable", unreadable_},
          {"latency_ms",
           {{"p50", quantile(latencies_ms_, 0.5)},
            {"p95", quantile(latencies_ms_, 0.95)},
            {"max", quantile(latencies_ms_, 1.0)}}}};
}

}  // namespace surg::capture
