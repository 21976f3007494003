#pragma once
// tool_main(): the one place every tool parses its common flags, loads its config,
// sets up logging and side channels, runs, writes stats, and maps errors to exit statuses.
//
//   int main(int argc, char** argv) {
//     surg::annotate::Options options;
//     return surg::cli::tool_main(argc, argv, {"surg-annotate", "annotate", "titles, captions, ..."},
//         [&](CLI::App& app) { surg::annotate::add_options(app, options); },
//         [&](surg::cli::Context& ctx) { return surg::annotate::run(options, ctx); });
//   }
//
// The shape of every tool (doc/architecture.md): parse -> plan -> build -> loop -> finish.
#include <functional>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "surg/control/control.hpp"
#include "surg/core/error.hpp"
#include "surg/events/events.hpp"

namespace surg::cli {

struct ToolInfo {
  std::string name;         // "surg-push": log prefix, events "tool"
  std::string table;        // "push": the tool's TOML table
  std::string description;  // one line for --help
};

// Flags every tool has (doc/stream.md "Side channels").
struct CommonOptions {
  std::string input = "-";          // -i FILE, "-" = stdin
  std::string output = "-";         // -o FILE, "-" = stdout
  std::string config;               // --config FILE
  std::string events;               // --events PATH|fd:N
  std::string control;              // --control FIFO
  std::string stats;                // --stats FILE
  std::string log_format = "text";  // --log-format text|json
  int verbose = 0;                  // -v (repeatable)
  int quiet = 0;                    // -q (repeatable)
};

// Takes a tool's summary for --stats when it goes out of scope, however run() ends (its
// return, downstream closing the pipe, any error): made right after the objects it reads,
// it is destroyed before them, so the summary is always taken while they still live.
class StatsGuard {
 public:
  StatsGuard(nlohmann::json& target, std::function<nlohmann::json()> take)
      : target_(target), take_(std::move(take)) {}
  ~StatsGuard();
  StatsGuard(const StatsGuard&) = delete;
  StatsGuard& operator=(const StatsGuard&) = delete;

 private:
  nlohmann::json& target_;
  std::function<nlohmann::json()> take_;
};

// What a running tool gets from tool_main.
struct Context {
  ToolInfo info;
  CommonOptions common;
  events::Emitter events;                           // no-op unless --events was given
  std::unique_ptr<control::Reader> control;         // null unless --control was given
  nlohmann::json stats = nlohmann::json::object();  // written at exit (--stats or stderr)

  // The one way a tool reports its summary: `const auto stats = ctx.stats_from([&] { ... });`
  [[nodiscard]] StatsGuard stats_from(std::function<nlohmann::json()> take) {
    return StatsGuard(stats, std::move(take));
  }
};

using AddOptions = std::function<void(CLI::App&)>;
using Run = std::function<int(Context&)>;

// Parses argv (config files first, flags override), runs, writes --stats (or logs the
// summary on stderr), and returns the exit status. Catches surg::Error and CLI11 errors once.
int tool_main(int argc, char** argv, const ToolInfo& info, const AddOptions& add_options, const Run& run);

// Validator for options taking a duration ("90", "1m30s", "1:30", "500ms").
const CLI::Validator& duration_validator();
// Validator for text that is drawn on frames (--title, --slate-text, ...): it must be valid
// UTF-8, refused at start rather than mid-stream.
const CLI::Validator& utf8_validator();

}  // namespace surg::cli
