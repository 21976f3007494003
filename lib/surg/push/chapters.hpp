#pragma once
// Chapter marks collected from the input (media::Kind::mark units) and written as chapters
// into .mkv and .mp4 recordings: each chapter runs from its mark to the next mark (or the
// end), titled with the mark's label, times in the input's video time base. Chapters
// the source itself carried are never copied (metadata allow-list).
#include <cstdint>
#include <string>
#include <vector>

extern "C" {
#include <libavutil/rational.h>
}

struct AVFormatContext;

namespace surg::push {

inline constexpr const char* kLeadTitle = "start";

struct Chapter {
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::string title;
};

class ChapterList {
 public:
  explicit ChapterList(AVRational time_base) : time_base_(time_base) {}
  void add_mark(std::int64_t pts, const std::string& label);
  // The end of the media (last frame's pts + its duration), for the last chapter.
  void set_end(std::int64_t end) { end_ = std::max(end_, end); }
  // Sorted, each closed by the next. MP4 chapter lists (chpl) hold only start times and
  // readers put the first chapter at 0, so with `from_zero` a chapter titled kLeadTitle
  // covers the time before the first mark, keeping every mark where it was made.
  std::vector<Chapter> chapters(bool from_zero = false) const;
  AVRational time_base() const { return time_base_; }
  bool empty() const { return marks_.empty(); }

 private:
  AVRational time_base_;
  std::vector<Chapter> marks_;
  std::int64_t end_ = 0;
};

// The marks of one recording as they arrive, in a sidecar REC.marks (JSON Lines, mode 0600,
// each line synced): a crash keeps them, where the chapters inside the file are written only
// at its end. Removed once the finished file holds them. One line a mark:
//   {"pts":N,"tb":"1/90000","seconds":S,"label":"stone"}
class MarksSidecar {
 public:
  explicit MarksSidecar(std::string recording) : path_(std::move(recording) + ".marks") {}
  ~MarksSidecar();
  MarksSidecar(const MarksSidecar&) = delete;
  MarksSidecar& operator=(const MarksSidecar&) = delete;
  // Appends and syncs; false (and a warning) when it cannot, the recording goes on.
  bool add(std::int64_t pts, AVRational time_base, const std::string& label);
  void remove();  // the finished recording holds the chapters
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

// Replaces the chapters of `oc` (an output about to write its trailer) with `chapters`.
void set_chapters(AVFormatContext* oc, const std::vector<Chapter>& chapters, AVRational time_base);

}  // namespace surg::push
