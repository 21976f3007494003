#pragma once
// Destinations as given on the command line, parsed into what to open and how.
#include <string>
#include <string_view>
#include <vector>

namespace surg::push {

enum class DestKind { file, hls, rtmp, srt };

struct Destination {
  DestKind kind = DestKind::file;
  std::string target;  // file path, HLS directory, or URL as given (no secret added yet)
  std::string format;  // libavformat muxer: mp4, matroska, mpegts, hls, flv
  bool network() const { return kind == DestKind::rtmp || kind == DestKind::srt; }
  bool chapters() const { return format == "mp4" || format == "matroska"; }
};

inline constexpr const char* kHlsPlaylist = "index.m3u8";
inline constexpr const char* kHlsSegments = "segment-%05d.ts";

// "x.mp4" | "x.mkv" | "x.ts" | "hls:DIR" | "rtmp://..." | "rtmps://..." | "srt://...".
// Throws UsageError on anything else (naming it, redacted).
Destination parse_destination(std::string_view text);
// A --record value: must be a file with a known extension.
Destination parse_record(std::string_view text);

// rtmp://host/app + key -> rtmp://host/app/key (the key is the last path element).
std::string url_with_key(std::string_view url, std::string_view key);
// srt://host:port?x=y + pass -> srt://host:port?x=y&passphrase=pass
std::string url_with_passphrase(std::string_view url, std::string_view passphrase);

// Fails early (RuntimeError, exit 1) when a file or HLS destination cannot be written:
// missing or unwritable directory, unwritable existing file. Creates an HLS directory.
void check_writable(const Destination& dest);

}  // namespace surg::push
