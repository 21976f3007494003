#pragma once
// An encoded packet shared by every output it fans out to (one encode, many readers).
#include <memory>

#include "surg/core/units.hpp"
#include "surg/media/av.hpp"

namespace surg::push {

enum class StreamKind { video, audio };

struct Packet {
  media::PacketPtr data;  // pts/dts in time_base; never modified once shared
  StreamKind kind = StreamKind::video;
  AVRational time_base{1, 1};
  bool keyframe = false;  // a video keyframe: a place where an output can (re)start
  Micros ts{0};           // dts in microseconds: queue length and ordering
};

using SharedPacket = std::shared_ptr<const Packet>;

// Takes a new reference to `pkt` (the encoder's packet can be reused at once).
SharedPacket share_packet(const AVPacket& pkt, StreamKind kind, AVRational time_base);

}  // namespace surg::push
