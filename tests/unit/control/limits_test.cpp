// The control FIFO as an adversary sees it: someone else's FIFO, endless lines, deep JSON
// (issue 11 item 16).
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "surg/control/control.hpp"
#include "surg/core/error.hpp"

using namespace surg;

namespace {

std::string fifo_path(const std::string& name) {
  const auto path = (std::filesystem::temp_directory_path() /
                     ("surg-control-limits-" + std::to_string(getpid()) + "-" + name))
                        .string();
  std::filesystem::remove(path);
  return path;
}

std::vector<std::string> split(const std::string& bytes, std::size_t max, std::size_t chunk,
                               std::size_t* dropped = nullptr) {
  control::LineSplitter lines(max);
  std::vector<std::string> got;
  for (std::size_t i = 0; i < bytes.size(); i += chunk)
    lines.feed(std::string_view(bytes).substr(i, chunk), [&](std::string_view l) { got.emplace_back(l); });
  if (dropped) *dropped = lines.dropped();
  return got;
}

}  // namespace

TEST_CASE("a line over the bound is dropped and the next line still arrives") {
  const std::string text = "a\n" + std::string(100, 'x') + "\nb\n" + std::string(10, 'y') + "\n";
  for (std::size_t chunk : {1, 3, 7, 64, 4096}) {
    INFO(chunk);
    std::size_t dropped = 0;
    CHECK(split(text, 10, chunk, &dropped) == std::vector<std::string>{"a", "b", std::string(10, 'y')});
    CHECK(dropped == 1);
  }
}

TEST_CASE("a line without end never grows the buffer past the bound") {
  control::LineSplitter lines(16);
  int count = 0;
  for (int i = 0; i < 10000; ++i) lines.feed(std::string(4096, 'z'), [&](std::string_view) { ++count; });
  lines.feed("\n{}\n", [&](std::string_view l) {
    CHECK(l == "{}");
    ++count;
  });
  CHECK(count == 1);
  CHECK(lines.dropped() == 1);
}

TEST_CASE("deep JSON nesting is refused before parsing") {
  CHECK(control::nesting_exceeds(std::string(300000, '['), control::kMaxJsonDepth));
  CHECK_FALSE(control::parse_command(std::string(300000, '[')));
  CHECK_FALSE(control::parse_command("{\"cmd\":\"x\",\"a\":" + std::string(100, '{')));
  // Brackets inside strings do not count; 16 levels are fine.
  CHECK_FALSE(control::nesting_exceeds(R"({"cmd":"caption","text":"[[[[[[[[[[[[[[[[[[[[[["})", 4));
  std::string deep = "{\"cmd\":\"x\",\"a\":" + std::string(14, '[') + std::string(14, ']') + "}";
  CHECK(control::parse_command(deep));
}

TEST_CASE("a command needs a string cmd") {
  CHECK_FALSE(control::parse_command(R"({"cmd":["privacy"]})"));
  CHECK_FALSE(control::parse_command(R"({"cmd":1})"));
  CHECK_FALSE(control::parse_command("\xff\xfe"));
  CHECK(control::parse_command(R"({"cmd":"privacy","on":true})"));
}

TEST_CASE("a FIFO writable by others is refused") {
  const auto path = fifo_path("open.fifo");
  REQUIRE(mkfifo(path.c_str(), 0600) == 0);
  REQUIRE(chmod(path.c_str(), 0622) == 0);
  CHECK_THROWS_AS(control::Reader(path), UsageError);
  REQUIRE(chmod(path.c_str(), 0620) == 0);
  CHECK_THROWS_AS(control::Reader(path), UsageError);
  REQUIRE(chmod(path.c_str(), 0640) == 0);
  CHECK_NOTHROW(control::Reader(path));
  std::filesystem::remove(path);
}

TEST_CASE("a FIFO owned by another user is refused") {
  const auto path = fifo_path("other.fifo");
  REQUIRE(mkfifo(path.c_str(), 0600) == 0);
  // Only root can give a file away; as another user this case checks nothing new.
  if (geteuid() == 0) {
    REQUIRE(chown(path.c_str(), 65534, 65534) == 0);
    try {
      control::Reader reader(path);
      FAIL("accepted another user's FIFO");
    } catch (const UsageError& e) {
      CHECK(std::string(e.what()).find("another user") != std::string::npos);
    }
  }
  std::filesystem::remove(path);
}

TEST_CASE("a symlink to a FIFO is refused") {
  const auto target = fifo_path("target.fifo"), link = fifo_path("link.fifo");
  REQUIRE(mkfifo(target.c_str(), 0600) == 0);
  std::filesystem::create_symlink(target, link);
  CHECK_THROWS_AS(control::Reader(link), UsageError);
  std::filesystem::remove(link);
  std::filesystem::remove(target);
}

TEST_CASE("the reader resynchronises after an over-long line on the FIFO") {
  const auto path = fifo_path("long.fifo");
  control::Reader reader(path);
  const int fd = open(path.c_str(), O_WRONLY);
  REQUIRE(fd >= 0);
  const std::string text = "{\"cmd\":\"caption\",\"text\":\"" + std::string(control::kMaxLineBytes, 'x') +
                           "\"}\n" + std::string(300000, '[') + "\n{\"cmd\":\"mark\",\"label\":\"after\"}\n";
  std::size_t off = 0;
  while (off < text.size()) {
    const ssize_t n = write(fd, text.data() + off, text.size() - off);
    if (n > 0)
      off += static_cast<std::size_t>(n);
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  close(fd);
  std::vector<nlohmann::json> got;
  for (int i = 0; i < 300 && got.empty(); ++i) {
    got = reader.poll();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(got.size() == 1);
  CHECK(got[0]["label"] == "after");
  std::filesystem::remove(path);
}
