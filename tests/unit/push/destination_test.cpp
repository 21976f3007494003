#include <catch2/catch.hpp>

#include <filesystem>

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
  CHECK(url_with_key("rtmp://host/live?x=1", "K") == "rtmp://host/live/K?x=1");
}

TEST_CASE("srt passphrase goes in the query") {
  CHECK(url_with_passphrase("srt://h:1", "0123456789") == "srt://h:1?passphrase=0123456789");
  CHECK(url_with_passphrase("srt://h:1?latency=1", "p") == "srt://h:1?latency=1&passphrase=p");
}

TEST_CASE("mux targets carry the secret but show it redacted") {
  OutputConfig c;
  c.stream_key = "sk-12345";
  const auto t = mux_target(parse_destination("rtmp://127.0.0.1:1935/live"), c);
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
  CHECK_NOTHROW(check_writable(parse_destination("rtmp://h/app")));
  const auto dir = std::filesystem::temp_directory_path() / "surg-push-dest-test";
  std::filesystem::remove_all(dir);
  CHECK_NOTHROW(check_writable(parse_destination("hls:" + dir.string())));
  CHECK(std::filesystem::is_directory(dir));
  std::filesystem::remove_all(dir);
}
