#pragma once
// Destinations as given on the command line, parsed into what to open and how.
//
// A destination may carry a label, LABEL=URL (e.g. fb=rtmps://live-api-s.facebook.com/rtmp/),
// which names it for its own secrets (--key-file fb=FILE) and for --backup fb=URL. A URL never
// holds a secret: a stream key in an RTMP path or query, an SRT passphrase or streamid, or
// user:password@ is refused with a pointer to the file option (doc/privacy.md).
#include <string>
#include <string_view>
#include <vector>

namespace surg::push {

enum class DestKind { file, hls, rtmp, srt };

// What a destination is sent with: loaded from mode 0600/0400 files (see secrets.hpp), each
// only for its own destination, never shown.
struct DestSecrets {
  std::string stream_key;      // rtmp(s): appended to the path
  std::string srt_passphrase;  // srt: passphrase=
  std::string srt_streamid;    // srt: streamid=
};

struct Destination {
  DestKind kind = DestKind::file;
  std::string target;    // file path, HLS directory, or URL as given (no secret in it)
  std::string format;    // libavformat muxer: mp4, matroska, mpegts, hls, flv
  std::string label;     // LABEL= given, else the known platform of its host, else ""
  bool backup = false;   // --backup LABEL=URL: the platform's backup ingest for LABEL
  std::string platform;  // where a publication is shown (resolve_platform), "" for files
  DestSecrets secrets;
  bool network() const { return kind == DestKind::rtmp || kind == DestKind::srt; }
  // Viewers see it: network outputs, and HLS (a web server serves the folder). Publications
  // need a live-broadcast consent; only plain files are recordings (doc/privacy.md).
  bool publication() const { return network() || kind == DestKind::hls; }
  bool chapters() const { return format == "mp4" || format == "matroska"; }
  std::string shown() const;  // for messages and stats: label, redacted URL
};

inline constexpr const char* kHlsPlaylist = "index.m3u8";
inline constexpr const char* kHlsSegments = "segment-%05d.ts";
inline constexpr const char* kHlsSegmentPrefix = "segment-";

// "x.mp4" | "x.mkv" | "x.ts" | "hls:DIR" | "rtmp://..." | "rtmps://..." | "srt://...", each
// but files optionally "LABEL=" first. Throws UsageError on anything else, and on a secret
// inside a URL (naming neither).
Destination parse_destination(std::string_view text);
// A --record value: must be a file with a known extension.
Destination parse_record(std::string_view text);
// A --backup value: LABEL=URL, LABEL naming a network destination of `primaries`.
Destination parse_backup(std::string_view text, const std::vector<Destination>& primaries);

// True for a label as LABEL=URL takes: a letter, then letters, digits, '-' or '_' (≤ 32).
bool is_label(std::string_view text);

// rtmp://host/app + key -> rtmp://host/app/key, rtmp://host/app?backup=1 + key ->
// rtmp://host/app?backup=1/key (the key is the last path element, after the query).
std::string url_with_key(std::string_view url, std::string_view key);
// srt://host:port?x=y + name=value -> srt://host:port?x=y&name=value
std::string url_with_query(std::string_view url, std::string_view name, std::string_view value);
inline std::string url_with_passphrase(std::string_view url, std::string_view passphrase) {
  return url_with_query(url, "passphrase", passphrase);
}

// The host of a URL as DNS compares it: lower case, no trailing dot, no port, no brackets.
std::string host_of(std::string_view url);

// Which hosts --platform intranet may name (config key intranet-hosts): "loopback",
// "private" (RFC 1918, RFC 4193 and link-local), an address, a CIDR block (10.1.0.0/16), or
// a domain ("hospital.example" covers it and every name under it).
bool is_intranet_host(const std::string& host, const std::vector<std::string>& intranet_hosts);

// The platform a publication is shown on: a known host (facebook.com, youtube.com, ...,
// matched as DNS does) names it; any other host takes `explicit_platform`, which must be
// given, and "intranet" only for hosts of the intranet list. HLS is served by the site's
// web server: `explicit_platform`, else intranet. Throws UsageError when neither tells.
std::string resolve_platform(const Destination& dest, const std::string& explicit_platform,
                             const std::vector<std::string>& intranet_hosts);
// The resolved platform, or as resolve_platform with loopback and private hosts as intranet.
std::string platform_of(const Destination& dest, const std::string& explicit_platform);

// Fails early when a file or HLS destination cannot be written: missing or unwritable
// directory, unwritable existing file (RuntimeError, exit 1); an existing recording without
// `overwrite` (UsageError, exit 2: never silently overwritten). Creates an HLS directory.
void check_writable(const Destination& dest, bool overwrite = false);

}  // namespace surg::push
