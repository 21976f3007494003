#pragma once
// surg-console's loop: surg stream in, the same stream out (video frames forwarded as read,
// audio byte for byte unless muted, marks passed on), while the panel runs beside it.
#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "surg/cli/tool.hpp"
#include "surg/console/board.hpp"
#include "surg/console/options.hpp"
#include "surg/media/stream.hpp"

namespace surg::console {

// What the operator did and what the console saw, shared by the media loop and the server
// threads. Every operator action goes through act(), which writes the audit record.
class Desk {
 public:
  Desk(const Settings& settings, events::Emitter events);
  // A request from the page: {"ok","error","summary"}; written to the events log either way.
  nlohmann::json act(const nlohmann::json& request);
  // Commands of the console's own --control FIFO ({"cmd":"mute","on":bool}).
  void command(const nlohmann::json& command);
  nlohmann::json state(const nlohmann::json& board, const nlohmann::json& console) const;
  bool muted() const { return muted_.load(); }
  bool privacy_requested() const { return privacy_requested_.load(); }
  std::int64_t privacy_on_ms() const { return privacy_on_ms_.load(); }
  void emit(const std::string& type, nlohmann::json data);

 private:
  void audit(const std::string& summary, const nlohmann::json& detail, const std::string& error);
  const Settings& settings_;
  mutable std::mutex mutex_;
  events::Emitter events_;
  std::deque<nlohmann::json> recent_;  // the last actions, for the page
  std::atomic<bool> muted_;
  std::atomic<bool> privacy_requested_{false};
  std::atomic<std::int64_t> privacy_on_ms_{0};
};

// The output declares what the input has, and this step in surg.chain.
media::StreamInfo output_info(const media::StreamInfo& in, const Settings& settings);

int run(const Options& options, cli::Context& ctx);

}  // namespace surg::console
