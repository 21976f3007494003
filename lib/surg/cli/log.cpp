#include "surg/cli/log.hpp"

#include <cstdlib>
#include <mutex>
#include <string_view>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "surg/core/redact.hpp"

namespace surg::cli {
namespace {

// --log-format json: one object a line, built with a JSON library (never by hand).
class JsonSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit JsonSink(std::string tool) : tool_(std::move(tool)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    const auto t = std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch());
    nlohmann::json line = {{"time_ms", t.count()},
                           {"tool", tool_},
                           {"level", spdlog::level::to_string_view(msg.level).data()},
                           {"msg", scrub_secrets(std::string_view(msg.payload.data(), msg.payload.size()))}};
    const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    std::fwrite(text.data(), 1, text.size(), stderr);
  }
  void flush_() override { std::fflush(stderr); }

 private:
  std::string tool_;
};

// Text lines as "[tool] [level] message", every registered secret scrubbed by value: this
// is where every log line, error and FFmpeg message passes (doc/privacy.md).
class TextSink : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    const std::string text = scrub_secrets(std::string_view(formatted.data(), formatted.size()));
    std::fwrite(text.data(), 1, text.size(), stderr);
  }
  void flush_() override { std::fflush(stderr); }
};

spdlog::level::level_enum level_from(int verbose, int quiet) {
  int level = spdlog::level::info;
  if (const char* env = std::getenv("SURG_LOG_LEVEL"); env && *env) level = spdlog::level::from_str(env);
  level = std::clamp(level - verbose + quiet, static_cast<int>(spdlog::level::trace),
                     static_cast<int>(spdlog::level::off));
  return static_cast<spdlog::level::level_enum>(level);
}

}  // namespace

void setup_logging(const std::string& tool, const std::string& format, int verbose, int quiet) {
  std::shared_ptr<spdlog::sinks::sink> sink;
  if (format == "json") {
    sink = std::make_shared<JsonSink>(tool);
  } else {
    sink = std::make_shared<TextSink>();
    sink->set_pattern("[" + tool + "] [%l] %v");
  }
  auto logger = std::make_shared<spdlog::logger>(tool, sink);
  logger->set_level(level_from(verbose, quiet));
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
}

}  // namespace surg::cli
