#pragma once
// What keeps a recording playable whatever kills the process (surg-push(1), RECORDINGS):
// while recording, an MP4 is fragmented (a moof every half second
// at most) and a Matroska cluster closes every half second, each flushed to the file as it closes;
// a Syncer makes the kernel write the file to disk every second on its own thread, so the
// encoder never waits on the disk. On a clean finish a fragmented MP4 is remuxed into an
// ordinary fast-start MP4 (index at the front) that replaces it atomically.
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "surg/core/units.hpp"
#include "surg/media/session.hpp"
#include "surg/push/chapters.hpp"

namespace surg::push {

// Longest stretch of media a crash may lose from a recording's end.
inline constexpr Micros kRecordingFlush{1000000};

// fdatasync()s a file every `period` on its own thread until destroyed. Linux syncs the
// file's dirty pages whichever descriptor asks, so a read-only descriptor of its own does.
class Syncer {
 public:
  explicit Syncer(const std::string& path, Micros period = kRecordingFlush);
  ~Syncer();
  Syncer(const Syncer&) = delete;
  Syncer& operator=(const Syncer&) = delete;
  bool ok() const { return error_ == 0; }
  int error() const { return error_; }  // errno of the last failed sync, else 0

 private:
  void run();
  int fd_ = -1;
  Micros period_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  int error_ = 0;
  std::thread thread_;
};

// Rewrites the fragmented MP4 at `path` as a fast-start MP4 with `tags` and `chapters`
// (may be null) and renames it over `path`: the fragmented file stays until the new one
// is complete and synced. Throws RuntimeError naming `path`.
void remux_faststart(const std::string& path, const media::Tags& tags, const ChapterList* chapters);

// fdatasync() of a path (the file, or a directory after a rename). Returns errno or 0.
int sync_path(const std::string& path);

}  // namespace surg::push
