#include <catch2/catch.hpp>

#include <chrono>

#include "surg/push/encoder.hpp"
#include "surg/push/network_output.hpp"

using namespace surg;
using namespace surg::push;
using namespace std::chrono;

namespace {

// A real encoder's parameters (the muxer needs extradata), no audio.
struct OutputFixture {
  media::VideoParams params{160, 120, AV_PIX_FMT_YUV420P, {1, 30}, {30, 1}, {1, 1}};
  VideoEncoder video{params, {160, 120}, EncodeSettings{}};
  std::vector<SharedPacket> packets;
  OutputFixture() {
    for (int i = 0; i < 90; ++i) {
      auto f = media::alloc_video_frame(160, 120, AV_PIX_FMT_YUV420P);
      av_frame_make_writable(f.get());
      f->pts = i;
      video.encode(*f, [&](const SharedPacket& p) { packets.push_back(p); });
    }
    video.flush([&](const SharedPacket& p) { packets.push_back(p); });
  }
  OutputConfig config(int max_retries) {
    OutputConfig c;
    c.streams.video = video.context();
    c.max_retries = max_retries;
    c.first_retry = Micros(100000);
    c.stall_timeout = Micros(2000000);
    return c;
  }
};

// Port 9 (discard) on loopback: nothing listens, connections are refused at once.
const Destination kDead{DestKind::rtmp, "rtmp://127.0.0.1:9/live/x", "flv"};

}  // namespace

TEST_CASE("a dead destination never blocks the encoder and ends quickly") {
  OutputFixture fx;
  NetworkOutput out(kDead, fx.config(-1));
  const auto t0 = steady_clock::now();
  for (const auto& p : fx.packets) out.write(p);
  CHECK(steady_clock::now() - t0 < milliseconds(100));  // write() only queues
  ChapterList none({1, 30});
  out.finish(none);
  CHECK(steady_clock::now() - t0 < seconds(3));
  const auto stats = out.stats();
  CHECK_FALSE(out.failed());  // retrying forever is not a failure
  CHECK(stats["state"] == "disconnected");
  CHECK(stats["failed_attempts"].get<int>() >= 1);
  CHECK(stats["packets"] == 0);
}

TEST_CASE("max-retries gives the output up and marks it failed") {
  OutputFixture fx;
  NetworkOutput out(kDead, fx.config(2));
  for (const auto& p : fx.packets) out.write(p);
  std::this_thread::sleep_for(milliseconds(1500));  // 100 ms + 200 ms of backoff, 3 attempts
  ChapterList none({1, 30});
  out.finish(none);
  CHECK(out.failed());
  const auto stats = out.stats();
  CHECK(stats["state"] == "gave_up");
  CHECK(stats["failed_attempts"] == 3);
}
