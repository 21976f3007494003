#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "surg/core/error.hpp"
#include "surg/core/redact.hpp"
#include "surg/push/secrets.hpp"

using namespace surg;
using namespace surg::push;
namespace fs = std::filesystem;

namespace {

struct TempSecret {
  fs::path path;
  TempSecret(const std::string& content, mode_t mode) {
    char tmpl[] = "/tmp/surg-push-secret.XXXXXX";
    const int fd = mkstemp(tmpl);
    REQUIRE(fd >= 0);
    ::close(fd);
    path = tmpl;
    std::ofstream(path) << content;
    chmod(path.c_str(), mode);
  }
  ~TempSecret() { fs::remove(path); }
};

}  // namespace

TEST_CASE("secret file modes 0600 and 0400 are accepted, others refused") {
  CHECK_NOTHROW(check_secret_mode("k", S_IFREG | 0600));
  CHECK_NOTHROW(check_secret_mode("k", S_IFREG | 0400));
  CHECK_THROWS_AS(check_secret_mode("k", S_IFREG | 0644), UsageError);
  CHECK_THROWS_AS(check_secret_mode("k", S_IFREG | 0640), UsageError);
  CHECK_THROWS_AS(check_secret_mode("k", S_IFREG | 0700), UsageError);
  CHECK_THROWS_AS(check_secret_mode("k", S_IFREG | 0604), UsageError);
  CHECK_THROWS_WITH(check_secret_mode("/etc/surg/key", S_IFREG | 0644),
                    Catch::Contains("/etc/surg/key has mode 0644") && Catch::Contains("0600 or 0400"));
}

TEST_CASE("a secret file is read without its trailing newline") {
  TempSecret f("live_123_abc\n", 0600);
  CHECK(read_secret_file(f.path) == "live_123_abc");
}

TEST_CASE("a readable-by-others key file is refused without printing the key") {
  TempSecret f("topsecretkey\n", 0644);
  try {
    read_secret_file(f.path);
    FAIL("no error");
  } catch (const UsageError& e) {
    const std::string msg = e.what();
    CHECK(msg.find("0644") != std::string::npos);
    CHECK(msg.find(f.path.string()) != std::string::npos);
    CHECK(msg.find("topsecretkey") == std::string::npos);
    CHECK(e.status() == ExitStatus::usage);
  }
}

TEST_CASE("missing or empty secret files are usage errors") {
  CHECK_THROWS_AS(read_secret_file("/nonexistent/surg/key"), UsageError);
  TempSecret empty("\n", 0600);
  CHECK_THROWS_WITH(read_secret_file(empty.path), Catch::Contains("is empty"));
}

TEST_CASE("the file wins over the environment, which is the fallback") {
  setenv("SURG_TEST_SECRET", "from-env", 1);
  TempSecret f("from-file", 0400);
  CHECK(load_secret(f.path, "SURG_TEST_SECRET") == "from-file");
  CHECK(load_secret("", "SURG_TEST_SECRET") == "from-env");
  unsetenv("SURG_TEST_SECRET");
  CHECK_FALSE(load_secret("", "SURG_TEST_SECRET").has_value());
}

namespace {

std::vector<Destination> dests(std::initializer_list<const char*> texts) {
  std::vector<Destination> out;
  for (const char* t : texts) out.push_back(parse_destination(t));
  return out;
}

}  // namespace

TEST_CASE("each destination gets only its own key, named by its label") {
  TempSecret fb("FB-111?s_sw=0&a=fbtoken", 0600), yt("yt-key-222", 0600);
  auto ds = dests({"fb=rtmps://live-api-s.facebook.com:443/rtmp/", "yt=rtmp://a.rtmp.youtube.com/live2",
                   "preview=rtmp://10.0.0.5/live", "rec.mkv"});
  assign_secrets(ds, {{"fb=" + fb.path.string(), "yt=" + yt.path.string()}, {}, {}});
  CHECK(ds[0].secrets.stream_key == "FB-111?s_sw=0&a=fbtoken");
  CHECK(ds[1].secrets.stream_key == "yt-key-222");
  CHECK(ds[2].secrets.stream_key.empty());  // a destination without its own key gets none
  CHECK(ds[3].secrets.stream_key.empty());
  // Registered: scrubbed by value from anything logged.
  CHECK(scrub_secrets("x yt-key-222 fbtoken") == "x **** ****");
  clear_secrets();
}

TEST_CASE("a plain key file is refused when more than one destination could take it") {
  TempSecret k("shared-key-333", 0600);
  auto two = dests({"rtmp://a.example/live", "rtmp://b.example/live"});
  CHECK_THROWS_WITH(assign_secrets(two, {{k.path.string()}, {}, {}}), Catch::Contains("ambiguous"));
  auto one = dests({"rtmp://a.example/live", "srt://b.example:9000", "x.mp4"});
  assign_secrets(one, {{k.path.string()}, {}, {}});
  CHECK(one[0].secrets.stream_key == "shared-key-333");
  CHECK(one[1].secrets.stream_key.empty());
  clear_secrets();
}

TEST_CASE("the environment key is refused when ambiguous too") {
  setenv("SURG_STREAM_KEY", "env-key-444", 1);
  auto two = dests({"rtmp://a.example/live", "rtmp://b.example/live"});
  CHECK_THROWS_AS(assign_secrets(two, {}), UsageError);
  auto one = dests({"rtmp://a.example/live"});
  assign_secrets(one, {});
  CHECK(one[0].secrets.stream_key == "env-key-444");
  unsetenv("SURG_STREAM_KEY");
  clear_secrets();
}

TEST_CASE("unknown labels, wrong kinds and a label given twice are usage errors") {
  TempSecret k("some-key-555", 0600);
  auto ds = dests({"a=rtmp://a.example/live", "s=srt://b.example:9000"});
  CHECK_THROWS_WITH(assign_secrets(ds, {{"nosuch=" + k.path.string()}, {}, {}}),
                    Catch::Contains("no destination is labelled nosuch"));
  CHECK_THROWS_WITH(assign_secrets(ds, {{"s=" + k.path.string()}, {}, {}}),
                    Catch::Contains("not an rtmp(s) destination"));
  auto again = dests({"a=rtmp://a.example/live"});
  CHECK_THROWS_WITH(assign_secrets(again, {{"a=" + k.path.string(), "a=" + k.path.string()}, {}, {}}),
                    Catch::Contains("given twice"));
  clear_secrets();
}

TEST_CASE("SRT passphrase and streamid come from files, each to its destination") {
  TempSecret pass("passphrase-0123456789", 0600), sid("#!::r=live/cam,m=publish", 0400),
      shortp("short-9", 0600);
  auto ds = dests({"s1=srt://a.example:9000", "s2=srt://b.example:9000"});
  assign_secrets(ds, {{}, {"s1=" + pass.path.string()}, {"s2=" + sid.path.string()}});
  CHECK(ds[0].secrets.srt_passphrase == "passphrase-0123456789");
  CHECK(ds[0].secrets.srt_streamid.empty());
  CHECK(ds[1].secrets.srt_streamid == "#!::r=live/cam,m=publish");
  auto bad = dests({"srt://a.example:9000"});
  CHECK_THROWS_WITH(assign_secrets(bad, {{}, {shortp.path.string()}, {}}), Catch::Contains("10 to 79"));
  clear_secrets();
}

TEST_CASE("a backup ingest takes LABEL.backup") {
  TempSecret k("main-key-666", 0600), b("backup-key-777", 0600);
  auto ds = dests({"yt=rtmp://a.rtmp.youtube.com/live2"});
  ds.push_back(parse_backup("yt=rtmp://b.rtmp.youtube.com/live2", ds));
  CHECK(ds[1].backup);
  CHECK(secret_name(ds[1]) == "yt.backup");
  assign_secrets(ds, {{"yt=" + k.path.string(), "yt.backup=" + b.path.string()}, {}, {}});
  CHECK(ds[0].secrets.stream_key == "main-key-666");
  CHECK(ds[1].secrets.stream_key == "backup-key-777");
  CHECK_THROWS_AS(parse_backup("other=rtmp://b.example/live", ds), UsageError);
  CHECK_THROWS_AS(parse_backup("rtmp://b.example/live", ds), UsageError);
  // A key typed into a backup URL is refused with the option the backup takes it from.
  CHECK_THROWS_WITH(parse_backup("yt=rtmp://b.rtmp.youtube.com/live2/KEY-123456", ds),
                    Catch::Contains("--key-file yt.backup=FILE") && !Catch::Contains("KEY-123456"));
  clear_secrets();
}

TEST_CASE("secrets shorter than 4 characters are refused (they could not be scrubbed)") {
  TempSecret tiny("abc", 0600);
  CHECK_THROWS_WITH(read_secret_file(tiny.path), Catch::Contains("shorter than 4"));
}
