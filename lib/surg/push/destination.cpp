#include "surg/push/destination.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

#include "surg/core/error.hpp"
#include "surg/core/redact.hpp"

namespace surg::push {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string format_for_extension(std::string_view path) {
  const auto dot = path.rfind('.');
  const auto slash = path.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return {};
  const std::string ext = lower(path.substr(dot + 1));
  if (ext == "mp4" || ext == "m4v") return "mp4";
  if (ext == "mkv") return "matroska";
  if (ext == "ts") return "mpegts";
  return {};
}

// A destination that is neither a known file type nor a URL may be a URL typed without its
// "://" (live-api-s.facebook.com/rtmp/KEY): its last path element is not shown.
std::string shown_unknown(std::string_view text) {
  const auto slash = text.rfind('/');
  if (slash == std::string_view::npos || !format_for_extension(text).empty()) return scrub_secrets(text);
  return scrub_secrets(text.substr(0, slash + 1)) + std::string(kRedacted);
}

Destination file_destination(std::string_view text) {
  const std::string format = format_for_extension(text);
  if (format.empty())
    throw UsageError("destination '" + shown_unknown(text) +
                     "': unknown file type (use .mp4, .mkv, .ts, hls:DIR, rtmp://, rtmps://, srt://)");
  return {DestKind::file, std::string(text), format};
}

// "rtmp:/h/app", "rtmps:h", "srt:h:9000": a URL scheme without "://".
bool looks_like_broken_url(std::string_view text) {
  const std::string l = lower(text.substr(0, 7));
  for (std::string_view scheme : {"rtmp:", "rtmps:", "srt:", "rtmp/", "rtmps/", "srt/"})
    if (l.starts_with(scheme)) return true;
  return false;
}

struct UrlParts {
  std::string_view authority, path, query;
};

UrlParts split_url(std::string_view url) {
  UrlParts p;
  std::string_view rest = url.substr(url.find("://") + 3);
  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    p.query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  p.authority = rest.substr(0, rest.find('/'));
  p.path = rest.substr(p.authority.size());
  return p;
}

// Query parameters an RTMP ingest URL may carry as typed: YouTube's backup ingest is
// rtmp://b.rtmp.youtube.com/live2?backup=1. Any other parameter could be a key or a token
// (Facebook's keys carry ?s_bl=...&a=TOKEN), so it is refused and goes in --key-file.
// A value is at most 8 letters or digits: a flag, never a secret.
bool harmless_rtmp_query(std::string_view query) {
  static constexpr std::string_view kAllowed[] = {"backup"};
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto part = query.substr(0, amp);
    const auto eq = part.find('=');
    if (eq == std::string_view::npos) return false;
    const std::string_view name = part.substr(0, eq), value = part.substr(eq + 1);
    if (std::find(std::begin(kAllowed), std::end(kAllowed), name) == std::end(kAllowed)) return false;
    if (value.empty() || value.size() > 8 ||
        !std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isalnum(c); }))
      return false;
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
  }
  return true;
}

bool query_has(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto part = query.substr(0, amp);
    if (lower(part.substr(0, part.find('='))) == name) return true;
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
  }
  return false;
}

[[noreturn]] void refuse_secret(const Destination& d, const std::string& what, const std::string& option) {
  const std::string name = d.label.empty() ? "" : d.label + "=";
  throw UsageError("destination " + name + redact_url(d.target) + ": " + what +
                   " in the URL would show in the process list and logs; give it with " + option +
                   " (a file of mode 0600 or 0400) instead");
}

// A secret typed into a URL is refused, not quietly used (doc/privacy.md). The hint names
// the file option as the destination takes it: LABEL.backup=FILE for a --backup.
void refuse_secrets_in_url(const Destination& d) {
  const UrlParts p = split_url(d.target);
  const std::string lbl = d.label.empty() ? "" : d.label + (d.backup ? ".backup=" : "=");
  if (p.authority.find('@') != std::string_view::npos)
    refuse_secret(d, "a user name or password",
                  d.kind == DestKind::srt ? "--srt-passphrase-file" : "--key-file");
  if (d.kind == DestKind::rtmp) {
    std::string_view path = p.path;
    while (path.starts_with('/')) path.remove_prefix(1);
    while (path.ends_with('/')) path.remove_suffix(1);
    if (path.empty())
      throw UsageError("destination " + lbl + redact_url(d.target) +
                       ": an RTMP URL names its application (rtmp://HOST/APP); the key goes in --key-file");
    if (path.find('/') != std::string_view::npos || !harmless_rtmp_query(p.query))
      refuse_secret(d, "a stream key", "--key-file " + lbl + "FILE");
  }
  if (d.kind == DestKind::srt) {
    if (query_has(p.query, "passphrase"))
      refuse_secret(d, "an SRT passphrase", "--srt-passphrase-file " + lbl + "FILE");
    if (query_has(p.query, "streamid"))
      refuse_secret(d, "an SRT streamid", "--srt-streamid-file " + lbl + "FILE");
  }
}

std::optional<Destination> network_destination(std::string_view text) {
  const auto sep = text.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  // Schemes are case-insensitive (RFC 3986); libavformat's protocol names are lower case.
  const std::string scheme = lower(text.substr(0, sep));
  const std::string url = scheme + std::string(text.substr(sep));
  if (scheme == "rtmp" || scheme == "rtmps") return Destination{DestKind::rtmp, url, "flv"};
  if (scheme == "srt") return Destination{DestKind::srt, url, "mpegts"};
  throw UsageError("destination '" + redact_url(text) +
                   "': unsupported protocol (use rtmp://, rtmps://, srt://, hls:DIR or a file)");
}

// Opens (creating if needed) `path` for writing, as the muxer will: access() would say yes
// to root on any directory. A file created only to check is removed again.
void probe_writable(const std::string& path, const std::string& dest) {
  const bool existed = access(path.c_str(), F_OK) == 0;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) throw RuntimeError("cannot write " + dest + ": " + std::strerror(errno));
  ::close(fd);
  if (!existed) ::unlink(path.c_str());
}

struct KnownHost {
  const char* domain;
  const char* platform;
};
constexpr KnownHost kKnownHosts[] = {
    {"facebook.com", "facebook"},
    {"fbcdn.net", "facebook"},
    {"youtube.com", "youtube"},
    {"instagram.com", "instagram"},
    {"linkedin.com", "linkedin"},
    {"twitch.tv", "twitch"},
    {"contribute.live-video.net", "twitch"},
    {"vimeo.com", "vimeo"},
};

// DNS names compare case-insensitively, and "a.example." is "a.example" (host_of folds both).
bool in_domain(const std::string& host, std::string domain) {
  domain = lower(domain);
  while (domain.starts_with('.')) domain.erase(0, 1);
  while (domain.ends_with('.')) domain.pop_back();
  if (domain.empty()) return false;
  return host == domain || (host.size() > domain.size() && host.ends_with("." + domain));
}

std::string known_platform(const std::string& host) {
  for (const auto& known : kKnownHosts)
    if (in_domain(host, known.domain)) return known.platform;
  return {};
}

using Address = std::vector<unsigned char>;  // 4 or 16 bytes, network order

std::optional<Address> parse_address(const std::string& text) {
  std::array<unsigned char, 16> buf{};
  if (inet_pton(AF_INET, text.c_str(), buf.data()) == 1) return Address(buf.begin(), buf.begin() + 4);
  if (inet_pton(AF_INET6, text.c_str(), buf.data()) == 1) return Address(buf.begin(), buf.end());
  return std::nullopt;
}

bool in_block(const Address& a, const Address& net, int bits) {
  if (a.size() != net.size() || bits < 0 || bits > static_cast<int>(a.size()) * 8) return false;
  for (int i = 0; i < bits; ++i) {
    const unsigned mask = 0x80u >> (i % 8);
    if ((a[i / 8] & mask) != (net[i / 8] & mask)) return false;
  }
  return true;
}

bool in_cidr(const Address& a, const std::string& cidr) {
  const auto slash = cidr.find('/');
  const auto net = parse_address(cidr.substr(0, slash));
  if (!net) return false;
  if (slash == std::string::npos) return a == *net;
  try {
    return in_block(a, *net, std::stoi(cidr.substr(slash + 1)));
  } catch (const std::exception&) {
    return false;
  }
}

bool is_loopback(const std::string& host, const std::optional<Address>& a) {
  if (in_domain(host, "localhost")) return true;
  return a && (in_cidr(*a, "127.0.0.0/8") || in_cidr(*a, "::1/128"));
}

bool is_private(const std::optional<Address>& a) {
  if (!a) return false;
  for (const char* block :
       {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "fc00::/7", "fe80::/10"})
    if (in_cidr(*a, block)) return true;
  return false;
}

}  // namespace

std::string Destination::shown() const {
  if (kind == DestKind::hls) return scrub_secrets("hls:" + target);
  return redact_url(target);
}

bool is_label(std::string_view text) {
  if (text.empty() || text.size() > 32 || !std::isalpha(static_cast<unsigned char>(text[0]))) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

namespace {

Destination parse(std::string_view text, bool backup) {
  if (text.empty()) throw UsageError("empty destination");
  std::string label;
  if (const auto eq = text.find('='); eq != std::string_view::npos && is_label(text.substr(0, eq))) {
    const auto rest = text.substr(eq + 1);
    if (rest.find("://") != std::string_view::npos || rest.starts_with("hls:")) {
      label = std::string(text.substr(0, eq));
      text = rest;
    }
  }
  Destination d;
  if (text.starts_with("hls:")) {
    const std::string dir(text.substr(4));
    if (dir.empty()) throw UsageError("hls: needs a directory, e.g. hls:/var/www/live");
    d = {DestKind::hls, dir, "hls"};
  } else if (auto net = network_destination(text)) {
    d = *net;
  } else if (looks_like_broken_url(text)) {
    throw UsageError("destination '" + shown_unknown(text) +
                     "' is a URL without '://' (write rtmp://HOST/APP)");
  } else {
    d = file_destination(text);
  }
  d.label = label;
  d.backup = backup;
  if (d.network()) refuse_secrets_in_url(d);
  return d;
}

}  // namespace

Destination parse_destination(std::string_view text) { return parse(text, false); }

Destination parse_record(std::string_view text) {
  if (text.find("://") != std::string_view::npos || text.starts_with("hls:"))
    throw UsageError("--record " + redact_url(text) + ": must be a file (.mp4, .mkv or .ts)");
  return file_destination(text);
}

Destination parse_backup(std::string_view text, const std::vector<Destination>& primaries) {
  const auto eq = text.find('=');
  const std::string label(eq == std::string_view::npos ? std::string_view{} : text.substr(0, eq));
  if (!is_label(label)) throw UsageError("--backup needs LABEL=URL, LABEL naming a network destination");
  const auto primary = std::find_if(primaries.begin(), primaries.end(), [&](const Destination& d) {
    return d.network() && !d.backup && d.label == label;
  });
  if (primary == primaries.end())
    throw UsageError("--backup " + label + "=...: no network destination is labelled " + label + " (write " +
                     label + "=URL, or use the platform's name, e.g. youtube)");
  Destination d = parse(text, true);
  if (!d.network())
    throw UsageError("--backup " + label + "=...: a backup ingest is an rtmp(s):// or srt:// URL");
  return d;
}

// The key is the last path segment, after any query: FFmpeg's RTMP client (as librtmp and
// OBS) takes everything up to the last '/' as the application, so live2?backup=1/KEY
// connects to application "live2?backup=1" and publishes KEY, as YouTube's backup ingest
// expects. A key placed before the query would publish "KEY?backup=1".
std::string url_with_key(std::string_view url, std::string_view key) {
  std::string out(url);
  if (out.empty() || out.back() != '/') out += '/';
  return out + std::string(key);
}

std::string url_with_query(std::string_view url, std::string_view name, std::string_view value) {
  std::string out(url);
  out += out.find('?') == std::string::npos ? '?' : '&';
  return out + std::string(name) + "=" + std::string(value);
}

std::string host_of(std::string_view url) {
  const auto start = url.find("://");
  if (start == std::string_view::npos) return {};
  std::string_view host = split_url(url).authority;
  if (const auto at = host.rfind('@'); at != std::string_view::npos) host = host.substr(at + 1);
  if (host.starts_with('[')) {  // [::1]:1935
    host = host.substr(1, host.find(']') - 1);
  } else if (const auto colon = host.rfind(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  std::string out = lower(host);
  while (out.ends_with('.')) out.pop_back();
  return out;
}

bool is_intranet_host(const std::string& host, const std::vector<std::string>& intranet_hosts) {
  const auto address = parse_address(host);
  for (const auto& entry : intranet_hosts) {
    if (entry == "loopback"                               ? is_loopback(host, address)
        : entry == "private"                              ? is_private(address)
        : parse_address(entry.substr(0, entry.find('/'))) ? address && in_cidr(*address, entry)
                                                          : !address && in_domain(host, entry))
      return true;
  }
  return false;
}

std::string resolve_platform(const Destination& d, const std::string& explicit_platform,
                             const std::vector<std::string>& intranet_hosts) {
  if (!d.publication()) return {};
  if (d.kind == DestKind::hls) return explicit_platform.empty() ? "intranet" : explicit_platform;
  const std::string host = host_of(d.target);
  if (const std::string known = known_platform(host); !known.empty()) return known;
  if (explicit_platform.empty())
    throw UsageError("cannot tell which platform " + d.shown() +
                     " publishes to; give --platform (facebook, youtube, intranet, ...)");
  if (explicit_platform == "intranet" && !is_intranet_host(host, intranet_hosts)) {
    std::string list;
    for (const auto& e : intranet_hosts) list += (list.empty() ? "" : ",") + e;
    throw UsageError("--platform intranet: " + d.shown() + " is not on the intranet list (--intranet-hosts " +
                     list + "); add its address or domain there, or name the platform it publishes to");
  }
  return explicit_platform;
}

std::string platform_of(const Destination& d, const std::string& explicit_platform) {
  if (!d.platform.empty()) return d.platform;
  return resolve_platform(d, explicit_platform, {"loopback", "private"});
}

void check_writable(const Destination& d, bool overwrite) {
  namespace fs = std::filesystem;
  if (d.network()) return;
  if (d.kind == DestKind::file) {
    if (fs::is_directory(d.target)) throw RuntimeError("cannot write " + d.target + ": is a directory");
    std::error_code ec;
    if (!overwrite && fs::symlink_status(d.target, ec).type() != fs::file_type::not_found)
      throw UsageError(d.target +
                       " exists; a recording is never overwritten (give --overwrite, or another name)");
    probe_writable(d.target, d.target);
    return;
  }
  std::error_code ec;
  fs::create_directory(d.target, ec);
  if (ec && !fs::is_directory(d.target))
    throw RuntimeError("cannot create HLS directory " + d.target + ": " + ec.message());
  probe_writable((fs::path(d.target) / kHlsPlaylist).string(), "hls:" + d.target);
}

}  // namespace surg::push
