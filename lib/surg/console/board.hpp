#pragma once
// The state of the other stages as the panel shows it, folded from their --events logs
// (doc/stream.md, "Side channels"; the records are listed in each tool's man page, EVENTS).
// Board::apply is pure (a record and the wall time it was read), so the folding is unit-tested
// from JSON lines; Watcher follows the files on a thread of its own.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "surg/control/control.hpp"

namespace surg::console {

class Board {
 public:
  // One events record of any stage; `now_ms`: wall time (ms since the epoch) it was read.
  // Records that are not objects, or of unknown tools or types, are ignored.
  void apply(const nlohmann::json& record, std::int64_t now_ms);
  // Everything the page shows: {"stages":{tool:{...}},"outputs":[...],"consent":{...}}.
  nlohmann::json snapshot() const;

  // The slate surg-anonymize turned on most recently: its pts and reason (pts -1: none yet).
  struct SlateStart {
    std::int64_t pts = -1;
    std::string tb;
    std::string reason;
    std::int64_t seq = 0;  // increases with every start, so a reader notices a new one
  };
  SlateStart last_slate_start() const { return slate_start_; }

 private:
  void apply_anonymize(const std::string& type, const nlohmann::json& data, const nlohmann::json& record,
                       nlohmann::json& stage);
  void apply_push(const std::string& type, const nlohmann::json& data, std::int64_t now_ms,
                  nlohmann::json& stage);
  nlohmann::json stages_ = nlohmann::json::object();
  std::map<std::string, nlohmann::json> outputs_;  // by redacted destination
  nlohmann::json consent_;                         // null until surg-push reports one
  SlateStart slate_start_;
};

// Follows events logs (JSON Lines) as other stages append to them, from their start; a file
// that does not exist yet is looked for again, one that shrinks is read again from its start.
// Each complete line is parsed and handed to `sink` with the wall time it was read.
class Watcher {
 public:
  using Sink = std::function<void(const nlohmann::json&, std::int64_t now_ms)>;
  Watcher(std::vector<std::string> files, std::string run_dir, Sink sink);
  ~Watcher();
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;
  // One pass over every file (the thread calls it every 50 ms; tests call it directly).
  void poll_once();
  void start();

 private:
  struct Followed {
    std::uintmax_t offset = 0;
    control::LineSplitter lines;  // keeps a line not yet ended; drops one over kMaxLineBytes
  };
  void follow(const std::string& path, Followed& f);
  std::vector<std::string> files_;
  std::string run_dir_;
  std::string own_;  // our own events log, never read back
  Sink sink_;
  std::map<std::string, Followed> followed_;
  std::atomic<bool> stop_{false};
  std::thread thread_;

 public:
  void skip(const std::string& path) { own_ = path; }
};

std::int64_t wall_ms();  // ms since the epoch

}  // namespace surg::console
