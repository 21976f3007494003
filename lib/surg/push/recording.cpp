#include "surg/push/recording.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "surg/core/error.hpp"
#include "surg/media/av.hpp"

namespace surg::push {

int sync_path(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  const int ret = ::fdatasync(fd) == 0 ? 0 : errno;
  ::close(fd);
  return ret;
}

Syncer::Syncer(const std::string& path, Micros period) : period_(period) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    error_ = errno;
    return;
  }
  thread_ = std::thread([this] { run(); });
}

Syncer::~Syncer() {
  if (thread_.joinable()) {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  if (fd_ >= 0) {
    ::fdatasync(fd_);
    ::close(fd_);
  }
}

void Syncer::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, period_, [&] { return stop_; })) {
    lock.unlock();
    const int err = ::fdatasync(fd_) == 0 ? 0 : errno;
    lock.lock();
    error_ = err;
  }
}

namespace {

struct Remux {
  media::InputContextPtr in;
  media::OutputContextPtr out;
  std::string shown;

  void check(int ret, const char* what) const {
    if (ret < 0) throw RuntimeError(shown + ": " + what + ": " + media::av_error_string(ret));
  }
};

void open_input(Remux& r, const std::string& path) {
  AVFormatContext* ic = nullptr;
  r.check(avformat_open_input(&ic, path.c_str(), nullptr, nullptr), "reopen to finish");
  r.in.reset(ic);
  r.check(avformat_find_stream_info(ic, nullptr), "reopen to finish");
}

void open_output(Remux& r, const std::string& tmp, const media::Tags& tags, const ChapterList* chapters) {
  AVFormatContext* oc = nullptr;
  r.check(avformat_alloc_output_context2(&oc, nullptr, "mp4", tmp.c_str()), "finish");
  r.out.reset(oc);
  oc->flags |= AVFMT_FLAG_BITEXACT;  // no encoder strings (metadata allow-list)
  for (unsigned i = 0; i < r.in->nb_streams; ++i) {
    const AVStream* is = r.in->streams[i];
    AVStream* os = avformat_new_stream(oc, nullptr);
    if (!os) throw std::bad_alloc();
    r.check(avcodec_parameters_copy(os->codecpar, is->codecpar), "finish");
    os->codecpar->codec_tag = 0;
    os->time_base = is->time_base;
    os->avg_frame_rate = is->avg_frame_rate;
    os->sample_aspect_ratio = is->sample_aspect_ratio;
  }
  media::set_tags(&oc->metadata, tags);
  if (chapters && !chapters->empty()) set_chapters(oc, chapters->chapters(true), chapters->time_base());
  r.check(avio_open(&oc->pb, tmp.c_str(), AVIO_FLAG_WRITE), "finish");
  AVDictionary* opts = nullptr;
  av_dict_set(&opts, "movflags", "+faststart+use_metadata_tags", 0);
  const int ret = avformat_write_header(oc, &opts);
  av_dict_free(&opts);
  r.check(ret, "finish");
}

void copy_packets(Remux& r) {
  media::PacketPtr pkt = media::make_packet();
  int ret;
  while ((ret = av_read_frame(r.in.get(), pkt.get())) >= 0) {
    const AVStream* is = r.in->streams[pkt->stream_index];
    av_packet_rescale_ts(pkt.get(), is->time_base, r.out->streams[pkt->stream_index]->time_base);
    pkt->pos = -1;
    r.check(av_interleaved_write_frame(r.out.get(), pkt.get()), "finish");
  }
  if (ret != AVERROR_EOF) r.check(ret, "finish");
  r.check(av_write_trailer(r.out.get()), "finish");
  r.check(avio_closep(&r.out->pb), "finish");
}

}  // namespace

void remux_faststart(const std::string& path, const media::Tags& tags, const ChapterList* chapters) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const std::string tmp = (target.parent_path() / ("." + target.filename().string() + ".finishing")).string();
  Remux r{nullptr, nullptr, path};
  try {
    open_input(r, path);
    open_output(r, tmp, tags, chapters);
    copy_packets(r);
    r.out.reset();
    r.in.reset();
    std::error_code ec;
    fs::permissions(tmp, fs::status(target).permissions(), ec);
    if (const int err = sync_path(tmp)) throw RuntimeError(path + ": finish: " + std::strerror(err));
    fs::rename(tmp, target, ec);  // the fragmented file stays playable until this instant
    if (ec) throw RuntimeError(path + ": finish: " + ec.message());
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  sync_path(target.parent_path().empty() ? "." : target.parent_path().string());
}

}  // namespace surg::push
