#pragma once
// Logging: spdlog to stderr, "[surg-push] [warn] message" or one JSON object a line.
// Level from -v/-q, else SURG_LOG_LEVEL (trace|debug|info|warn|error|off), else info.
#include <string>

namespace surg::cli {

void setup_logging(const std::string& tool, const std::string& format, int verbose, int quiet);

}  // namespace surg::cli
