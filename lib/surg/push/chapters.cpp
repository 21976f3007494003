#include "surg/push/chapters.hpp"

#include <algorithm>

extern "C" {
#include <libavformat/avformat.h>
#include <libavutil/mem.h>
}

namespace surg::push {

void ChapterList::add_mark(std::int64_t pts, const std::string& label) {
  marks_.push_back({std::max<std::int64_t>(pts, 0), 0, label});
}

std::vector<Chapter> ChapterList::chapters(bool from_zero) const {
  std::vector<Chapter> out = marks_;
  std::stable_sort(out.begin(), out.end(), [](const Chapter& a, const Chapter& b) { return a.start < b.start; });
  if (from_zero && !out.empty() && out.front().start > 0) out.insert(out.begin(), {0, 0, kLeadTitle});
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i].end = std::max(out[i].start, i + 1 < out.size() ? out[i + 1].start : end_);
  return out;
}

namespace {

void free_chapters(AVFormatContext* oc) {
  for (unsigned i = 0; i < oc->nb_chapters; ++i) {
    av_dict_free(&oc->chapters[i]->metadata);
    av_freep(&oc->chapters[i]);
  }
  av_freep(&oc->chapters);
  oc->nb_chapters = 0;
}

}  // namespace

void set_chapters(AVFormatContext* oc, const std::vector<Chapter>& chapters, AVRational tb) {
  free_chapters(oc);
  if (chapters.empty()) return;
  // avformat_free_context() frees these with av_free, so they are allocated the same way.
  oc->chapters = static_cast<AVChapter**>(av_calloc(chapters.size(), sizeof(AVChapter*)));
  if (!oc->chapters) throw std::bad_alloc();
  for (const auto& c : chapters) {
    auto* ch = static_cast<AVChapter*>(av_mallocz(sizeof(AVChapter)));
    if (!ch) throw std::bad_alloc();
    ch->id = oc->nb_chapters + 1;
    ch->time_base = tb;
    ch->start = c.start;
    ch->end = c.end;
    av_dict_set(&ch->metadata, "title", c.title.c_str(), 0);
    oc->chapters[oc->nb_chapters++] = ch;
  }
}

}  // namespace surg::push
