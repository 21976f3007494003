#pragma once
// Memory that stays put from frame to frame (doc/architecture.md, "Memory"): a 1080p frame
// is 3 MB, and memory freshly mapped for each one is faulted in page by page, in every
// stage. Frames come from a pool and go back to it; large blocks freed by libav stay in
// the heap for the next frame instead of returning to the kernel.
#include <cstdint>

#include "surg/media/av.hpp"

namespace surg::media {

// Keeps blocks of up to 32 MiB (a 4K yuv420p frame is 12 MiB) in glibc's heap once freed,
// instead of mmap/munmap per block. Called by Reader and Writer; once per process.
void keep_freed_memory();

// Same-size video frames whose planes live in one pooled buffer, packed as a surg stream
// unit is (align 1), so Writer sends them without a copy. A frame goes back to the pool
// when its last reference is dropped.
class FramePool {
 public:
  FramePool(int width, int height, AVPixelFormat format);
  ~FramePool();
  FramePool(const FramePool&) = delete;
  FramePool& operator=(const FramePool&) = delete;

  FramePtr get();  // pixels uninitialised, pts unset
  int width() const { return width_; }
  int height() const { return height_; }
  AVPixelFormat format() const { return format_; }

 private:
  int width_, height_;
  AVPixelFormat format_;
  int size_;
  AVBufferPool* pool_;
};

// A packed copy of a video frame (for a frame written many times, such as a slate).
FramePtr packed_copy(const AVFrame& frame);

// Bytes of one packed frame (av_image_get_buffer_size, align 1).
int packed_size(int width, int height, AVPixelFormat format);

// True when `frame`'s planes lie in frame.buf[0] exactly as a packed unit: plane after
// plane, lines unpadded. Such a frame is written as it is.
bool is_packed(const AVFrame& frame);

// Minor page faults of this process so far (getrusage): the benchmarks and stats report
// them per frame; a steady-state stage should add ~0 a frame.
std::int64_t minor_faults();

}  // namespace surg::media
