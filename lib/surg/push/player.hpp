#pragma once
// `surg-push hls:DIR --player`: DIR/index.html plays DIR/index.m3u8 in a browser with hls.js
// (copied beside it as DIR/hls.min.js, so the page loads nothing from the internet), or with
// the browser's own HLS (Safari). Any static web server serving DIR is enough.
#include <string>

namespace surg::push {

// Where hls.min.js is: $SURG_HLSJS (a file), else <exe dir>/../share/surg/hlsjs/hls.min.js,
// else <exe dir>/hlsjs/hls.min.js, else SURG_DATA_DIR/hlsjs/hls.min.js. Throws RuntimeError
// (exit 1) naming every place looked at when none exists.
std::string find_hlsjs();

// The page itself: a muted autoplaying <video> and a status line showing the playback time.
std::string player_html();

// Writes DIR/index.html and copies hls_js to DIR/hls.min.js. Throws RuntimeError.
void write_player(const std::string& dir, const std::string& hls_js);

}  // namespace surg::push
