#include "surg/control/control.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>

#include "surg/core/error.hpp"

namespace surg::control {

Reader::Reader(const std::string& path) : path_(path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    if (mkfifo(path.c_str(), 0600) != 0)
      throw UsageError("--control " + path + ": cannot create FIFO: " + std::strerror(errno));
  } else if (!S_ISFIFO(st.st_mode)) {
    throw UsageError("--control " + path + ": not a FIFO (create one with mkfifo)");
  }
  // Read-write so that the FIFO never reports end of file between writers.
  fd_ = open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) throw UsageError("--control " + path + ": " + std::strerror(errno));
  if (pipe2(wake_, O_CLOEXEC) != 0) throw RuntimeError(std::string("pipe: ") + std::strerror(errno));
  thread_ = std::thread([this] { loop(); });
}

Reader::~Reader() {
  if (wake_[1] >= 0) (void)!write(wake_[1], "x", 1);
  if (thread_.joinable()) thread_.join();
  for (int fd : {fd_, wake_[0], wake_[1]})
    if (fd >= 0) close(fd);
}

std::vector<nlohmann::json> Reader::poll() {
  std::lock_guard lock(mutex_);
  std::vector<nlohmann::json> out(pending_.begin(), pending_.end());
  pending_.clear();
  return out;
}

void Reader::loop() {
  std::string buffer;
  char chunk[4096];
  while (true) {
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents) return;
    const ssize_t n = read(fd_, chunk, sizeof chunk);
    if (n <= 0) continue;
    buffer.append(chunk, static_cast<std::size_t>(n));
    std::size_t nl;
    while ((nl = buffer.find('\n')) != std::string::npos) {
      const std::string line = buffer.substr(0, nl);
      buffer.erase(0, nl + 1);
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      auto command = nlohmann::json::parse(line, nullptr, false);
      if (command.is_discarded() || !command.is_object() || !command.contains("cmd")) {
        spdlog::warn("control: ignoring malformed line: {}", line.substr(0, 200));
        continue;
      }
      std::lock_guard lock(mutex_);
      pending_.push_back(std::move(command));
    }
  }
}

}  // namespace surg::control
