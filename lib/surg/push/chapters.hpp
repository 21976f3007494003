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

// Replaces the chapters of `oc` (an output about to write its trailer) with `chapters`.
void set_chapters(AVFormatContext* oc, const std::vector<Chapter>& chapters, AVRational time_base);

}  // namespace surg::push
