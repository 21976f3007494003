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
