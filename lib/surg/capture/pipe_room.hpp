#pragma once
// Room left in the pipe behind stdout. poll() reports a pipe writable as soon as one page
// is free, but a raw 720p frame is 1.4 MB: a write after POLLOUT can still block for as
// long as the consumer stalls. A live source asks here, before each frame, whether the
// consumer has drained enough of the pipe, and drops the frame if it has not in time.
#include <cstddef>

#include "surg/core/units.hpp"

namespace surg::capture {

// Waits up to `timeout` until the pipe on `fd` has room for min(bytes, capacity / 2).
// True at once when `fd` is not a pipe (a file never makes a live source wait long).
bool wait_pipe_room(int fd, std::size_t bytes, Micros timeout);

}  // namespace surg::capture
