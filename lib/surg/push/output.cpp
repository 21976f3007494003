#include "surg/push/output.hpp"

#include <filesystem>
#include <iomanip>
#include <sstream>

#include "surg/core/redact.hpp"
#include "surg/push/file_output.hpp"
#include "surg/push/network_output.hpp"

namespace surg::push {
namespace {

std::string seconds(Micros d) {
  std::ostringstream out;
  out << std::setprecision(6) << d.count() / 1e6;
  return out.str();
}

MuxTarget hls_target(const Destination& dest, const OutputConfig& config) {
  const std::filesystem::path dir(dest.target);
  MuxTarget t{"hls", (dir / kHlsPlaylist).string(), "hls:" + dest.target, {}, {}, false};
  // A rolling live playlist: six segments of one GOP each, older ones deleted.
  t.format_options = {{"hls_time", seconds(config.keyint)},
                      {"hls_list_size", "6"},
                      {"hls_flags", "delete_segments"},
                      {"hls_segment_filename", (dir / kHlsSegments).string()}};
  return t;
}

MuxTarget network_target(const Destination& dest, const OutputConfig& config) {
  // Each destination carries only its own secrets (doc/privacy.md).
  const DestSecrets& s = dest.secrets;
  std::string url = dest.target;
  if (dest.kind == DestKind::rtmp && !s.stream_key.empty()) url = url_with_key(url, s.stream_key);
  MuxTarget t{dest.format, url, redact_url(url), {}, {}, true};
  // SRT secrets go as protocol options, not in the URL FFmpeg may log (and must URL-decode).
  if (dest.kind == DestKind::srt && !s.srt_passphrase.empty()) t.io_options["passphrase"] = s.srt_passphrase;
  if (dest.kind == DestKind::srt && !s.srt_streamid.empty()) t.io_options["streamid"] = s.srt_streamid;
  t.io_options["rw_timeout"] = std::to_string(config.stall_timeout.count());
  // SRT in live mode drops what is still unsent when the socket closes; linger lets the
  // end of the stream reach the receiver (bounded by the stall deadline anyway).
  if (dest.kind == DestKind::srt) t.io_options["linger"] = "2";
  if (dest.kind == DestKind::rtmp) {
    // A bounded socket buffer (room for 20 Mbit/s at 100 ms) so that a frozen server shows
    // as a blocked write within seconds, not after megabytes of kernel buffers have filled.
    t.io_options["send_buffer_size"] = "262144";
    // A live flv has no duration/size to patch at the end (the stream cannot seek).
    t.format_options["flvflags"] = "no_duration_filesize";
    // rtmps always verifies the server: against --ca-file, else the system's trust store
    // (FFmpeg's default would encrypt to anyone who answers).
    if (dest.target.starts_with("rtmps://")) {
      t.io_options["tls_verify"] = "1";
      if (!config.ca_file.empty()) t.io_options["ca_file"] = config.ca_file;
    }
  }
  return t;
}

}  // namespace

MuxTarget mux_target(const Destination& dest, const OutputConfig& config) {
  if (dest.kind == DestKind::hls) return hls_target(dest, config);
  if (dest.network()) return network_target(dest, config);
  MuxTarget t{dest.format, dest.target, dest.target, {}, {}, false};
  t.durable = true;
  // Crash-safe while recording (recording.hpp): fragments and clusters of at most
  // kRecordingFlush. The MP4's (empty) index waits for the first fragment (delay_moov), so
  // it holds the edit lists that keep audio and video in sync; it gets its full index at the
  // front (fast start) when remuxed at the end. Custom keys (surg.*) are kept as mdta tags.
  // Half the flush interval: the encoder's lookahead and the pipes upstream also hold media
  // back, and what a crash may lose is counted from what was captured.
  const Micros fragment = kRecordingFlush / 2;
  if (dest.format == "mp4") {
    t.format_options["movflags"] = "+frag_keyframe+empty_moov+delay_moov+default_base_moof+use_metadata_tags";
    t.format_options["frag_duration"] = std::to_string(fragment.count());
  }
  if (dest.format == "matroska")
    t.format_options["cluster_time_limit"] = std::to_string(fragment.count() / 1000);
  return t;
}

std::unique_ptr<Output> make_output(const Destination& dest, const OutputConfig& config) {
  if (dest.network()) return std::make_unique<NetworkOutput>(dest, config);
  return std::make_unique<FileOutput>(dest, config);
}

}  // namespace surg::push
