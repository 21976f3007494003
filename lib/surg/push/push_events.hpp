#pragma once
// surg-push's --events records (schema in surg-push(1), EVENTS): output state changes,
// dropped GOPs and a progress record once a second. Network outputs report from their own
// threads, so every record goes through one lock. Destinations are already redacted.
#include <cstdint>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "surg/events/events.hpp"

namespace surg::push {

// The states an output goes through (the "state" of type "output").
namespace state {
inline constexpr const char* connecting = "connecting";
inline constexpr const char* connected = "connected";
inline constexpr const char* disconnected = "disconnected";
inline constexpr const char* reconnecting = "reconnecting";
inline constexpr const char* stalled = "stalled";
inline constexpr const char* gave_up = "gave-up";
inline constexpr const char* withdrawn = "withdrawn";
inline constexpr const char* error = "error";
inline constexpr const char* finished = "finished";
}  // namespace state

class PushEvents {
 public:
  PushEvents() = default;  // disabled
  explicit PushEvents(events::Emitter emitter) : emitter_(std::move(emitter)) {}
  bool enabled() const { return emitter_.enabled(); }
  // `extra`: reason (disconnected, stalled, error, gave-up), attempt and delay_ms (reconnecting).
  void output(const std::string& dest, const std::string& kind, const char* state,
              nlohmann::json extra = nlohmann::json::object());
  void dropped(const std::string& dest, std::int64_t packets, std::int64_t gops);
  void progress(nlohmann::json data);
  void limit(nlohmann::json data);  // a duration limit ahead (limits.hpp)
  // The consent under which the session runs, at start ("in-force") and when withdrawn.
  void consent(nlohmann::json data);

 private:
  void emit(const char* type, nlohmann::json data);
  std::mutex mutex_;
  events::Emitter emitter_;
};

}  // namespace surg::push
