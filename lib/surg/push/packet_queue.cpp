#include "surg/push/packet_queue.hpp"

#include <algorithm>

namespace surg::push {

SharedPacket share_packet(const AVPacket& pkt, StreamKind kind, AVRational time_base) {
  auto p = std::make_shared<Packet>();
  p->data = media::make_packet();
  media::av_check(av_packet_ref(p->data.get(), &pkt), "av_packet_ref");
  p->kind = kind;
  p->time_base = time_base;
  p->keyframe = kind == StreamKind::video && (pkt.flags & AV_PKT_FLAG_KEY);
  const std::int64_t dts = pkt.dts != AV_NOPTS_VALUE ? pkt.dts : pkt.pts;
  p->ts = media::to_micros(dts == AV_NOPTS_VALUE ? 0 : dts, time_base);
  return p;
}

void GopQueue::push(SharedPacket packet) {
  {
    std::lock_guard lock(mutex_);
    if (closed_ || discarding_) return;
    if (need_keyframe_ && !packet->keyframe) {
      ++counters_.dropped_packets;
      return;
    }
    need_keyframe_ = false;
    packets_.push_back(std::move(packet));
    // One packet alone is never too long; if no keyframe follows the dropped GOP, the
    // queue empties and waits for the next keyframe (drop_front_gop).
    while (packets_.size() > 1 && packets_.back()->ts - packets_.front()->ts > capacity_) drop_front_gop();
  }
  ready_.notify_one();
}

void GopQueue::drop_front_gop() {
  ++counters_.dropped_gops;
  ++counters_.dropped_packets;
  packets_.pop_front();  // the GOP's keyframe (or the rest of a GOP already begun)
  while (!packets_.empty() && !packets_.front()->keyframe) {
    packets_.pop_front();
    ++counters_.dropped_packets;
  }
  // No keyframe left in the queue: everything up to the next one must go too.
  if (packets_.empty()) need_keyframe_ = true;
}

void GopQueue::drop_until_keyframe(bool newest) {
  auto key = packets_.end();
  for (auto it = packets_.begin(); it != packets_.end(); ++it)
    if ((*it)->keyframe) {
      key = it;
      if (!newest) break;
    }
  counters_.dropped_packets += std::distance(packets_.begin(), key);
  packets_.erase(packets_.begin(), key);
  if (packets_.empty()) need_keyframe_ = true;
}

SharedPacket GopQueue::pop(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  ready_.wait_for(lock, wait, [&] { return !packets_.empty() || closed_; });
  if (packets_.empty()) return nullptr;
  SharedPacket p = std::move(packets_.front());
  packets_.pop_front();
  return p;
}

void GopQueue::restart_at_keyframe() {
  std::lock_guard lock(mutex_);
  drop_until_keyframe(true);
}

void GopQueue::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  ready_.notify_all();
}

void GopQueue::discard() {
  {
    std::lock_guard lock(mutex_);
    discarding_ = true;
    counters_.dropped_packets += static_cast<std::int64_t>(packets_.size());
    packets_.clear();
  }
  ready_.notify_all();
}

bool GopQueue::drained() const {
  std::lock_guard lock(mutex_);
  return closed_ && packets_.empty();
}

Micros GopQueue::length() const {
  std::lock_guard lock(mutex_);
  return packets_.empty() ? Micros(0) : packets_.back()->ts - packets_.front()->ts;
}

std::size_t GopQueue::size() const {
  std::lock_guard lock(mutex_);
  return packets_.size();
}

QueueCounters GopQueue::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

}  // namespace surg::push
