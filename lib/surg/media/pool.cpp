#include "surg/media/pool.hpp"

#include <malloc.h>
#include <sys/resource.h>

#include <mutex>

extern "C" {
#include <libavutil/imgutils.h>
}

#include "surg/core/error.hpp"

namespace surg::media {

void keep_freed_memory() {
  static std::once_flag once;
  std::call_once(once, [] {
    // glibc serves blocks above M_MMAP_THRESHOLD with a fresh mmap and unmaps them on free;
    // its dynamic threshold does not help a process whose block sizes vary (packets, audio,
    // converted frames). 32 MiB is the largest threshold glibc accepts on 64-bit.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    // Freed memory at the top of the heap stays mapped up to this much.
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
  });
}

int packed_size(int width, int height, AVPixelFormat format) {
  return av_check(av_image_get_buffer_size(format, width, height, 1), "av_image_get_buffer_size");
}

FramePool::FramePool(int width, int height, AVPixelFormat format)
    : width_(width),
      height_(height),
      format_(format),
      size_(packed_size(width, height, format)),
      pool_(av_buffer_pool_init(static_cast<std::size_t>(size_) + AV_INPUT_BUFFER_PADDING_SIZE, nullptr)) {
  if (!pool_) throw std::bad_alloc();
}

// Buffers still referenced by frames outlive the pool: av_buffer_pool_uninit frees it
// once the last one comes back.
FramePool::~FramePool() { av_buffer_pool_uninit(&pool_); }

FramePtr FramePool::get() {
  auto f = make_frame();
  f->buf[0] = av_buffer_pool_get(pool_);
  if (!f->buf[0]) throw std::bad_alloc();
  f->width = width_;
  f->height = height_;
  f->format = format_;
  av_check(av_image_fill_arrays(f->data, f->linesize, f->buf[0]->data, format_, width_, height_, 1),
           "av_image_fill_arrays");
  return f;
}

FramePtr packed_copy(const AVFrame& frame) {
  FramePool pool(frame.width, frame.height, static_cast<AVPixelFormat>(frame.format));
  FramePtr out = pool.get();  // outlives the pool: its buffer is freed with the frame
  av_image_copy(out->data, out->linesize, const_cast<const uint8_t**>(frame.data), frame.linesize,
                static_cast<AVPixelFormat>(frame.format), frame.width, frame.height);
  av_check(av_frame_copy_props(out.get(), &frame), "av_frame_copy_props");
  return out;
}

bool is_packed(const AVFrame& frame) {
  if (!frame.buf[0] || frame.buf[1] || frame.width <= 0 || frame.height <= 0) return false;
  const auto format = static_cast<AVPixelFormat>(frame.format);
  uint8_t* data[4] = {};
  int linesize[4] = {};
  const int size = av_image_fill_arrays(data, linesize, frame.data[0], format, frame.width, frame.height, 1);
  if (size < 0) return false;
  for (int i = 0; i < 4; ++i)
    if (data[i] != frame.data[i] || (data[i] && linesize[i] != frame.linesize[i])) return false;
  const uint8_t* begin = frame.buf[0]->data;
  return frame.data[0] >= begin && frame.data[0] + size <= begin + frame.buf[0]->size;
}

std::int64_t minor_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

}  // namespace surg::media
