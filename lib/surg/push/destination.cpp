#include "surg/push/destination.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "surg/core/error.hpp"
#include "surg/core/redact.hpp"

namespace surg::push {
namespace {

std::string format_for_extension(std::string_view path) {
  const auto dot = path.rfind('.');
  const auto slash = path.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return {};
  std::string ext(path.substr(dot + 1));
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == "mp4" || ext == "m4v") return "mp4";
  if (ext == "mkv") return "matroska";
  if (ext == "ts") return "mpegts";
  return {};
}

Destination file_destination(std::string_view text) {
  const std::string format = format_for_extension(text);
  if (format.empty())
    throw UsageError("destination '" + std::string(text) +
                     "': unknown file type (use .mp4, .mkv, .ts, hls:DIR, rtmp://, rtmps://, srt://)");
  return {DestKind::file, std::string(text), format};
}

// Opens (creating if needed) `path` for writing, as the muxer will: access() would say yes
// to root on any directory. A file created only to check is removed again.
void probe_writable(const std::string& path, const std::string& dest) {
  const bool existed = access(path.c_str(), F_OK) == 0;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw RuntimeError("cannot write " + dest + ": " + std::strerror(errno));
  ::close(fd);
  if (!existed) ::unlink(path.c_str());
}

}  // namespace

Destination parse_destination(std::string_view text) {
  if (text.empty()) throw UsageError("empty destination");
  if (text.starts_with("hls:")) {
    const std::string dir(text.substr(4));
    if (dir.empty()) throw UsageError("hls: needs a directory, e.g. hls:/var/www/live");
    return {DestKind::hls, dir, "hls"};
  }
  if (text.starts_with("rtmp://") || text.starts_with("rtmps://"))
    return {DestKind::rtmp, std::string(text), "flv"};
  if (text.starts_with("srt://")) return {DestKind::srt, std::string(text), "mpegts"};
  if (text.find("://") != std::string_view::npos)
    throw UsageError("destination '" + redact_url(text) +
                     "': unsupported protocol (use rtmp://, rtmps://, srt://, hls:DIR or a file)");
  return file_destination(text);
}

Destination parse_record(std::string_view text) {
  if (text.find("://") != std::string_view::npos || text.starts_with("hls:"))
    throw UsageError("--record " + redact_url(text) + ": must be a file (.mp4, .mkv or .ts)");
  return file_destination(text);
}

std::string url_with_key(std::string_view url, std::string_view key) {
  std::string base(url);
  std::string query;
  if (const auto q = base.find('?'); q != std::string::npos) {
    query = base.substr(q);
    base.resize(q);
  }
  if (base.empty() || base.back() != '/') base += '/';
  return base + std::string(key) + query;
}

std::string url_with_passphrase(std::string_view url, std::string_view passphrase) {
  std::string out(url);
  out += out.find('?') == std::string::npos ? '?' : '&';
  return out + "passphrase=" + std::string(passphrase);
}

void check_writable(const Destination& d) {
  namespace fs = std::filesystem;
  if (d.network()) return;
  if (d.kind == DestKind::file) {
    if (fs::is_directory(d.target)) throw RuntimeError("cannot write " + d.target + ": is a directory");
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
