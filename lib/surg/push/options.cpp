#include "surg/push/options.hpp"

#include <CLI/CLI.hpp>

#include "surg/cli/tool.hpp"
#include "surg/ledger/store_option.hpp"
#include "surg/push/presets.hpp"

namespace surg::push {
namespace {

const std::vector<std::string> kX264Presets = {"ultrafast", "superfast", "veryfast", "faster",   "fast",
                                               "medium",    "slow",      "slower",   "veryslow", "placebo"};
const std::vector<std::string> kTunes = {"auto",  "none",       "zerolatency", "film", "animation",
                                         "grain", "stillimage", "fastdecode",  "psnr", "ssim"};

}  // namespace

void add_options(CLI::App& app, Options& o) {
  const auto take_all = CLI::MultiOptionPolicy::TakeAll;
  app.add_option("dest", o.destinations,
                 "destinations: FILE.mp4|.mkv|.ts, hls:DIR (DIR/index.m3u8), rtmp://, rtmps://, srt://; "
                 "LABEL=URL names one for its own --key-file LABEL=FILE")
      ->multi_option_policy(take_all);
  app.add_option("--record", o.record, "also record to FILE (.mp4, .mkv or .ts); repeatable")
      ->multi_option_policy(take_all)
      ->allow_extra_args(false);  // one FILE per --record: later words stay destinations
  // Not a CLI11 IsMember check: an unknown preset must exit 2 with the list, which it does.
  app.add_option("--preset", o.preset, "platform preset: " + preset_list());
  // Empty options take EncodeSettings' defaults (or the preset's): shown from there.
  const EncodeSettings defaults;
  app.add_option(
      "--video-bitrate", o.video_bitrate,
      "H.264 bitrate, e.g. 4500k (default " + format_kbit(defaults.video_bitrate) + " or the preset's)");
  app.add_option("--audio-bitrate", o.audio_bitrate,
                 "AAC-LC bitrate (default " + format_kbit(defaults.audio_bitrate) + ")");
  app.add_option("--keyint", o.keyint,
                 "keyframe interval, a duration (default " + format_seconds(defaults.keyint) + ")")
      ->check(cli::duration_validator());
  app.add_option("--x264-preset", o.x264_preset, "x264 speed preset")
      ->check(CLI::IsMember(kX264Presets))
      ->capture_default_str();
  app.add_option("--encoder", o.encoder,
                 "H.264 encoder: auto (a hardware one that opens, else x264), x264, vaapi, qsv, nvenc")
      ->check(CLI::IsMember(std::vector<std::string>{"auto", "x264", "vaapi", "qsv", "nvenc"}));
  app.add_option("--tune", o.tune, "x264 tune; auto = zerolatency when a network output exists, else none")
      ->check(CLI::IsMember(kTunes));
  app.add_option("--queue", o.queue, "media a network output may queue before dropping GOPs")
      ->check(cli::duration_validator())
      ->capture_default_str();
  app.add_option("--max-retries", o.max_retries,
                 "give a network output up after N failed attempts in a row (default: never)")
      ->check(CLI::Range(0, 1000000));
  app.add_option("--stall-timeout", o.stall_timeout,
                 "a network write or connect blocked this long fails and reconnects")
      ->check(cli::duration_validator())
      ->capture_default_str();
  app.add_option("--backup", o.backup,
                 "LABEL=URL: the platform's backup ingest for destination LABEL, sent the same packets "
                 "(key: --key-file LABEL.backup=FILE); repeatable")
      ->multi_option_policy(take_all)
      ->allow_extra_args(false);
  app.add_option("--key-file", o.key_file,
                 "[LABEL=]FILE: stream key of the rtmp(s) destination LABEL (mode 0600 or 0400); "
                 "a plain FILE or $SURG_STREAM_KEY only with one rtmp destination; repeatable")
      ->multi_option_policy(take_all)
      ->allow_extra_args(false);
  app.add_option("--srt-passphrase-file", o.srt_passphrase_file,
                 "[LABEL=]FILE: SRT passphrase (mode 0600 or 0400); else $SURG_SRT_PASSPHRASE; repeatable")
      ->multi_option_policy(take_all)
      ->allow_extra_args(false);
  app.add_option("--srt-streamid-file", o.srt_streamid_file,
                 "[LABEL=]FILE: SRT streamid (mode 0600 or 0400); else $SURG_SRT_STREAMID; repeatable")
      ->multi_option_policy(take_all)
      ->allow_extra_args(false);
  app.add_option("--ca-file", o.ca_file, "PEM certificates to verify rtmps servers with");
  app.add_option("--consent", o.consent,
                 "case id whose consent must cover live broadcast (network) and recording (files)");
  consent::add_consent_store_option(app, o.consent_store);
  app.add_option("--platform", o.platform,
                 "platform of a destination whose host names none (e.g. intranet); HLS: where it is served "
                 "(default intranet)");
  app.add_option("--intranet-hosts", o.intranet_hosts,
                 "hosts --platform intranet may name: loopback, private, addresses, CIDR blocks, domains "
                 "(default loopback,private)")
      ->delimiter(',')
      ->multi_option_policy(take_all)
      ->allow_extra_args(false);
  app.add_flag(
      "--test-stream", o.test_stream,
      "publish without --consent: only a stream made by surg tools from surg-capture's test pattern");
  app.add_flag("--overwrite", o.overwrite, "replace a recording that exists (never done otherwise)");
  app.add_flag("--player", o.player,
               "with hls:DIR, also write DIR/index.html playing the stream in a browser (hls.js)");
  // Long operations.
  app.add_option("--max-duration", o.max_duration,
                 "end the push cleanly after this much media (warned 10 min and 1 min before)")
      ->check(cli::duration_validator());
}

}  // namespace surg::push
