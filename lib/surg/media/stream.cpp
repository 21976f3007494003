#include "surg/media/stream.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstring>

#include <spdlog/spdlog.h>

extern "C" {
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
}

#include "surg/core/error.hpp"
#include "surg/core/signals.hpp"
#include "surg/media/mark_label.hpp"
#include "surg/media/pool.hpp"

namespace surg::media {
namespace {

// After Ctrl-C a downstream tool keeps reading until the source closes the pipe; if the
// source does not, it gives up after this long so the tool can still finish its output.
constexpr double kStopGraceSeconds = 5.0;
constexpr const char* kMarksTitle = "surg.marks";

bool is_fifo(int fd) {
  struct stat st {};
  return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

int reader_interrupt(void* opaque) {
  const bool pipe = *static_cast<bool*>(opaque);
  return stop_requested() && (!pipe || seconds_since_stop() > kStopGraceSeconds);
}

// What the Reader accepts (doc/stream.md): the surg stream carries raw media only, so no
// decoder beyond rawvideo and PCM ever sees bytes from a pipe, and no hostile size reaches
// an allocation. The marks track is text, recognised by its title.
bool is_marks_stream(const AVStream& st) {
  const AVDictionaryEntry* title = av_dict_get(st.metadata, "title", nullptr, 0);
  return st.codecpar->codec_type == AVMEDIA_TYPE_SUBTITLE && st.codecpar->codec_id == AV_CODEC_ID_TEXT &&
         title && std::strcmp(title->value, kMarksTitle) == 0;
}

std::string codec_name(const AVCodecParameters& par) {
  const char* name = avcodec_get_name(par.codec_id);
  const char* type = av_get_media_type_string(par.codec_type);
  return std::string(type ? type : "data") + " codec '" + (name ? name : "unknown") + "'";
}

void check_stream_codec(const std::string& path, const AVStream& st) {
  const AVCodecParameters& par = *st.codecpar;
  const bool ok = (par.codec_type == AVMEDIA_TYPE_VIDEO && par.codec_id == AV_CODEC_ID_RAWVIDEO) ||
                  (par.codec_type == AVMEDIA_TYPE_AUDIO && par.codec_id == AV_CODEC_ID_PCM_S16LE) ||
                  is_marks_stream(st);
  if (!ok)
    throw InputError(path + ": stream " + std::to_string(st.index) + " has " + codec_name(par) +
                     "; a surg stream carries only rawvideo, pcm_s16le and the surg.marks text track "
                     "(ffmpeg: -c:v rawvideo -c:a pcm_s16le -ar 48000 -f nut)");
}

bool valid_rational(AVRational q) { return q.num > 0 && q.den > 0; }

}  // namespace

std::int64_t checked_frame_bytes(int format, int width, int height) {
  if (width <= 0 || height <= 0 || width > kMaxFrameSide || height > kMaxFrameSide) return -1;
  const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(format));
  if (!desc || desc->flags & (AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_BITSTREAM)) return -1;
  if (av_image_check_size2(static_cast<unsigned>(width), static_cast<unsigned>(height), INT_MAX,
                           static_cast<AVPixelFormat>(format), 0, nullptr) < 0)
    return -1;
  const int bytes = av_image_get_buffer_size(static_cast<AVPixelFormat>(format), width, height, 1);
  return bytes > 0 ? bytes : -1;
}

bool is_pipe(const std::string& path, int std_fd) {
  struct stat st {};
  const int got = path == "-" ? fstat(std_fd, &st) : stat(path.c_str(), &st);
  return got == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

void enlarge_pipe(int fd, int bytes) {
  if (!is_fifo(fd) || fcntl(fd, F_GETPIPE_SZ) >= bytes) return;  // the other end may have done it
  if (fcntl(fd, F_SETPIPE_SZ, bytes) >= 0) return;
  // Without CAP_SYS_RESOURCE the kernel allows up to fs.pipe-max-size (1 MiB by default).
  int limit = 0;
  if (FILE* f = std::fopen("/proc/sys/fs/pipe-max-size", "r")) {
    if (std::fscanf(f, "%d", &limit) != 1) limit = 0;
    std::fclose(f);
  }
  if (limit > 0 && limit < bytes) (void)fcntl(fd, F_SETPIPE_SZ, limit);  // best effort
}

// ---------------------------------------------------------------------------------------
struct Reader::Impl {
  InputContextPtr format;
  CodecContextPtr video_decoder, audio_decoder;
  int video_index = -1, audio_index = -1, marks_index = -1;
  std::int64_t frame_bytes = 0;  // one rawvideo frame, checked at open
  bool pipe = false;
  bool ended = false;
  std::string path;
  PacketPtr packet = make_packet();

  CodecContextPtr open_decoder(const AVStream& st) {
    const AVCodec* codec = avcodec_find_decoder(st.codecpar->codec_id);
    if (!codec) throw InputError(path + ": no decoder for stream " + std::to_string(st.index));
    CodecContextPtr ctx(avcodec_alloc_context3(codec));
    av_check(avcodec_parameters_to_context(ctx.get(), st.codecpar), "avcodec_parameters_to_context");
    ctx->pkt_timebase = st.time_base;
    av_check(avcodec_open2(ctx.get(), codec, nullptr), "avcodec_open2", path);
    return ctx;
  }

  FramePtr decode_video() {
    av_check(avcodec_send_packet(video_decoder.get(), packet.get()), "decode video", path);
    auto frame = make_frame();
    av_check(avcodec_receive_frame(video_decoder.get(), frame.get()), "decode video", path);
    frame->pts = frame->best_effort_timestamp;
    // rawvideo frames share the packet's buffer: dropping the packet's reference leaves the
    // frame the only owner, so tools can draw on it without copying 3 MB a 1080p frame.
    av_packet_unref(packet.get());
    return frame;
  }
};

// Every stream must be one the surg stream allows, and there must be video with a sane
// time base: checked before any decoder is opened.
static void validate_streams(const std::string& path, int video_index, const AVFormatContext& ctx) {
  int counts[AVMEDIA_TYPE_NB] = {};
  for (unsigned i = 0; i < ctx.nb_streams; ++i) {
    const AVStream& st = *ctx.streams[i];
    check_stream_codec(path, st);
    if (++counts[st.codecpar->codec_type] > 1)  // types are known valid here
      throw InputError(path + ": more than one " + av_get_media_type_string(st.codecpar->codec_type) +
                       " stream; a surg stream has one video, at most one audio and one marks track");
  }
  if (video_index < 0) throw InputError(path + ": surg stream has no video");
  const AVStream& video = *ctx.streams[video_index];
  if (!valid_rational(video.time_base)) throw InputError(path + ": video stream has no valid time base");
  const AVCodecParameters& par = *video.codecpar;
  // The sides before the decoder sizes anything (the pixel format is known once it is open).
  if (par.width <= 0 || par.height <= 0 || par.width > kMaxFrameSide || par.height > kMaxFrameSide)
    throw InputError(path + ": video frame " + std::to_string(par.width) + "x" + std::to_string(par.height) +
                     " is not a raw frame of at most " + std::to_string(kMaxFrameSide) + "x" +
                     std::to_string(kMaxFrameSide));
}

Reader::Reader(const std::string& path) : impl_(std::make_unique<Impl>()) {
  route_ffmpeg_logs();
  keep_freed_memory();  // each unit is read into a new packet: reuse the last one's memory
  auto& m = *impl_;
  m.path = path == "-" ? "stdin" : path;
  m.pipe = path == "-" ? is_fifo(0) : false;
  if (path == "-") enlarge_pipe(0);
  AVFormatContext* ctx = avformat_alloc_context();
  ctx->interrupt_callback = {reader_interrupt, &m.pipe};
  // The surg stream is NUT: no probing, so garbage is refused instead of guessed at.
  const AVInputFormat* nut = av_find_input_format("nut");
  const int ret = avformat_open_input(&ctx, path == "-" ? "pipe:0" : path.c_str(), nut, nullptr);
  if (ret == AVERROR(ENOENT) || ret == AVERROR(EACCES))
    throw RuntimeError(path + ": " + av_error_string(ret));
  if (ret < 0) throw InputError(m.path + ": not a surg stream (NUT): " + av_error_string(ret));
  m.format.reset(ctx);
  for (unsigned i = 0; i < ctx->nb_streams; ++i) {
    const AVStream* st = ctx->streams[i];
    const auto type = st->codecpar->codec_type;
    if (type == AVMEDIA_TYPE_VIDEO && m.video_index < 0)
      m.video_index = static_cast<int>(i);
    else if (type == AVMEDIA_TYPE_AUDIO && m.audio_index < 0)
      m.audio_index = static_cast<int>(i);
    else if (type == AVMEDIA_TYPE_SUBTITLE && m.marks_index < 0 && is_marks_stream(*st))
      m.marks_index = static_cast<int>(i);
  }
  validate_streams(m.path, m.video_index, *ctx);
  const AVStream* vs = ctx->streams[m.video_index];
  m.video_decoder = m.open_decoder(*vs);
  VideoParams v;
  v.width = m.video_decoder->width;
  v.height = m.video_decoder->height;
  v.format = m.video_decoder->pix_fmt;
  v.time_base = vs->time_base;
  v.frame_rate = valid_rational(vs->avg_frame_rate) ? vs->avg_frame_rate : vs->r_frame_rate;
  if (!valid_rational(v.frame_rate)) v.frame_rate = {30, 1};
  v.sample_aspect_ratio =
      valid_rational(vs->sample_aspect_ratio) ? vs->sample_aspect_ratio : AVRational{1, 1};
  m.frame_bytes = checked_frame_bytes(v.format, v.width, v.height);
  if (m.frame_bytes <= 0)
    throw InputError(m.path + ": video frame " + std::to_string(v.width) + "x" + std::to_string(v.height) +
                     " (" +
                     (av_get_pix_fmt_name(v.format) ? av_get_pix_fmt_name(v.format) : "no pixel format") +
                     ") is not a raw frame of at most " + std::to_string(kMaxFrameSide) + "x" +
                     std::to_string(kMaxFrameSide));
  info_.video = v;
  if (m.audio_index >= 0) {
    const AVStream* as = ctx->streams[m.audio_index];
    const int channels = as->codecpar->ch_layout.nb_channels;
    if (as->codecpar->codec_id != AV_CODEC_ID_PCM_S16LE || as->codecpar->sample_rate != kAudioRate)
      throw InputError(m.path + ": audio must be pcm_s16le 48 kHz (ffmpeg: -c:a pcm_s16le -ar 48000)");
    if (channels < 1 || channels > kMaxAudioChannels || !valid_rational(as->time_base))
      throw InputError(m.path + ": audio has " + std::to_string(channels) + " channels (1 to " +
                       std::to_string(kMaxAudioChannels) + " accepted)");
    info_.audio = AudioParams{as->codecpar->sample_rate, as->codecpar->ch_layout.nb_channels, as->time_base};
  }
  info_.marks = m.marks_index >= 0;
  info_.tags = session_tags(ctx->metadata);
  // surg tools mux bit-exact (no "encoder" tag); ffmpeg names itself (surg-push --test-stream).
  if (const AVDictionaryEntry* e = av_dict_get(ctx->metadata, "encoder", nullptr, 0)) info_.muxer = e->value;
}

Reader::~Reader() = default;

std::optional<Unit> Reader::next() {
  auto& m = *impl_;
  while (!m.ended) {
    // A file input stops at once on Ctrl-C; a pipe keeps going until the source closes it.
    if (!m.pipe && stop_requested()) break;
    av_packet_unref(m.packet.get());
    const int ret = av_read_frame(m.format.get(), m.packet.get());
    if (ret == AVERROR_EOF || ret == AVERROR_EXIT) break;
    if (ret < 0) {
      if (m.format->pb && m.format->pb->eof_reached) {
        spdlog::warn("{}: input ends in the middle of a unit (truncated stream)", m.path);
        break;
      }
      throw InputError(m.path + ": corrupt surg stream: " + av_error_string(ret));
    }
    const int index = m.packet->stream_index;
    if (index == m.video_index) {
      if (m.packet->flags & AV_PKT_FLAG_CORRUPT || m.packet->size < m.frame_bytes) {
        spdlog::warn("{}: last video frame is incomplete (truncated stream); dropped", m.path);
        continue;
      }
      Unit unit;
      unit.kind = Kind::video;
      unit.frame = m.decode_video();
      return unit;
    }
    if (index == m.audio_index || index == m.marks_index) {
      Unit unit;
      unit.kind = index == m.audio_index ? Kind::audio : Kind::mark;
      unit.packet = make_packet();
      av_packet_move_ref(unit.packet.get(), m.packet.get());
      if (unit.kind == Kind::mark) {
        const AVRational tb = m.format->streams[index]->time_base;
        unit.label.assign(reinterpret_cast<const char*>(unit.packet->data), unit.packet->size);
        // Whoever wrote the stream chose the label: it is checked before it can title a
        // chapter or reach a log line (mark_label.hpp). The label itself is not shown.
        if (const auto why = mark_label_problem(unit.label)) {
          spdlog::warn("{}: dropping a chapter mark whose label {}", m.path, *why);
          continue;
        }
        unit.packet->pts = av_rescale_q(unit.packet->pts, tb, info_.video->time_base);
      }
      return unit;
    }
  }
  m.ended = true;
  return std::nullopt;
}

FramePtr Reader::decode_audio(const AVPacket& packet) {
  auto& m = *impl_;
  if (m.audio_index < 0) throw RuntimeError("decode_audio: stream has no audio");
  if (!m.audio_decoder) m.audio_decoder = m.open_decoder(*m.format->streams[m.audio_index]);
  av_check(avcodec_send_packet(m.audio_decoder.get(), &packet), "decode audio", m.path);
  auto frame = make_frame();
  av_check(avcodec_receive_frame(m.audio_decoder.get(), frame.get()), "decode audio", m.path);
  frame->pts = packet.pts;
  return frame;
}

bool Reader::from_pipe() const { return impl_->pipe; }

std::int64_t Reader::bytes_read() const { return impl_->format->pb ? avio_tell(impl_->format->pb) : 0; }

// ---------------------------------------------------------------------------------------
struct Writer::Impl {
  OutputContextPtr format;
  AVStream* video = nullptr;
  AVStream* audio = nullptr;
  AVStream* marks = nullptr;
  std::string path;
  int fd = -1;  // stdout when writing a pipe; -1 for files
  bool finished = false;
  std::int64_t bytes = 0;
  int frame_size = 0;
  PacketPtr packet = make_packet();
  std::unique_ptr<FramePool> copies;  // for frames whose planes are not packed

  void write(AVPacket& pkt, AVStream* st) {
    pkt.stream_index = st->index;
    bytes += pkt.size;
    // Units are written in the order the tool produces them (already in time order);
    // no interleaving buffer, so a live chain adds no latency here.
    const int ret = av_write_frame(format.get(), &pkt);
    if (ret == AVERROR(EPIPE)) {
      finished = true;  // nothing more can be written; the trailer is moot
      throw DownstreamClosed();
    }
    av_check(ret, "write surg stream", path);
  }
};

namespace {

AVStream* add_video_stream(AVFormatContext* oc, const VideoParams& v) {
  AVStream* st = avformat_new_stream(oc, nullptr);
  st->codecpar->codec_type = AVMEDIA_TYPE_VIDEO;
  st->codecpar->codec_id = AV_CODEC_ID_RAWVIDEO;
  st->codecpar->codec_tag = avcodec_pix_fmt_to_codec_tag(v.format);
  st->codecpar->format = v.format;
  st->codecpar->width = v.width;
  st->codecpar->height = v.height;
  st->codecpar->sample_aspect_ratio = v.sample_aspect_ratio;
  st->sample_aspect_ratio = v.sample_aspect_ratio;
  st->time_base = v.time_base;
  st->avg_frame_rate = st->r_frame_rate = v.frame_rate;
  return st;
}

AVStream* add_audio_stream(AVFormatContext* oc, const AudioParams& a) {
  AVStream* st = avformat_new_stream(oc, nullptr);
  st->codecpar->codec_type = AVMEDIA_TYPE_AUDIO;
  st->codecpar->codec_id = AV_CODEC_ID_PCM_S16LE;
  st->codecpar->sample_rate = a.sample_rate;
  av_channel_layout_default(&st->codecpar->ch_layout, a.channels);
  st->codecpar->bits_per_coded_sample = 16;
  st->codecpar->block_align = 2 * a.channels;
  st->time_base = a.time_base;
  return st;
}

AVStream* add_marks_stream(AVFormatContext* oc, AVRational time_base) {
  AVStream* st = avformat_new_stream(oc, nullptr);
  st->codecpar->codec_type = AVMEDIA_TYPE_SUBTITLE;
  st->codecpar->codec_id = AV_CODEC_ID_TEXT;
  st->time_base = time_base;
  av_dict_set(&st->metadata, "title", kMarksTitle, 0);
  return st;
}

}  // namespace

Writer::Writer(const std::string& path, const StreamInfo& info)
    : impl_(std::make_unique<Impl>()), info_(info) {
  route_ffmpeg_logs();
  keep_freed_memory();
  auto& m = *impl_;
  if (!info.video) throw RuntimeError("surg stream needs a video stream");
  m.path = path == "-" ? "stdout" : path;
  if (path == "-") {
    if (isatty(1))
      throw UsageError(
          "refusing to write media to a terminal; redirect stdout to a file or "
          "pipe it into another tool (e.g. | surg-push out.mp4)");
    m.fd = 1;
    enlarge_pipe(1);
  }
  AVFormatContext* oc = nullptr;
  av_check(avformat_alloc_output_context2(&oc, nullptr, "nut", nullptr), "avformat_alloc_output_context2");
  m.format.reset(oc);
  oc->flags |= AVFMT_FLAG_BITEXACT;  // no encoder/version strings in the stream
  m.video = add_video_stream(oc, *info.video);
  if (info.audio) m.audio = add_audio_stream(oc, *info.audio);
  if (info.marks) m.marks = add_marks_stream(oc, info.video->time_base);
  set_tags(&oc->metadata, info.tags);
  if (m.fd >= 0) oc->flush_packets = 1;  // a live consumer sees each unit at once
  // Direct on a pipe: a frame's payload goes to write() in one call from its own buffer,
  // instead of through the 32 KiB AVIO buffer (a hundred copies and syscalls a 1080p frame).
  // Not on files: the NUT muxer seeks in a seekable output, which direct mode breaks (EIO).
  const int flags = AVIO_FLAG_WRITE | (m.fd >= 0 ? AVIO_FLAG_DIRECT : 0);
  av_check(avio_open(&oc->pb, path == "-" ? "pipe:1" : path.c_str(), flags), "open", path);
  // On a pipe or socket, NUT's pipe mode (version 4, no syncpoints): libavformat keeps every
  // syncpoint it writes or reads in an index for seeking, which grows without end on a live
  // stream (the writer's resident size by some 17 kB a second at 30 frames a second, and the
  // reader's as much again: doc/stream.md). A pipe cannot be sought; a file keeps them.
  AVDictionary* options = nullptr;
  if (is_pipe(path, STDOUT_FILENO)) {
    av_dict_set(&options, "syncpoints", "none", 0);
    oc->strict_std_compliance = FF_COMPLIANCE_EXPERIMENTAL;  // NUT version 4 is, in FFmpeg 5.1
  }
  const int header = avformat_write_header(oc, &options);
  av_dict_free(&options);
  av_check(header, "write surg stream header", m.path);
  m.frame_size = packed_size(info.video->width, info.video->height, info.video->format);
  m.copies = std::make_unique<FramePool>(info.video->width, info.video->height, info.video->format);
}

Writer::~Writer() {
  try {
    finish();
  } catch (const DownstreamClosed&) {
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
  }
}

void Writer::write_video(const AVFrame& frame) {
  auto& m = *impl_;
  const auto& v = *info_.video;
  if (frame.width != v.width || frame.height != v.height || frame.format != v.format)
    throw RuntimeError("write_video: frame is " + std::to_string(frame.width) + "x" +
                       std::to_string(frame.height) + ", stream is " + std::to_string(v.width) + "x" +
                       std::to_string(v.height) + " (convert before writing)");
  av_packet_unref(m.packet.get());
  // A packed frame (as read, or from a FramePool) is written from its own buffer; any other
  // is packed into a pooled buffer first.
  FramePtr packed;
  const AVFrame* source = &frame;
  if (!is_packed(frame)) {
    packed = m.copies->get();
    av_image_copy(packed->data, packed->linesize, const_cast<const uint8_t**>(frame.data), frame.linesize,
                  v.format, v.width, v.height);
    source = packed.get();
  }
  m.packet->buf = av_buffer_ref(source->buf[0]);
  if (!m.packet->buf) throw std::bad_alloc();
  m.packet->data = source->data[0];
  m.packet->size = m.frame_size;
  m.packet->pts = m.packet->dts = av_rescale_q(frame.pts, v.time_base, m.video->time_base);
  m.packet->flags |= AV_PKT_FLAG_KEY;
  m.write(*m.packet, m.video);
  av_packet_unref(m.packet.get());  // the caller's frame is its own again (writable)
}

void Writer::write_audio(const AVPacket& packet) {
  auto& m = *impl_;
  if (!m.audio) throw RuntimeError("write_audio: stream was opened without audio");
  av_packet_unref(m.packet.get());
  av_check(av_packet_ref(m.packet.get(), &packet), "av_packet_ref");
  av_packet_rescale_ts(m.packet.get(), info_.audio->time_base, m.audio->time_base);
  m.write(*m.packet, m.audio);
}

void Writer::write_audio_frame(const AVFrame& frame) {
  auto& m = *impl_;
  if (!m.audio) throw RuntimeError("write_audio_frame: stream was opened without audio");
  if (frame.format != AV_SAMPLE_FMT_S16) throw RuntimeError("write_audio_frame: needs s16 samples");
  const int size = frame.nb_samples * info_.audio->channels * 2;
  av_packet_unref(m.packet.get());
  av_check(av_new_packet(m.packet.get(), size), "av_new_packet");
  std::memcpy(m.packet->data, frame.data[0], static_cast<std::size_t>(size));
  m.packet->pts = m.packet->dts = av_rescale_q(frame.pts, info_.audio->time_base, m.audio->time_base);
  m.packet->duration = av_rescale_q(frame.nb_samples, {1, info_.audio->sample_rate}, m.audio->time_base);
  m.packet->flags |= AV_PKT_FLAG_KEY;
  m.write(*m.packet, m.audio);
}

void Writer::write_mark(std::int64_t pts, const std::string& label) {
  auto& m = *impl_;
  if (!m.marks) throw RuntimeError("write_mark: stream was opened without a marks track");
  av_packet_unref(m.packet.get());
  av_check(av_new_packet(m.packet.get(), static_cast<int>(label.size())), "av_new_packet");
  std::memcpy(m.packet->data, label.data(), label.size());
  m.packet->pts = m.packet->dts = av_rescale_q(pts, info_.video->time_base, m.marks->time_base);
  m.packet->flags |= AV_PKT_FLAG_KEY;
  m.write(*m.packet, m.marks);
}

void Writer::finish() {
  auto& m = *impl_;
  if (m.finished) return;
  m.finished = true;
  const int ret = av_write_trailer(m.format.get());
  if (ret == AVERROR(EPIPE)) throw DownstreamClosed();
  av_check(ret, "write surg stream trailer", m.path);
  if (m.format->pb) {
    avio_flush(m.format->pb);
    if (m.format->pb->error == AVERROR(EPIPE)) throw DownstreamClosed();
    av_check(m.format->pb->error, "write", m.path);
  }
}

std::int64_t Writer::bytes_written() const { return impl_->bytes; }

}  // namespace surg::media
