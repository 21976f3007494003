#pragma once
// --control FIFO: JSON Lines commands read on a background thread, e.g.
// {"cmd":"privacy","on":true}, {"cmd":"caption","text":"..."}, {"cmd":"mark","label":"stone"}.
// The FIFO is created if missing and opened read-write so writers may come and go
// without the reader seeing end of file. Malformed lines are logged and skipped.
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace surg::control {

class Reader {
 public:
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
