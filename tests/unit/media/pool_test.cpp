#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>

#include "surg/media/mat_view.hpp"
#include "surg/media/pool.hpp"
#include "surg/media/stream.hpp"

using namespace surg::media;

namespace {

std::string pool_temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("surg-pool-test-" + std::to_string(getpid()) + "-" + name))
      .string();
}

}  // namespace

TEST_CASE("pooled frames are packed and their buffers come back", "[pool]") {
  FramePool pool(64, 48, AV_PIX_FMT_YUV420P);
  const uint8_t* first = nullptr;
  {
    auto f = pool.get();
    CHECK(is_packed(*f));
    CHECK(f->linesize[0] == 64);
    CHECK(f->data[1] == f->data[0] + 64 * 48);
    CHECK(f->data[2] == f->data[1] + 32 * 24);
    CHECK(av_frame_is_writable(f.get()));
    first = f->data[0];
  }
  auto again = pool.get();
  CHECK(again->data[0] == first);  // the same memory, not a new block
  auto other = pool.get();
  CHECK(other->data[0] != first);  // still in use: a second buffer
}

TEST_CASE("frames with padded lines or planes are not packed", "[pool]") {
  auto padded = alloc_video_frame(100, 50, AV_PIX_FMT_YUV420P);  // lines aligned to 32, height padded
  CHECK_FALSE(is_packed(*padded));
  auto empty = make_frame();
  CHECK_FALSE(is_packed(*empty));
}

TEST_CASE("Writer writes packed and padded frames alike", "[pool]") {
  const std::string path = pool_temp_path("w.nut");
  StreamInfo info;
  info.video = VideoParams{100, 50, AV_PIX_FMT_YUV420P, {1, 30}, {30, 1}, {1, 1}};
  FramePool pool(100, 50, AV_PIX_FMT_YUV420P);
  {
    Writer writer(path, info);
    for (int n = 0; n < 4; ++n) {
      FramePtr f = n % 2 ? pool.get() : alloc_video_frame(100, 50, AV_PIX_FMT_YUV420P);
      for (int p = 0; p < 3; ++p) plane_view(*f, p).setTo(n * 20 + p);
      f->pts = n;
      writer.write_video(*f);
      CHECK(av_frame_is_writable(f.get()));  // the writer keeps no reference
    }
    writer.finish();
  }
  Reader reader(path);
  int n = 0;
  while (auto unit = reader.next()) {
    REQUIRE(unit->kind == Kind::video);
    CHECK(is_packed(*unit->frame));  // as read: written on without a copy
    for (int p = 0; p < 3; ++p) {
      const cv::Mat plane = plane_view(*unit->frame, p);
      double lo = 0, hi = 0;
      cv::minMaxLoc(plane, &lo, &hi);
      CHECK(lo == n * 20 + p);
      CHECK(hi == n * 20 + p);
    }
    ++n;
  }
  CHECK(n == 4);
  std::filesystem::remove(path);
}
