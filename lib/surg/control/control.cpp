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
namespace {

// The FIFO must be ours and closed to others: a FIFO someone else made (or can write) would
// let them blank or unblank the broadcast (doc/privacy.md).
void check_fifo(const std::string& path, const struct stat& st) {
  if (const auto why = fifo_problem(st)) throw UsageError("--control " + path + ": " + *why);
}

}  // namespace

std::optional<std::string> fifo_problem(const struct stat& st) {
  if (!S_ISFIFO(st.st_mode)) return "not a FIFO (create one with mkfifo)";
  if (st.st_uid != geteuid())
    return "the FIFO belongs to another user (uid " + std::to_string(st.st_uid) +
           "); create your own with mkfifo -m 600";
  if (st.st_mode & (S_IWGRP | S_IWOTH)) return "the FIFO is writable by others; chmod go-w it";
  return std::nullopt;
}

bool nesting_exceeds(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

std::optional<nlohmann::json> parse_command(std::string_view line) {
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return std::nullopt;
  if (nesting_exceeds(line, kMaxJsonDepth)) {
    spdlog::warn("control: ignoring a line nested deeper than {} levels", kMaxJsonDepth);
    return std::nullopt;
  }
  auto command = nlohmann::json::parse(line, nullptr, false);
  if (command.is_discarded() || !command.is_object() || !command.contains("cmd") ||
      !command["cmd"].is_string()) {
    // Logged as JSON so that control characters or broken UTF-8 cannot forge log lines.
    spdlog::warn("control: ignoring malformed line: {}",
                 nlohmann::json(std::string(line.substr(0, 200)))
                     .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return std::nullopt;
  }
  return command;
}

void LineSplitter::feed(std::string_view bytes, const std::function<void(std::string_view)>& on_line) {
  while (!bytes.empty()) {
    const std::size_t nl = bytes.find('\n');
    const std::string_view part = bytes.substr(0, nl);
    if (!skipping_) buffer_.append(part.substr(0, max_line_ + 1 - buffer_.size()));  // <= max + 1
    if (!skipping_ && buffer_.size() > max_line_) {
      spdlog::warn("control: dropping a line longer than {} bytes", max_line_);
      ++dropped_;
      skipping_ = true;
      buffer_.clear();
    }
    if (nl == std::string_view::npos) return;
    if (!skipping_) on_line(buffer_);
    buffer_.clear();
    skipping_ = false;
    bytes.remove_prefix(nl + 1);
  }
}

Reader::Reader(const std::string& path) : path_(path) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) {
    if (mkfifo(path.c_str(), 0600) != 0)
      throw UsageError("--control " + path + ": cannot create FIFO: " + std::strerror(errno));
    if (lstat(path.c_str(), &st) != 0) throw UsageError("--control " + path + ": " + std::strerror(errno));
  }
  check_fifo(path, st);
  // Read-write so that the FIFO never reports end of file between writers. O_NOFOLLOW and
  // the second check on the open descriptor close the gap between lstat and open.
  fd_ = open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
  if (fd_ < 0) throw UsageError("--control " + path + ": " + std::strerror(errno));
  struct stat opened {};
  if (fstat(fd_, &opened) != 0 || opened.st_ino != st.st_ino || opened.st_dev != st.st_dev) {
    close(fd_);
    fd_ = -1;
    throw UsageError("--control " + path + ": the FIFO changed while it was opened");
  }
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
  LineSplitter lines;
  char chunk[4096];
  const auto on_line = [this](std::string_view line) {
    auto command = parse_command(line);
    if (!command) return;
    std::lock_guard lock(mutex_);
    pending_.push_back(std::move(*command));
  };
  while (true) {
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents) return;
    const ssize_t n = read(fd_, chunk, sizeof chunk);
    if (n <= 0) continue;
    lines.feed(std::string_view(chunk, static_cast<std::size_t>(n)), on_line);
  }
}

}  // namespace surg::control
