#include "surg/events/events.hpp"

#include <cerrno>
#include <cstring>

#include "surg/core/error.hpp"
#include "surg/core/redact.hpp"

namespace surg::events {
namespace {

std::FILE* open_target(const std::string& target) {
  if (target.rfind("fd:", 0) == 0) {
    const int fd = std::atoi(target.c_str() + 3);
    if (fd < 0 || (fd == 1)) throw UsageError("--events " + target + ": stdout carries media");
    std::FILE* f = fdopen(fd, "w");
    if (!f) throw UsageError("--events " + target + ": " + std::strerror(errno));
    return f;
  }
  std::FILE* f = std::fopen(target.c_str(), "w");
  if (!f) throw UsageError("--events " + target + ": " + std::strerror(errno));
  return f;
}

}  // namespace

Emitter::Emitter(const std::string& tool, const std::string& target)
    : tool_(tool), file_(open_target(target), [](std::FILE* f) { std::fclose(f); }) {}

void Emitter::emit(const std::string& type, nlohmann::json data, std::optional<std::int64_t> pts,
                   TimeBase tb) {
  if (!file_) return;
  nlohmann::json line = {{"v", 1}, {"tool", tool_}, {"type", type}};
  if (pts) {
    line["pts"] = *pts;
    line["tb"] = std::to_string(tb.num) + "/" + std::to_string(tb.den);
  }
  line["data"] = std::move(data);
  const std::string text = scrub_secrets(line.dump()) + "\n";  // no loaded secret, ever
  // Events are evidence: a reader tailing the file must see each line as soon as it exists.
  std::fwrite(text.data(), 1, text.size(), file_.get());
  std::fflush(file_.get());
}

}  // namespace surg::events
