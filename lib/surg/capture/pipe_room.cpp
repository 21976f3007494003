#include "surg/capture/pipe_room.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace surg::capture {
namespace {

bool is_pipe(int fd) {
  struct stat st {};
  return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

}  // namespace

bool wait_pipe_room(int fd, std::size_t bytes, Micros timeout) {
  if (!is_pipe(fd)) return true;
  const int capacity = fcntl(fd, F_GETPIPE_SZ);
  if (capacity <= 0) return true;
  const std::size_t need = std::min(bytes, static_cast<std::size_t>(capacity) / 2);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int queued = 0;
    if (ioctl(fd, FIONREAD, &queued) != 0) return true;  // cannot tell: let the write decide
    if (static_cast<std::size_t>(capacity - queued) >= need) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace surg::capture
