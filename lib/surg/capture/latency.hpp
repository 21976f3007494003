#pragma once
// surg-capture --read-timecode: reads back the test pattern's capture-time code (timecode.hpp)
// from whatever reaches a viewer (an RTMP URL, a recording, a surg stream on stdin) and
// prints one JSON line a frame, so an operator can measure a real path glass to glass.
#include <cstdint>
#include <cstdio>
#include <vector>

#include <nlohmann/json.hpp>

#include "surg/capture/source.hpp"

namespace surg::capture {

class TimeCodeReader {
 public:
  explicit TimeCodeReader(std::FILE* out) : out_(out) {}
  // A video frame: its code, when readable, becomes a line
  //   {"frame":N,"pts":P,"capture_us":C,"now_us":T,"latency_ms":L}
  // written and flushed at once. Audio and missed frames are skipped.
  void put(SourceFrame& unit);
  // frames, read, unreadable, and latency p50/p95/max in milliseconds.
  nlohmann::json stats() const;

 private:
  std::FILE* out_;
  std::int64_t frames_ = 0, unreadable_ = 0;
  std::vector<double> latencies_ms_;
};

// The q-quantile (0..1, nearest rank) of `values`; 0 when empty.
double quantile(std::vector<double> values, double q);

}  // namespace surg::capture
