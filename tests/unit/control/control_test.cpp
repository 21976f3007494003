#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "surg/control/control.hpp"
#include "surg/core/error.hpp"

namespace {

std::vector<nlohmann::json> wait_for(surg::control::Reader& r, std::size_t n) {
  std::vector<nlohmann::json> got;
  for (int i = 0; i < 200 && got.size() < n; ++i) {
    auto more = r.poll();
    got.insert(got.end(), more.begin(), more.end());
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return got;
}

void write_to(const std::string& path, const std::string& text) {
  const int fd = open(path.c_str(), O_WRONLY);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  close(fd);
}

}  // namespace

TEST_CASE("commands from successive writers arrive in order; malformed lines are skipped") {
  const auto path = (std::filesystem::temp_directory_path() / "surg-control-test.fifo").string();
  std::filesystem::remove(path);
  surg::control::Reader reader(path);  // creates the FIFO
  write_to(path, "{\"cmd\":\"privacy\",\"on\":true}\nnot json\n{\"no\":\"cmd\"}\n");
  write_to(path, "{\"cmd\":\"caption\",\"te");  // a line split across writes
  write_to(path, "xt\":\"Here we are\"}\n");
  const auto got = wait_for(reader, 2);
  REQUIRE(got.size() == 2);
  CHECK(got[0]["cmd"] == "privacy");
  CHECK(got[1]["text"] == "Here we are");
  std::filesystem::remove(path);
}

TEST_CASE("a control path that is a regular file is refused") {
  const auto path = (std::filesystem::temp_directory_path() / "surg-control-test.txt").string();
  {
    FILE* f = fopen(path.c_str(), "w");
    fclose(f);
  }
  CHECK_THROWS_AS(surg::control::Reader(path), surg::UsageError);
  std::filesystem::remove(path);
}
