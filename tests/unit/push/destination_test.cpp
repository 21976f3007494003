#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "surg/core/error.hpp"
#include "surg/push/destination.hpp"
#include "surg/push/output.hpp"

using namespace surg;
using namespace surg::push;

TEST_CASE("files by extension") {
  CHECK(parse_destination("rec.mp4").format == "mp4");
  CHECK(parse_destination("/var/rec/case.MKV").format == "matroska");
  CHECK(parse_destination("x.ts").format == "mpegts");
  CHECK(parse_destination("x.ts").kind == DestKind::file);
  CHECK(parse_destination("rec.mkv").chapters());
  CHECK_FALSE(parse_destination("x.ts").chapters());
  CHECK_THROWS_AS(parse_destination("rec.avi"), UsageError);
  CHECK_THROWS_AS(parse_destination("dir.d/noext"), UsageError);
}

TEST_CASE("network and hls destinations") {
  auto r = parse_destination("rtmps://live-api-s.facebook.com:443/rtmp/");
  CHECK(r.kind == DestKind::rtmp);
  CHECK(r.format == "flv");
  CHECK(r.network());
  auto s = parse_destination("srt://127.0.0.1:9000?latency=120000");
  CHECK(s.kind == DestKind::srt);
  CHECK(s.format == "mpegts");
  auto h = parse_destination("hls:/var/www/live");
  CHECK(h.kind == DestKind::hls);
  CHECK(h.target == "/var/www/live");
  CHECK_FALSE(h.network());
  CHECK(h.publication());  // HLS is served to viewers: a publication, not a recording
  CHECK(r.publication());
  CHECK_FALSE(parse_destination("rec.mp4").publication());
  CHECK_THROWS_AS(parse_destination("hls:"), UsageError);
  CHECK_THROWS_AS(parse_destination("udp://1.2.3.4:5"), UsageError);
  CHECK_THROWS_AS(parse_destination(""), UsageError);
}

TEST_CASE("unsupported URLs are named redacted") {
  CHECK_THROWS_WITH(parse_destination("http://user:pw@host/x"), !Catch::Contains("pw"));
}

TEST_CASE("record takes files only") {
  CHECK(parse_record("a.mkv").format == "matroska");
  CHECK_THROWS_AS(parse_record("rtmp://h/app"), UsageError);
  CHECK_THROWS_AS(parse_record("hls:dir"), UsageError);
}

TEST_CASE("stream key goes at the end of the rtmp path") {
  CHECK(url_with_key("rtmps://host:443/rtmp/", "K") == "rtmps://host:443/rtmp/K");
  CHECK(url_with_key("rtmp://host/live", "K") == "rtmp://host/live/K");
  // After the query: FFmpeg takes all up to the last '/' as the application (doc/platform.md).
  CHECK(url_with_key("rtmp://host/live2?backup=1", "K") == "rtmp://host/live2?backup=1/K");
}

TEST_CASE("srt passphrase goes in the query") {
  CHECK(url_with_passphrase("srt://h:1", "0123456789") == "srt://h:1?passphrase=0123456789");
  CHECK(url_with_passphrase("srt://h:1?latency=1", "p") == "srt://h:1?latency=1&passphrase=p");
}

TEST_CASE("mux targets carry the secret but show it redacted") {
  OutputConfig c;
  auto rtmp = parse_destination("rtmp://127.0.0.1:1935/live");
  rtmp.secrets.stream_key = "sk-12345";
  const auto t = mux_target(rtmp, c);
  CHECK(t.url == "rtmp://127.0.0.1:1935/live/sk-12345");
  CHECK(t.shown.find("sk-12345") == std::string::npos);
  CHECK(t.io_options.at("rw_timeout") == "15000000");
  CHECK(t.rebase);
  c.ca_file = "/etc/ssl/certs/ca-certificates.crt";
  const auto tls = mux_target(parse_destination("rtmps://h/app"), c);
  CHECK(tls.io_options.at("tls_verify") == "1");
  CHECK(tls.io_options.at("ca_file") == c.ca_file);
  const auto mp4 = mux_target(parse_destination("a.mp4"), c);
  // Fragmented while recording (crash-safe), fast start once remuxed at the end.
  CHECK(mp4.durable);
  CHECK(mp4.format_options.at("movflags").find("frag_keyframe") != std::string::npos);
  CHECK(mp4.format_options.at("movflags").find("use_metadata_tags") != std::string::npos);
  const auto hls = mux_target(parse_destination("hls:/tmp/live"), c);
  CHECK(hls.url == "/tmp/live/index.m3u8");
  CHECK(hls.format_options.at("hls_time") == "2");
  CHECK(hls.format_options.at("hls_list_size") == "6");
}

TEST_CASE("unwritable file destinations fail before anything is read") {
  CHECK_THROWS_AS(check_writable(parse_destination("/nonexistent-dir/rec.mp4")), RuntimeError);
  CHECK_THROWS_AS(check_writable(parse_destination("/proc/rec.mkv")), RuntimeError);
  const auto existing = std::filesystem::temp_directory_path() / "surg-push-exists.mkv";
  { std::ofstream(existing) << "x"; }
  CHECK_THROWS_AS(check_writable(parse_destination(existing.string())), UsageError);  // never overwritten
  CHECK_NOTHROW(check_writable(parse_destination(existing.string()), true));          // --overwrite
  std::filesystem::remove(existing);
  CHECK_NOTHROW(check_writable(parse_destination("rtmp://h/app")));
  const auto dir = std::filesystem::temp_directory_path() / "surg-push-dest-test";
  std::filesystem::remove_all(dir);
  CHECK_NOTHROW(check_writable(parse_destination("hls:" + dir.string())));
  CHECK(std::filesystem::is_directory(dir));
  std::filesystem::remove_all(dir);
}

TEST_CASE("LABEL=URL names a destination; files are never labels") {
  auto fb = parse_destination("fb=rtmps://live-api-s.facebook.com:443/rtmp/");
  CHECK(fb.label == "fb");
  CHECK(fb.target == "rtmps://live-api-s.facebook.com:443/rtmp/");
  CHECK(parse_destination("web=hls:/srv/www/live").label == "web");
  CHECK(parse_destination("RTMP://Host.example/live").target == "rtmp://Host.example/live");
  auto file = parse_destination("a=b.mkv");
  CHECK(file.kind == DestKind::file);
  CHECK(file.target == "a=b.mkv");
  CHECK(file.label.empty());
}

TEST_CASE("a secret typed into a URL is refused, and not echoed") {
  const char* bad[] = {
      "rtmp://h.example/app/KEY-123456",
      "rtmps://live-api-s.facebook.com:443/rtmp/FB-1?s_sw=0&a=TOKEN-123456",
      "rtmp://h.example/app?KEY-123456",
      "rtmp://h.example/app?key=KEY-123456",
      "rtmp://h.example/app?backup=KEY-123456",  // a flag's value is at most 8 characters
      "rtmp://h.example/app?backup=1/KEY-123456",
      "rtmp://h.example/app?backup=1&a=KEY-123456",
      "rtmp://user:KEY-123456@h.example/app",
      "srt://h.example:9000?passphrase=KEY-123456",
      "srt://h.example:9000?latency=1&StreamID=KEY-123456",
      "rtmp:/h.example/app/KEY-123456",
      "live-api-s.facebook.com/rtmp/KEY-123456",
  };
  for (const char* text : bad) {
    INFO(text);
    CHECK_THROWS_AS(parse_destination(text), UsageError);
    CHECK_THROWS_WITH(parse_destination(text),
                      !Catch::Contains("KEY-123456") && !Catch::Contains("TOKEN-123456"));
  }
  CHECK_THROWS_WITH(parse_destination("rtmp://h.example/app/KEY-123456"), Catch::Contains("--key-file"));
  CHECK_THROWS_WITH(parse_destination("srt://h:1?passphrase=KEY-123456"),
                    Catch::Contains("--srt-passphrase-file"));
  CHECK_THROWS_AS(parse_destination("rtmp://h.example"), UsageError);  // no application
  CHECK_NOTHROW(parse_destination("rtmp://h.example/app/"));
  // YouTube's backup ingest, as YouTube gives it.
  CHECK(parse_destination("yt=rtmp://b.rtmp.youtube.com/live2?backup=1").target ==
        "rtmp://b.rtmp.youtube.com/live2?backup=1");
  CHECK_NOTHROW(parse_destination("srt://h.example:9000?latency=120000&mode=caller"));
}

TEST_CASE("platforms follow DNS rules: case-insensitive, trailing dot, whole labels") {
  const std::vector<std::string> lan = {"loopback", "private"};
  auto platform = [&](const char* url, const std::string& given = "") {
    return resolve_platform(parse_destination(url), given, lan);
  };
  CHECK(platform("rtmps://LIVE-API-S.FACEBOOK.COM:443/rtmp/") == "facebook");
  CHECK(platform("rtmps://live-api-s.facebook.com.:443/rtmp/") == "facebook");
  CHECK(platform("rtmp://A.RTMP.YouTube.com/live2", "intranet") == "youtube");
  CHECK(platform("rtmp://[::1]:1935/live", "intranet") == "intranet");
  CHECK_THROWS_AS(platform("rtmp://evilfacebook.com/live"), UsageError);  // not under facebook.com
  CHECK_THROWS_AS(platform("rtmp://facebook.com.evil.example/live"), UsageError);
  CHECK(platform("rtmp://facebook.com.evil.example/live", "twitch") == "twitch");
  CHECK(host_of("rtmp://u@Host.Example.:1935/x") == "host.example");
}

TEST_CASE("platform: intranet only for hosts of the intranet list") {
  const std::vector<std::string> lan = {"loopback", "private"};
  auto intranet = [](const char* url, const std::vector<std::string>& list) {
    return resolve_platform(parse_destination(url), "intranet", list);
  };
  CHECK(intranet("rtmp://127.0.0.1:1935/live", lan) == "intranet");
  CHECK(intranet("rtmp://localhost/live", lan) == "intranet");
  CHECK(intranet("rtmp://10.2.3.4/live", lan) == "intranet");
  CHECK(intranet("rtmp://172.31.0.1/live", lan) == "intranet");
  CHECK(intranet("srt://[fd00::1]:9000", lan) == "intranet");
  CHECK_THROWS_WITH(intranet("rtmp://172.32.0.1/live", lan), Catch::Contains("intranet list"));
  CHECK_THROWS_AS(intranet("rtmp://203.0.113.7/live", lan), UsageError);
  CHECK_THROWS_AS(intranet("rtmp://media.hospital.example/live", lan), UsageError);
  const std::vector<std::string> site = {"hospital.example", "198.51.100.0/24"};
  CHECK(intranet("rtmp://MEDIA.Hospital.Example./live", site) == "intranet");
  CHECK(intranet("rtmp://198.51.100.20/live", site) == "intranet");
  CHECK_THROWS_AS(intranet("rtmp://evilhospital.example/live", site), UsageError);
  CHECK_THROWS_AS(intranet("rtmp://127.0.0.1/live", site), UsageError);  // the list replaces the default
}

TEST_CASE("HLS is shown on the intranet unless told otherwise; files have no platform") {
  CHECK(resolve_platform(parse_destination("hls:/srv/www/live"), "", {}) == "intranet");
  CHECK(resolve_platform(parse_destination("hls:/srv/www/live"), "youtube", {}) == "youtube");
  CHECK(resolve_platform(parse_destination("rec.mkv"), "", {}).empty());
}
