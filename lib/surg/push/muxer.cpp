#include "surg/push/muxer.hpp"

#include <cstring>

#include <spdlog/spdlog.h>

#include "surg/core/error.hpp"

namespace surg::push {
namespace {

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

media::DictionaryDeleter dict_deleter;

AVDictionary* to_dict(const std::map<std::string, std::string>& options) {
  AVDictionary* d = nullptr;
  for (const auto& [k, v] : options) av_dict_set(&d, k.c_str(), v.c_str(), 0);
  return d;
}

// Closing a broken connection flushes; this bounds how long that may take.
constexpr Micros kCloseTimeout{2000000};

}  // namespace

void Deadline::arm(Micros timeout) {
  expired_ = false;
  armed_ns_ = now_ns();
  deadline_ns_ = armed_ns_ + std::chrono::duration_cast<std::chrono::nanoseconds>(timeout).count();
}

Micros Deadline::blocked_for() const {
  if (deadline_ns_ == kNever) return Micros(0);
  return Micros((now_ns() - armed_ns_) / 1000);
}

int Deadline::interrupted(void* self) {
  auto* d = static_cast<Deadline*>(self);
  if (d->aborted_) return 1;
  if (now_ns() <= d->deadline_ns_) return 0;
  d->expired_ = true;
  return 1;
}

Muxer::Muxer(const MuxTarget& target, const Streams& streams, Deadline& deadline, Micros timeout)
    : target_(target), deadline_(deadline), timeout_(timeout), tags_(streams.tags) {
  AVFormatContext* oc = nullptr;
  call(avformat_alloc_output_context2(&oc, nullptr, target.format.c_str(), target.url.c_str()),
       "avformat_alloc_output_context2");
  oc_.reset(oc);
  // No encoder/version strings, no creation time: the metadata allow-list.
  oc->flags |= AVFMT_FLAG_BITEXACT;
  oc->interrupt_callback = deadline_.callback();
  // A recording reaches the file as each fragment or cluster closes, not when a 32 KiB
  // buffer happens to fill: what a crash leaves is playable (recording.hpp).
  if (target_.durable) oc->flush_packets = 1;
  add_stream(streams.video);
  if (streams.audio) {
    audio_index_ = 1;
    add_stream(streams.audio);
  }
  media::set_tags(&oc->metadata, streams.tags);
  deadline_.arm(timeout_);
  open_io();
  AVDictionary* opts = to_dict(target_.format_options);
  const int ret = avformat_write_header(oc, &opts);
  dict_deleter(opts);
  deadline_.disarm();
  call(ret, "write header");
  if (target_.durable && oc->pb) {
    avio_flush(oc->pb);
    syncer_ = std::make_unique<Syncer>(target_.url);
    check_synced();
  }
}

void Muxer::check_synced() {
  if (syncer_ && !syncer_->ok())
    throw RuntimeError(target_.shown + ": sync: " + std::strerror(syncer_->error()));
}

Muxer::~Muxer() {
  if (finished_ || !oc_) return;
  deadline_.arm(kCloseTimeout);
  oc_.reset();  // closes the AVIO: a flush that fails here is of no further interest
  deadline_.disarm();
}

void Muxer::call(int ret, const char* what) {
  if (ret >= 0) return;
  last_error_ = ret;
  throw RuntimeError(target_.shown + ": " + what + ": " + media::av_error_string(ret));
}

void Muxer::add_stream(const AVCodecContext* codec) {
  AVStream* st = avformat_new_stream(oc_.get(), nullptr);
  if (!st) throw std::bad_alloc();
  call(avcodec_parameters_from_context(st->codecpar, codec), "avcodec_parameters_from_context");
  st->time_base = codec->time_base;
  if (codec->codec_type == AVMEDIA_TYPE_VIDEO) {
    st->avg_frame_rate = codec->framerate;
    st->sample_aspect_ratio = codec->sample_aspect_ratio;
  }
}

void Muxer::open_io() {
  if (oc_->oformat->flags & AVFMT_NOFILE) return;  // hls opens its own files
  AVDictionary* opts = to_dict(target_.io_options);
  const int ret = avio_open2(&oc_->pb, target_.url.c_str(), AVIO_FLAG_WRITE, &oc_->interrupt_callback, &opts);
  dict_deleter(opts);
  deadline_.disarm();
  call(ret, "open");
  deadline_.arm(timeout_);
}

void Muxer::write(const Packet& p) {
  const int index = p.kind == StreamKind::video ? 0 : audio_index_;
  if (index < 0) return;
  AVStream* st = oc_->streams[index];
  AVPacket* pkt = scratch_.get();
  call(av_packet_ref(pkt, p.data.get()), "av_packet_ref");
  av_packet_rescale_ts(pkt, p.time_base, st->time_base);
  pkt->stream_index = index;
  if (target_.rebase) {
    if (offset_us_ == AV_NOPTS_VALUE) offset_us_ = p.ts.count();
    const std::int64_t offset = av_rescale_q(offset_us_, {1, 1000000}, st->time_base);
    if (pkt->pts != AV_NOPTS_VALUE) pkt->pts -= offset;
    if (pkt->dts != AV_NOPTS_VALUE) pkt->dts -= offset;
    if (pkt->dts < 0) {  // audio from before the connection's first keyframe
      av_packet_unref(pkt);
      return;
    }
  }
  media_bytes_ += pkt->size;
  deadline_.arm(timeout_);
  const int ret = av_interleaved_write_frame(oc_.get(), pkt);  // takes the reference
  deadline_.disarm();
  call(ret, "write");
  if (oc_->pb) call(oc_->pb->error, "write");
  check_synced();
  ++packets_;
}

void Muxer::finish(const ChapterList* chapters) {
  if (finished_) return;
  finished_ = true;
  // A fragmented MP4 wrote its (empty) index at the start: chapters go into the remux.
  if (chapters && !chapters->empty() && !remux_at_finish())
    set_chapters(oc_.get(), chapters->chapters(target_.format == "mp4"), chapters->time_base());
  deadline_.arm(timeout_);
  int ret = av_write_trailer(oc_.get());
  if (ret >= 0 && oc_->pb) {
    avio_flush(oc_->pb);
    ret = oc_->pb->error;
    final_bytes_ = oc_->pb->bytes_written;
  }
  if (ret >= 0 && oc_->pb && !(oc_->oformat->flags & AVFMT_NOFILE)) ret = avio_closep(&oc_->pb);
  deadline_.disarm();
  if (ret < 0) oc_.reset();
  call(ret, "finish");
  syncer_.reset();  // a last fdatasync
  if (remux_at_finish()) remux_faststart(target_.url, tags_, chapters);
}

std::int64_t Muxer::bytes() const {
  if (final_bytes_ >= 0) return final_bytes_;
  return oc_ && oc_->pb ? oc_->pb->bytes_written : media_bytes_;
}

}  // namespace surg::push
