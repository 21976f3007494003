#include "surg/push/chapters.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

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
  std::stable_sort(out.begin(), out.end(),
                   [](const Chapter& a, const Chapter& b) { return a.start < b.start; });
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

MarksSidecar::~MarksSidecar() {
  if (fd_ >= 0) ::close(fd_);
}

bool MarksSidecar::add(std::int64_t pts, AVRational tb, const std::string& label) {
  if (fd_ < 0) fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  const nlohmann::json line = {{"pts", pts},
                               {"tb", std::to_string(tb.num) + "/" + std::to_string(tb.den)},
                               {"seconds", pts * av_q2d(tb)},
                               {"label", label}};
  const std::string text = line.dump() + "\n";
  if (fd_ < 0 || ::write(fd_, text.data(), text.size()) != static_cast<ssize_t>(text.size()) ||
      ::fdatasync(fd_) != 0) {
    spdlog::warn("{}: cannot keep the mark '{}': {}", path_, label, std::strerror(errno));
    return false;
  }
  return true;
}

void MarksSidecar::remove() {
  if (fd_ < 0) return;
  ::close(fd_);
  fd_ = -1;
  ::unlink(path_.c_str());
}

}  // namespace surg::push
