#include <catch2/catch.hpp>

#include "surg/core/redact.hpp"

using surg::redact_url;

TEST_CASE("rtmp stream keys are masked") {
  CHECK(redact_url("rtmps://live-api-s.facebook.com:443/rtmp/FB-123-SECRET") ==
        "rtmps://live-api-s.facebook.com:443/rtmp/****");
  CHECK(redact_url("rtmp://127.0.0.1:1935/live/key/with/slashes?x=1") ==
        "rtmp://127.0.0.1:1935/live/****?x=1");
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
