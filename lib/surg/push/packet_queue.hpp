#pragma once
// The bounded queue in front of a network output. push() never blocks the encoder: when the
// queued media exceeds the capacity, whole GOPs are dropped from the front so the output
// resumes on a keyframe. pop() waits for the output thread.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>

#include "surg/push/packet.hpp"

namespace surg::push {

struct QueueCounters {
  std::int64_t dropped_packets = 0;
  std::int64_t dropped_gops = 0;
};

class GopQueue {
 public:
  explicit GopQueue(Micros capacity) : capacity_(capacity) {}

  void push(SharedPacket packet);
  // The next packet; nullptr when `wait` passes with nothing, or when closed and empty.
  SharedPacket pop(std::chrono::milliseconds wait);
  // For a new connection: drops everything before the newest queued keyframe (a new
  // connection must start on one and should be as close to live as it can).
  void restart_at_keyframe();
  void close();           // no more pushes will come (end of input); pop() drains then ends
  void discard();         // the output gave up: drop all, ignore further pushes
  bool drained() const;   // closed and empty
  Micros length() const;  // media held, newest minus oldest timestamp
  std::size_t size() const;
  QueueCounters counters() const;

 private:
  void drop_front_gop();  // caller holds mutex_
  void drop_until_keyframe(bool newest);

  Micros capacity_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<SharedPacket> packets_;
  bool need_keyframe_ = true;  // the first packet an output sends is a keyframe
  bool closed_ = false;
  bool discarding_ = false;
  QueueCounters counters_;
};

}  // namespace surg::push
