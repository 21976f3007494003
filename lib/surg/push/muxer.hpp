#pragma once
// One open output: a libavformat muxer on a file, an HLS directory or one network
// connection. Every blocking libav call runs under a Deadline, so a stalled peer turns into
// an error within the stall timeout instead of blocking forever.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "surg/media/av.hpp"
#include "surg/media/session.hpp"
#include "surg/push/chapters.hpp"
#include "surg/push/packet.hpp"
#include "surg/push/recording.hpp"

namespace surg::push {

// The AVIOInterruptCB of one output: fails a blocking call once its deadline has passed
// or the output is aborted.
class Deadline {
 public:
  void arm(Micros timeout);
  void disarm() { deadline_ns_ = kNever; }
  void abort() { aborted_ = true; }
  bool aborted() const { return aborted_; }
  // The last call failed because its deadline passed (a stall, not a refusal).
  bool expired() const { return expired_; }
  // How long the current call has been blocked; 0 when none is.
  Micros blocked_for() const;
  AVIOInterruptCB callback() { return {&Deadline::interrupted, this}; }

 private:
  static int interrupted(void* self);
  static constexpr std::int64_t kNever = INT64_MAX;
  std::atomic<std::int64_t> deadline_ns_{kNever};
  std::atomic<bool> aborted_{false};
  std::atomic<bool> expired_{false};
  std::atomic<std::int64_t> armed_ns_{0};
};

// The encoders' parameters every output copies into its streams.
struct Streams {
  const AVCodecContext* video = nullptr;
  const AVCodecContext* audio = nullptr;  // null when the input has no audio
  media::Tags tags;                       // allow-listed session tags
};

struct MuxTarget {
  std::string format;  // libavformat muxer name
  std::string url;     // what libav opens (may hold a secret: never logged)
  std::string shown;   // redacted, for messages and stats
  std::map<std::string, std::string> format_options;
  std::map<std::string, std::string> io_options;
  bool rebase = false;  // network: each connection's timestamps start at 0
  // A recording: flushed as each fragment/cluster closes, synced every second, and (mp4)
  // remuxed to fast start at finish. See recording.hpp.
  bool durable = false;
};

class Muxer {
 public:
  // Opens the output and writes its header; throws RuntimeError naming `shown`.
  Muxer(const MuxTarget& target, const Streams& streams, Deadline& deadline, Micros timeout);
  ~Muxer();  // abandons an unfinished output (no trailer)
  Muxer(const Muxer&) = delete;
  Muxer& operator=(const Muxer&) = delete;

  void write(const Packet& packet);
  // Adds `chapters` (mp4, mkv) and writes the trailer; throws RuntimeError on failure.
  void finish(const ChapterList* chapters);
  std::int64_t bytes() const;
  std::int64_t packets() const { return packets_; }
  int last_error() const { return last_error_; }  // AVERROR of the call that threw

 private:
  void add_stream(const AVCodecContext* codec);
  void open_io();
  void call(int ret, const char* what);  // av_check naming the redacted target
  void check_synced();
  bool remux_at_finish() const { return target_.durable && target_.format == "mp4"; }

  MuxTarget target_;
  Deadline& deadline_;
  Micros timeout_;
  media::OutputContextPtr oc_;
  media::PacketPtr scratch_ = media::make_packet();
  media::Tags tags_;
  std::unique_ptr<Syncer> syncer_;  // durable targets
  int audio_index_ = -1;
  std::int64_t offset_us_ = AV_NOPTS_VALUE;
  std::int64_t packets_ = 0;
  std::int64_t media_bytes_ = 0;
  std::int64_t final_bytes_ = -1;
  bool finished_ = false;
  int last_error_ = 0;
};

}  // namespace surg::push
