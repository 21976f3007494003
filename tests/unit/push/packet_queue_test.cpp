#include <catch2/catch.hpp>

#include <thread>

#include "surg/push/packet_queue.hpp"

using namespace surg;
using namespace surg::push;
using namespace std::chrono_literals;

namespace {

// A packet at `ms` milliseconds; GOPs start where `key` is true.
SharedPacket pkt(int ms, bool key, StreamKind kind = StreamKind::video) {
  auto p = std::make_shared<Packet>();
  p->data = media::make_packet();
  p->kind = kind;
  p->time_base = {1, 1000};
  p->data->pts = p->data->dts = ms;
  p->keyframe = key && kind == StreamKind::video;
  p->ts = Micros(ms * 1000);
  return p;
}

// Pushes a 10 fps stream with a keyframe every `gop` frames from frame `from` to `to`.
void feed(GopQueue& q, int from, int to, int gop = 10) {
  for (int i = from; i < to; ++i) q.push(pkt(i * 100, i % gop == 0));
}

std::vector<int> drain(GopQueue& q) {
  std::vector<int> out;
  while (auto p = q.pop(0ms)) out.push_back(static_cast<int>(p->data->pts));
  return out;
}

}  // namespace

TEST_CASE("queue starts on a keyframe") {
  GopQueue q(Micros(10000000));
  q.push(pkt(0, false));
  q.push(pkt(0, false, StreamKind::audio));
  q.push(pkt(100, true));
  q.push(pkt(100, false, StreamKind::audio));
  CHECK(drain(q) == std::vector<int>{100, 100});
  CHECK(q.counters().dropped_packets == 2);
}

TEST_CASE("queue under capacity drops nothing") {
  GopQueue q(Micros(4000000));
  feed(q, 0, 40);  // 3.9 s
  CHECK(q.size() == 40);
  CHECK(q.counters().dropped_gops == 0);
  CHECK(drain(q).size() == 40);
}

TEST_CASE("overflow drops whole GOPs from the front and resumes on a keyframe") {
  GopQueue q(Micros(2000000));  // 2 s; GOPs of 1 s
  feed(q, 0, 25);               // 0 .. 2.4 s: the first GOP must go
  const auto counters = q.counters();
  CHECK(counters.dropped_gops == 1);
  CHECK(counters.dropped_packets == 10);
  auto first = q.pop(0ms);
  REQUIRE(first);
  CHECK(first->keyframe);
  CHECK(first->data->pts == 1000);
  CHECK(q.length() <= Micros(2000000));
}

TEST_CASE("a consumer in the middle of a GOP skips its rest on overflow") {
  GopQueue q(Micros(1500000));
  feed(q, 0, 12);
  for (int i = 0; i < 3; ++i) q.pop(0ms);  // sent frames 0, 1, 2 of GOP 0
  feed(q, 12, 30);                         // overflow
  auto next = q.pop(0ms);
  REQUIRE(next);
  CHECK(next->keyframe);  // the rest of the GOP already begun was dropped, not sent
  CHECK(q.counters().dropped_gops >= 1);
}

TEST_CASE("when no keyframe is left the queue waits for the next one") {
  GopQueue q(Micros(500000));  // shorter than a GOP
  feed(q, 0, 8, 100);          // one endless GOP: overflow leaves no keyframe
  CHECK(q.size() <= 6);
  const auto before = q.counters().dropped_packets;
  CHECK(before > 0);
  feed(q, 8, 10, 100);  // still no keyframe: dropped on arrival... once the queue emptied
  q.push(pkt(1000, true));
  auto all = drain(q);
  REQUIRE(!all.empty());
  CHECK(q.counters().dropped_packets > before);
}

TEST_CASE("restart_at_keyframe keeps the newest keyframe") {
  GopQueue q(Micros(10000000));
  feed(q, 0, 25);  // keyframes at 0, 1000, 2000 ms
  q.restart_at_keyframe();
  auto p = q.pop(0ms);
  REQUIRE(p);
  CHECK(p->data->pts == 2000);
  CHECK(q.size() == 4);
  CHECK(q.counters().dropped_packets == 20);
}

TEST_CASE("restart without a keyframe empties the queue until one comes") {
  GopQueue q(Micros(10000000));
  feed(q, 0, 5);
  q.pop(0ms);  // the keyframe went out on the old connection
  q.restart_at_keyframe();
  CHECK(q.size() == 0);
  q.push(pkt(500, false));
  CHECK(q.size() == 0);
  q.push(pkt(600, true));
  CHECK(q.size() == 1);
}

TEST_CASE("close drains then ends; discard ignores further packets") {
  GopQueue q(Micros(10000000));
  feed(q, 0, 3);
  q.close();
  CHECK(!q.drained());
  CHECK(drain(q).size() == 3);
  CHECK(q.drained());
  CHECK(q.pop(10ms) == nullptr);

  GopQueue d(Micros(10000000));
  feed(d, 0, 3);
  d.discard();
  feed(d, 3, 13);
  CHECK(d.size() == 0);
}

TEST_CASE("pop wakes up when a packet arrives from another thread") {
  GopQueue q(Micros(10000000));
  std::thread producer([&] {
    std::this_thread::sleep_for(20ms);
    q.push(pkt(0, true));
  });
  auto p = q.pop(2000ms);
  producer.join();
  CHECK(p != nullptr);
}
