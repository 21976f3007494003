// surg-console's options: the token file's checks and the refusals made before any media.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "surg/console/options.hpp"
#include "surg/core/error.hpp"
#include "surg/core/redact.hpp"

using namespace surg::console;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir() {
  char tmpl[] = "/tmp/surg-console-test.XXXXXX";
  return mkdtemp(tmpl);
}

std::string write_file(const fs::path& dir, const std::string& name, const std::string& text, mode_t mode) {
  const auto path = (dir / name).string();
  std::ofstream(path) << text;
  chmod(path.c_str(), mode);
  return path;
}

}  // namespace

TEST_CASE("the token file must be 0600 or stricter, a regular file, with a long enough token") {
  const auto dir = temp_dir();
  const std::string token = "s3cr3t-token-of-24-chars";
  CHECK(read_token_file(write_file(dir, "ok", token + "\n", 0600)) == token);
  CHECK(read_token_file(write_file(dir, "ro", "  " + token + "  \n", 0400)) == token);
  CHECK_THROWS_WITH(read_token_file(write_file(dir, "group", token, 0640)), Catch::Contains("chmod 600"));
  CHECK_THROWS_WITH(read_token_file(write_file(dir, "world", token, 0604)), Catch::Contains("chmod 600"));
  CHECK_THROWS_WITH(read_token_file(write_file(dir, "short", "short", 0600)), Catch::Contains("at least 16"));
  CHECK_THROWS_WITH(read_token_file(write_file(dir, "space", "two words in the token", 0600)),
                    Catch::Contains("printable"));
  CHECK_THROWS_AS(read_token_file((dir / "missing").string()), surg::UsageError);
  fs::create_symlink(dir / "ok", dir / "link");
  CHECK_THROWS_AS(read_token_file((dir / "link").string()), surg::UsageError);  // never followed
  fs::create_directory(dir / "folder");
  CHECK_THROWS_AS(read_token_file((dir / "folder").string()), surg::UsageError);
  fs::remove_all(dir);
}

TEST_CASE("another address than loopback needs a token file") {
  Options o;
  o.listen = "0.0.0.0:8480";
  CHECK_THROWS_WITH(resolve(o), Catch::Contains("--token-file"));
  const auto dir = temp_dir();
  o.token_file = write_file(dir, "token", "0123456789abcdef0123", 0600);
  const Settings s = resolve(o);
  CHECK(s.policy.token == "0123456789abcdef0123");
  // Registered as a secret: no log or events line can carry it.
  CHECK(surg::scrub_secrets("token 0123456789abcdef0123 sent") == "token **** sent");
  surg::clear_secrets();
  o = Options{};
  CHECK(resolve(o).policy.token.empty());  // loopback: none needed
  CHECK(resolve(o).policy.listen.authority() == "127.0.0.1:8480");
  o.anonymize_control = write_file(dir, "plain", "x", 0600);
  CHECK_THROWS_WITH(resolve(o), Catch::Contains("not a FIFO"));
  o.anonymize_control = (dir / "made-later").string();  // the stage creates its FIFO
  CHECK_NOTHROW(resolve(o));
  fs::remove_all(dir);
}
