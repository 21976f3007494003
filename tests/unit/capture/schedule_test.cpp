#include <catch2/catch.hpp>

#include "surg/capture/schedule.hpp"

using surg::Micros;
using surg::capture::Schedule;

TEST_CASE("frame timestamps are exact for common rates", "[schedule]") {
  const Schedule ntsc({30000, 1001});
  CHECK(ntsc.time_base().num == 1);
  CHECK(ntsc.time_base().den == 90000);
  CHECK(ntsc.pts(1) == 3003);
  CHECK(ntsc.pts(1000) == 3003000);
  const Schedule pal({25, 1});
  CHECK(pal.pts(1) == 3600);
  const Schedule odd({7, 1});  // 90000/7 is not whole: the time base becomes 1/7
  CHECK(odd.time_base().num == 1);
  CHECK(odd.time_base().den == 7);
  CHECK(odd.pts(5) == 5);
}

TEST_CASE("frames and samples in a duration", "[schedule]") {
  CHECK(Schedule({25, 1}).frames_in(Micros(2000000)) == 50);
  CHECK(Schedule({30, 1}).frames_in(Micros(2000000)) == 60);
  CHECK(Schedule({30000, 1001}).frames_in(Micros(2000000)) == 60);  // 59.94 -> 60 frames start before 2 s
  CHECK(Schedule({30, 1}).frames_in(Micros(500000)) == 15);
  CHECK(Schedule({25, 1}).samples_in(Micros(2000000)) == 96000);
  CHECK(Schedule({30000, 1001}).first_sample(1) == 1602);  // 1601.6 rounded
}

TEST_CASE("the flash starts on the first frame of each whole second", "[schedule]") {
  const Schedule s({25, 1});
  CHECK(s.flash_frames() == 3);
  for (int n : {0, 1, 2, 25, 26, 27, 50}) CHECK(s.flash(n));
  for (int n : {3, 24, 28, 49, 53}) CHECK_FALSE(s.flash(n));
  const Schedule ntsc({30000, 1001});
  CHECK(ntsc.flash_start(1) == 30);    // 30 * 1001/30000 = 1.001 s, the first at or after 1 s
  CHECK(ntsc.flash_start(10) == 300);  // 10.01 s
  CHECK(ntsc.flash_start(11) == 330);  // 11.011 s (frame 329 is at 10.977 s)
  CHECK(ntsc.flash(330));
  CHECK_FALSE(ntsc.flash(329));
}

TEST_CASE("the beep covers exactly the samples of the flash frames", "[schedule]") {
  for (const AVRational fps :
       {AVRational{25, 1}, AVRational{30, 1}, AVRational{30000, 1001}, AVRational{24, 1}}) {
    const Schedule s(fps);
    for (std::int64_t k = 0; k < 120; ++k) {
      const std::int64_t first = s.flash_start(k);
      const std::int64_t onset = s.first_sample(first);
      const std::int64_t end = s.first_sample(first + s.flash_frames());
      INFO("fps " << fps.num << "/" << fps.den << " second " << k);
      REQUIRE(s.beep_onset(onset) == onset);
      REQUIRE(s.beep_onset(end - 1) == onset);
      REQUIRE_FALSE(s.beep_onset(end));
      if (onset > 0) REQUIRE_FALSE(s.beep_onset(onset - 1));
      // The flash frame's timestamp and the beep onset are the same instant.
      const double frame_time = static_cast<double>(s.pts(first)) * av_q2d(s.time_base());
      REQUIRE(std::abs(frame_time - onset / 48000.0) < 0.5 / 48000);
    }
  }
}

TEST_CASE("out-of-body stretches start at every multiple of the period", "[schedule]") {
  const Schedule s({10, 1}, Micros(5000000), Micros(2000000));
  CHECK_FALSE(s.out_of_body(0));   // never at the very start
  CHECK_FALSE(s.out_of_body(49));  // 4.9 s
  CHECK(s.out_of_body(50));        // 5.0 s
  CHECK(s.out_of_body(69));        // 6.9 s
  CHECK_FALSE(s.out_of_body(70));  // 7.0 s
  CHECK(s.out_of_body(100));       // 10 s
  CHECK_FALSE(Schedule({10, 1}).out_of_body(50));
}
