#pragma once
// surg-push options: one struct with defaults; add_options() declares each flag with its
// help text. Strings that are empty mean "not given", so a preset can fill them in and an
// explicit value can be checked against the preset's rules.
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace surg::push {

struct Options {
  std::vector<std::string> destinations;  // DEST...: file.mp4|.mkv|.ts, [LABEL=]hls:DIR|rtmp(s)://|srt://
  std::vector<std::string> record;        // --record FILE (repeatable): an explicit file output
  std::string preset;                     // --preset facebook-720p30|...
  std::string video_bitrate;              // --video-bitrate; empty = the preset's or EncodeSettings'
  std::string audio_bitrate;              // --audio-bitrate; empty = EncodeSettings'
  std::string keyint;                     // --keyint, a duration; empty = EncodeSettings'
  std::string x264_preset = "veryfast";   // --x264-preset
  std::string encoder = "auto";           // --encoder auto|x264|vaapi|qsv|nvenc
  std::string tune = "auto";              // --tune: auto = zerolatency with a network output
  std::string queue = "4s";               // --queue: media a network output may hold back
  int max_retries = -1;                   // --max-retries: -1 = reconnect forever
  std::string stall_timeout = "15s";      // --stall-timeout: a write blocked this long fails
  std::vector<std::string> backup;        // --backup LABEL=URL: the platform's backup ingest
  std::vector<std::string> key_file;      // --key-file [LABEL=]FILE: stream key, mode 0600/0400
  std::vector<std::string> srt_passphrase_file;  // --srt-passphrase-file [LABEL=]FILE
  std::vector<std::string> srt_streamid_file;    // --srt-streamid-file [LABEL=]FILE
  std::string ca_file;                           // --ca-file: PEM bundle to verify rtmps servers
  std::string consent;                           // --consent CASE: verify before and while publishing
  std::string consent_store;                     // --consent-store: surg-consent's store (default as it)
  std::string platform;                          // --platform, for hosts that name no known platform
  std::vector<std::string> intranet_hosts = {"loopback", "private"};  // --intranet-hosts
  bool test_stream = false;  // --test-stream: publish the test pattern without consent
  bool overwrite = false;    // --overwrite: replace an existing recording
  bool player = false;       // --player: hls:DIR also gets index.html + hls.min.js
  // Long operations (record branch): end a push cleanly after this much media.
  std::string max_duration;  // --max-duration: empty = no limit
};

void add_options(CLI::App& app, Options& options);

}  // namespace surg::push
