#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "surg/core/error.hpp"
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
