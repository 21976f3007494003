#include "surg/push/file_output.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include <spdlog/spdlog.h>

#include "surg/core/redact.hpp"
#include "surg/push/player.hpp"

namespace surg::push {
namespace {

// A local disk that blocks this long is broken; the deadline only exists to end a hang.
constexpr Micros kFileTimeout{60000000};

// Matroska's MuxingApp and WritingApp ("Lavf" in bitexact mode) show up as encoder=Lavf in
// ffprobe. Both are overwritten in place by one EBML Void element of the same length, so
// the finished file names no encoder (the metadata allow-list).
void scrub_matroska_apps(const std::string& path) {
  static const std::string kApps("\x4D\x80\x84Lavf\x57\x41\x84Lavf", 14);
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  std::string head(4096, '\0');
  f.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(f.gcount()));
  const auto at = head.find(kApps);
  if (at == std::string::npos) return;
  std::string void_element(kApps.size(), '\0');
  void_element[0] = '\xEC';                                        // Void
  void_element[1] = static_cast<char>(0x80 | (kApps.size() - 2));  // its size
  f.clear();
  f.seekp(static_cast<std::streamoff>(at));
  f.write(void_element.data(), static_cast<std::streamsize>(void_element.size()));
  if (!f) spdlog::warn("{}: could not remove the muxer name", path);
}

}  // namespace

FileOutput::FileOutput(const Destination& dest, const OutputConfig& config)
    : dest_(dest), shown_(dest.shown()) {
  // --overwrite (checked in the plan): a new file, so it gets the umask's mode (0640 at most)
  // rather than keeping an old file's (doc/privacy.md: recordings are never world-readable).
  if (dest.kind == DestKind::file && config.overwrite) std::filesystem::remove(dest.target);
  muxer_ = std::make_unique<Muxer>(mux_target(dest, config), config.streams, deadline_, kFileTimeout);
  if (dest.kind == DestKind::hls && !config.player_hlsjs.empty())
    write_player(dest.target, config.player_hlsjs);  // once the playlist's muxer is open
  spdlog::info("recording to {}", shown_);
}

void FileOutput::fail(const std::exception& e) {
  spdlog::error("{}", e.what());
  failed_ = true;
  state_ = "failed";
  error_ = e.what();
  if (muxer_) bytes_ = muxer_->bytes();
  muxer_.reset();
}

void FileOutput::write(const SharedPacket& packet) {
  if (!muxer_) return;
  try {
    muxer_->write(*packet);
    ++packets_;
  } catch (const std::exception& e) {
    fail(e);
  }
}

void FileOutput::finish(const ChapterList& chapters) {
  if (!muxer_) return;
  try {
    muxer_->finish(dest_.chapters() ? &chapters : nullptr);
    if (dest_.format == "matroska") scrub_matroska_apps(dest_.target);
    std::error_code ec;
    const auto size = std::filesystem::file_size(dest_.target, ec);
    bytes_ = dest_.kind == DestKind::file && !ec ? static_cast<std::int64_t>(size) : muxer_->bytes();
    state_ = "finished";
    muxer_.reset();
  } catch (const std::exception& e) {
    fail(e);
  }
}

void FileOutput::stop(const ChapterList& chapters) {
  if (dest_.kind != DestKind::hls) return finish(chapters);
  muxer_.reset();  // no trailer: nothing more is written to the folder
  unpublish();
  state_ = "withdrawn";
}

void FileOutput::unpublish() {
  namespace fs = std::filesystem;
  std::error_code ec;
  int removed = 0;
  for (const auto& entry : fs::directory_iterator(dest_.target, ec)) {
    const std::string name = entry.path().filename().string();
    const bool ours = name == kHlsPlaylist || name == "index.html" || name == "hls.min.js" ||
                      name.ends_with(".m3u8.tmp") ||
                      (name.starts_with(kHlsSegmentPrefix) && name.ends_with(".ts"));
    if (ours && fs::remove(entry.path(), ec)) ++removed;
  }
  spdlog::warn("{}: withdrawn: removed the playlist and {} other files", shown_, std::max(0, removed - 1));
}

nlohmann::json FileOutput::stats() const {
  return {{"url", shown_},
          {"kind", dest_.kind == DestKind::hls ? "hls" : "file"},
          {"bytes", muxer_ ? muxer_->bytes() : bytes_},
          {"packets", packets_},
          {"dropped_packets", 0},
          {"dropped_gops", 0},
          {"reconnects", 0},
          {"state", state_},
          {"error", error_}};
}

}  // namespace surg::push
