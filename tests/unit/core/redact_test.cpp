#include <catch2/catch.hpp>

#include "surg/core/redact.hpp"

using surg::redact_url;

TEST_CASE("rtmp stream keys are masked") {
  CHECK(redact_url("rtmps://live-api-s.facebook.com:443/rtmp/FB-123-SECRET") ==
        "rtmps://live-api-s.facebook.com:443/rtmp/****");
  CHECK(redact_url("rtmp://127.0.0.1:1935/live/key/with/slashes?x=1") ==
        "rtmp://127.0.0.1:1935/live/****?****");
  // Facebook keys carry a query: it belongs to the key.
  CHECK(redact_url("rtmps://h/rtmp/FB-123?s_sw=0&a=TOKEN") == "rtmps://h/rtmp/****?****");
  CHECK(redact_url("rtmp://host/app") == "rtmp://host/app");
}

TEST_CASE("credentials and secret query values are masked") {
  CHECK(redact_url("srt://10.0.0.1:9000?mode=caller&passphrase=hunter22&latency=120000") ==
        "srt://10.0.0.1:9000?mode=caller&passphrase=****&latency=120000");
  CHECK(redact_url("rtsp://admin:pw@tower.local/stream1") == "rtsp://****@tower.local/stream1");
  CHECK(redact_url("https://x.org/a?token=abc") == "https://x.org/a?token=****");
}

TEST_CASE("local paths are unchanged") {
  CHECK(redact_url("/var/rec/case-0213.mkv") == "/var/rec/case-0213.mkv");
  CHECK(redact_url("hls:/srv/live") == "hls:/srv/live");
}

TEST_CASE("URLs inside free text are redacted") {
  CHECK(surg::redact_urls_in("[tcp @ 0x1] Connection to rtmp://h:1935/live/SECRET failed: 'x'") ==
        "[tcp @ 0x1] Connection to rtmp://h:1935/live/**** failed: 'x'");
  CHECK(surg::redact_urls_in("no url here") == "no url here");
  CHECK(surg::redact_urls_in("a srt://h:1?passphrase=p b https://u:p@x/y") ==
        "a srt://h:1?passphrase=**** b https://****@x/y");
}

TEST_CASE("registered secrets are scrubbed by value wherever they appear") {
  surg::clear_secrets();
  surg::register_secret("FB-9876?s_sw=0&a=Abc123Token");
  surg::register_secret("hunter2-passphrase");
  // Typed without ://, in a path, in free text: the pattern cannot tell, the value can.
  CHECK(surg::scrub_secrets("live-api-s.facebook.com/rtmp/FB-9876?s_sw=0&a=Abc123Token") ==
        "live-api-s.facebook.com/rtmp/****");
  CHECK(surg::scrub_secrets("token Abc123Token alone") == "token **** alone");
  CHECK(surg::scrub_secrets("k=FB-9876%3Fs_sw%3D0%26a%3DAbc123Token;") == "k=****;");
  CHECK(surg::scrub_secrets("srt passphrase%3Dhunter2-passphrase") == "srt passphrase%3D****");
  CHECK(surg::redact_url("rtmp://h/FB-9876") == "rtmp://h/****");
  CHECK(surg::redact_urls_in("x hunter2-passphrase y") == "x **** y");
  surg::register_secret("abc");  // too short to scrub without masking ordinary words
  CHECK(surg::scrub_secrets("abc") == "abc");
  surg::clear_secrets();
  CHECK(surg::scrub_secrets("hunter2-passphrase") == "hunter2-passphrase");
}
