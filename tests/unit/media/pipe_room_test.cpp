#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <vector>

#include "surg/media/stream.hpp"

using surg::Micros;
using surg::media::wait_pipe_room;

TEST_CASE("pipe room: a full pipe times out, a drained one has room", "[pipe]") {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const int capacity = fcntl(fds[1], F_GETPIPE_SZ);
  REQUIRE(capacity > 0);
  CHECK(wait_pipe_room(fds[1], 1 << 20, Micros(0)));  // empty: room for half the pipe at least

  fcntl(fds[1], F_SETFL, O_NONBLOCK);
  std::vector<char> chunk(static_cast<std::size_t>(capacity), 'x');
  REQUIRE(write(fds[1], chunk.data(), chunk.size()) > capacity / 2);
  const auto start = std::chrono::steady_clock::now();
  CHECK_FALSE(wait_pipe_room(fds[1], 1 << 20, Micros(30000)));
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(30));
  CHECK(wait_pipe_room(fds[1], 0, Micros(0)));  // nothing needed, nothing waited for

  REQUIRE(read(fds[0], chunk.data(), chunk.size()) > 0);  // the consumer catches up
  CHECK(wait_pipe_room(fds[1], 1 << 20, Micros(0)));
  close(fds[0]);
  close(fds[1]);
}

TEST_CASE("pipe room: files and terminals never wait", "[pipe]") {
  const int fd = open(SURG_SOURCE_DIR "/CMakeLists.txt", O_RDONLY);
  REQUIRE(fd >= 0);
  CHECK(wait_pipe_room(fd, 1 << 30, Micros(1000000)));
  close(fd);
  CHECK(wait_pipe_room(-1, 1, Micros(1000000)));
}
