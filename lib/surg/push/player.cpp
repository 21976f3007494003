#include "surg/push/player.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include <spdlog/spdlog.h>

#include "surg/core/data_path.hpp"
#include "surg/core/error.hpp"

namespace surg::push {
namespace {

namespace fs = std::filesystem;

constexpr const char* kScript = "hls.min.js";

// The status line says what the page is doing ("playing 12.3 s"), so a viewer and the
// headless test read the same thing. hls.js recovers from network and media errors itself
// as far as it can; a fatal one is shown and the page retries, because a live stream that
// has not started yet (no playlist) is the ordinary case when the page is opened early.
constexpr const char* kPage = R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>surg live</title>
<style>
  body { margin: 0; background: #111; color: #ddd; font: 14px sans-serif; }
  video { display: block; width: 100%; max-height: 90vh; background: #000; }
  #status { margin: 0.5em; }
</style>
</head>
<body>
<video id="video" muted autoplay playsinline controls></video>
<p id="status">loading</p>
<script src="hls.min.js"></script>
<script>
(function () {
  var video = document.getElementById('video');
  var status = document.getElementById('status');
  var source = 'index.m3u8';
  var failed = '';
  function show(text) { status.textContent = text; }
  function play() { var p = video.play(); if (p && p.catch) p.catch(function () {}); }
  function tick() {
    if (failed) show('error: ' + failed);
    else if (video.currentTime > 0) show('playing ' + video.currentTime.toFixed(1) + ' s');
  }
  function start_hlsjs() {
    var hls = new Hls({ liveDurationInfinity: true });
    hls.on(Hls.Events.MANIFEST_PARSED, play);
    hls.on(Hls.Events.ERROR, function (event, data) {
      if (!data.fatal) return;
      failed = data.type + ' ' + data.details;
      tick();
      hls.destroy();
      setTimeout(function () { failed = ''; show('retrying'); start_hlsjs(); }, 3000);
    });
    hls.loadSource(source);
    hls.attachMedia(video);
  }
  video.addEventListener('error', function () {
    failed = 'media error ' + (video.error ? video.error.code : '');
    tick();
  });
  if (window.Hls && Hls.isSupported()) {
    start_hlsjs();
  } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
    video.src = source;  // Safari plays HLS itself
    video.addEventListener('loadedmetadata', play);
  } else {
    failed = 'this browser cannot play HLS';
  }
  setInterval(tick, 500);
  tick();
})();
</script>
</body>
</html>
)html";

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw RuntimeError("cannot write " + path.string());
}

}  // namespace

std::string find_hlsjs() {
  if (const char* env = std::getenv("SURG_HLSJS"); env && *env) {
    std::error_code ec;
    if (fs::is_regular_file(env, ec)) return env;
    throw RuntimeError(std::string("--player: $SURG_HLSJS=") + env + " is not a file");
  }
  std::string looked;
  for (const auto& candidate : data_candidates(std::string("hlsjs/") + kScript)) {
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec)) return candidate.lexically_normal().string();
    looked += (looked.empty() ? "" : ", ") + candidate.lexically_normal().string();
  }
  throw RuntimeError("--player: hls.min.js not found (looked in $SURG_HLSJS, " + looked +
                     "); run scripts/fetch-hlsjs.sh or set SURG_HLSJS");
}

std::string player_html() { return kPage; }

void write_player(const std::string& dir, const std::string& hls_js) {
  std::error_code ec;
  fs::copy_file(hls_js, fs::path(dir) / kScript, fs::copy_options::overwrite_existing, ec);
  if (ec) throw RuntimeError("cannot copy " + hls_js + " to " + dir + ": " + ec.message());
  // copy_file keeps the source's mode: the folder's files are never world-readable.
  fs::permissions(fs::path(dir) / kScript, fs::perms::others_all | fs::perms::group_write,
                  fs::perm_options::remove, ec);
  write_file(fs::path(dir) / "index.html", player_html());
  spdlog::info("player page: {}/index.html", dir);
}

}  // namespace surg::push
