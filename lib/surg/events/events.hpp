#pragma once
// --events: JSON Lines, one object a line, flushed per line:
// {"v":1,"tool":"surg-anonymize","type":"faces","pts":3003,"tb":"1/90000","data":{...}}
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace surg::events {

struct TimeBase {
  int num = 1;
  int den = 1;
};

class Emitter {
 public:
  Emitter() = default;  // disabled: emit() does nothing
  // "PATH" (created/truncated) or "fd:N". Throws UsageError if it cannot be opened.
  Emitter(const std::string& tool, const std::string& target);
  bool enabled() const { return file_ != nullptr; }
  void emit(const std::string& type, nlohmann::json data = nlohmann::json::object(),
            std::optional<std::int64_t> pts = std::nullopt, TimeBase tb = {});

 private:
  std::string tool_;
  std::shared_ptr<std::FILE> file_;
};

}  // namespace surg::events
