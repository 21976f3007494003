#pragma once
// A network destination (rtmp, rtmps, srt) on its own thread. The encoder only ever pushes
// into a GopQueue; the thread connects, writes, and on any failure closes, waits (Backoff)
// and reconnects, restarting on the newest keyframe with a fresh header.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "surg/push/backoff.hpp"
#include "surg/push/output.hpp"
#include "surg/push/packet_queue.hpp"

namespace surg::push {

class NetworkOutput : public Output {
 public:
  NetworkOutput(const Destination& dest, const OutputConfig& config);
  ~NetworkOutput() override;
  void write(const SharedPacket& packet) override { queue_.push(packet); }
  void finish(const ChapterList& chapters) override;
  void stop(const ChapterList& chapters) override;
  bool failed() const override { return gave_up_; }
  nlohmann::json stats() const override;
  void tick() override;

 private:
  void run();
  bool connect();  // false when the output is to stop
  void send(const SharedPacket& packet);
  bool retry_after_failure(const std::string& reason);  // false when it gave up or is ending
  void close_at_end();
  // Sets the state and emits it as an "output" event with `extra` (reason, attempt...).
  void set_state(const char* state, nlohmann::json extra = nlohmann::json::object());
  void lost(const std::exception& e);  // a connection failed
  void wake();  // after setting a flag: taking the lock first means no waiter misses it

  Destination dest_;
  OutputConfig config_;
  MuxTarget target_;
  GopQueue queue_;
  Backoff backoff_;
  Deadline deadline_;
  std::unique_ptr<Muxer> muxer_;  // the current connection, if any

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<bool> ending_{false};  // end of input: drain, no new connection
  std::atomic<bool> stop_now_{false};
  std::atomic<bool> gave_up_{false};
  bool done_ = false;  // under mutex_

  std::string state_ = "connecting";  // under mutex_
  // Read by stats() from the encoder's thread while this output's thread runs.
  std::atomic<std::int64_t> bytes_done_{0};  // of closed connections
  std::atomic<std::int64_t> bytes_now_{0};   // of the open one
  std::atomic<std::int64_t> packets_{0};
  std::atomic<std::int64_t> connections_{0};
  std::atomic<std::int64_t> failures_{0};
  std::atomic<bool> muxer_ready_{false};  // a connection is open and writing
  std::int64_t conn_keyframes_ = 0;
  std::string kind_;
  std::atomic<bool> stalled_{false};      // told once per stall
  std::atomic<std::int64_t> sent_us_{0};  // media sent by closed connections
  std::atomic<std::int64_t> conn_first_us_{-1}, conn_last_us_{-1};
  std::thread thread_;
};

}  // namespace surg::push
