#pragma once
// --control FIFO: JSON Lines commands read on a background thread, e.g.
// {"cmd":"privacy","on":true}, {"cmd":"caption","text":"..."}, {"cmd":"mark","label":"stone"}.
// The FIFO is created if missing and opened read-write so writers may come and go
// without the reader seeing end of file. Malformed lines are logged and skipped.
// Anyone who can write the FIFO steers the privacy slate, so it must belong to the user and
// not be writable by others; lines and JSON nesting are bounded (doc/privacy.md).
#include <sys/stat.h>

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace surg::control {

inline constexpr std::size_t kMaxLineBytes = 64 * 1024;
inline constexpr int kMaxJsonDepth = 16;

// True when `text` opens more than `max_depth` nested arrays/objects at some point (strings
// are skipped). Checked before parsing, so a line of 300,000 '[' never reaches the parser.
bool nesting_exceeds(std::string_view text, int max_depth);

// One control line -> a command object with a string "cmd", or nullopt (logged) when it is
// blank, not JSON, too deeply nested or not a command.
std::optional<nlohmann::json> parse_command(std::string_view line);

// Why a control FIFO (its lstat or fstat) must not be used, or nullopt: not a FIFO, another
// user's (a FIFO planted by someone else would receive or forge the commands), or writable by
// others. Both ends check it: the stage that reads and surg-console that writes.
std::optional<std::string> fifo_problem(const struct stat& st);

// Splits a byte stream into lines of at most kMaxLineBytes. A longer line is dropped with
// a warning and the splitter resynchronises at the next newline.
class LineSplitter {
 public:
  explicit LineSplitter(std::size_t max_line = kMaxLineBytes) : max_line_(max_line) {}
  void feed(std::string_view bytes, const std::function<void(std::string_view)>& on_line);
  std::size_t dropped() const { return dropped_; }

 private:
  std::size_t max_line_;
  std::string buffer_;
  bool skipping_ = false;  // inside an over-long line, until its newline
  std::size_t dropped_ = 0;
};

class Reader {
 public:
  // Throws UsageError when the path is not a FIFO, belongs to another user or is writable
  // by group or others.
  explicit Reader(const std::string& path);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // Commands received since the last call, oldest first. Never blocks.
  std::vector<nlohmann::json> poll();

 private:
  void loop();
  std::string path_;
  int fd_ = -1;
  int wake_[2] = {-1, -1};
  std::mutex mutex_;
  std::deque<nlohmann::json> pending_;
  std::thread thread_;
};

}  // namespace surg::control
