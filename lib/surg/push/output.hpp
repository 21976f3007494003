#pragma once
// One destination. FileOutput (files, HLS) writes on the encoder's thread and never drops a
// packet; NetworkOutput (rtmp, rtmps, srt) runs on its own thread behind a GopQueue and
// reconnects on its own, so it never stalls the encoder, the other outputs or the recording.
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "surg/push/backoff.hpp"
#include "surg/push/chapters.hpp"
#include "surg/push/destination.hpp"
#include "surg/push/muxer.hpp"
#include "surg/push/push_events.hpp"

namespace surg::push {

// What outputs need beyond their destination.
struct OutputConfig {
  Streams streams;
  Micros keyint{2000000};
  Micros queue{4000000};
  Micros stall_timeout{15000000};
  int max_retries = -1;    // -1: reconnect forever
  bool overwrite = false;  // --overwrite: an existing recording is replaced
  std::string ca_file;     // rtmps: verify the server against it
  Micros first_retry = kFirstRetryDelay;
  std::string player_hlsjs;  // hls: also write a player page using it (--player)
  std::shared_ptr<PushEvents> events = std::make_shared<PushEvents>();  // --events records
};

class Output {
 public:
  virtual ~Output() = default;
  virtual void write(const SharedPacket& packet) = 0;
  // End of input: finish (trailer, chapters); a network output drains what it may.
  virtual void finish(const ChapterList& chapters) = 0;
  // Consent withdrawn: a network output stops at once, dropping what is queued. A file is
  // finished (chapters so far, trailer) so that what was recorded under consent stays playable.
  virtual void stop(const ChapterList& chapters) { finish(chapters); }
  // True when the output failed for good: a file that could not be written, or a network
  // output that gave up after --max-retries. Makes the exit status 1.
  virtual bool failed() const = 0;
  virtual nlohmann::json stats() const = 0;
  // Once a second from the encoder's thread: a network output notices a stalled peer.
  virtual void tick() {}
};

// Builds what libav opens for `dest` (format, URL with its own secrets, options).
MuxTarget mux_target(const Destination& dest, const OutputConfig& config);

std::unique_ptr<Output> make_output(const Destination& dest, const OutputConfig& config);

}  // namespace surg::push
