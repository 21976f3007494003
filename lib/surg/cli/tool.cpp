#include "surg/cli/tool.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include <spdlog/spdlog.h>

#include "surg/cli/log.hpp"
#include "surg/config/config.hpp"
#include "surg/core/redact.hpp"
#include "surg/core/signals.hpp"
#include "surg/core/units.hpp"

namespace surg::cli {
namespace {

constexpr const char* kFooter =
    "Durations: 90, 90s, 500ms, 1m30s, 1:30, 01:02:03.5. Every option has a key of the same\n"
    "name in the [common] or the tool's table of /etc/surg/surg.toml, $XDG_CONFIG_HOME/surg/surg.toml\n"
    "and --config FILE; flags override files.\n"
    "Exit status: 0 success, 1 runtime failure, 2 usage or configuration error, 3 consent\n"
    "missing or not covering the use, 4 invalid input, 130 interrupted.";

void add_common_options(CLI::App& app, CommonOptions& o) {
  app.add_option("-i,--input", o.input, "read the surg stream from FILE (- = stdin)");
  app.add_option("-o,--output", o.output, "write the surg stream to FILE (- = stdout)");
  app.add_option("--config", o.config, "read options from this TOML file too");
  app.add_option("--events", o.events, "write JSON Lines events to PATH or fd:N");
  app.add_option("--control", o.control, "read JSON Lines commands from this FIFO");
  app.add_option("--stats", o.stats, "write a JSON summary to FILE at exit");
  app.add_option("--log-format", o.log_format, "log lines as text or json")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_flag("-v,--verbose", o.verbose, "more log output (repeatable)");
  app.add_flag("-q,--quiet", o.quiet, "less log output (repeatable)");
}

// The value of --config in argv, needed before parsing so its settings can go first.
std::string find_config_arg(int argc, char** argv) {
  std::string path;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--config" && i + 1 < argc)
      path = argv[++i];
    else if (a.rfind("--config=", 0) == 0)
      path = a.substr(9);
    else if (a == "--")
      break;
  }
  return path;
}

// Config settings as tokens placed before argv, so that flags given later win.
std::vector<std::string> config_tokens(const CLI::App& app, const ToolInfo& info,
                                       const std::string& config_path) {
  std::vector<std::string> tokens;
  for (const auto& s : config::load(info.table, config_path)) {
    const CLI::Option* opt = app.get_option_no_throw("--" + s.key);
    if (!opt || s.key == "config")
      throw UsageError(s.origin + ": unknown key '" + s.key + "' (not an option of " + info.name + ")");
    const bool is_flag = opt->get_expected_max() == 0;
    for (const auto& value : s.values) {
      if (is_flag) {
        tokens.push_back("--" + s.key + "=" + value);
      } else {
        tokens.push_back("--" + s.key);
        tokens.push_back(value);
      }
    }
  }
  return tokens;
}

// Every tool may hold secrets (stream keys) or frames not yet anonymised: no core dump may
// carry them to disk, no other process of the user may read its memory (ptrace, /proc/PID/mem
// need the process dumpable), and what it creates is never world-readable (doc/privacy.md).
void harden_process() {
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  const rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  // FFmpeg creates recordings and HLS segments itself (avio_open: 0666 & ~umask).
  const mode_t old = umask(027);
  umask(old | 027);
}

void write_stats(const Context& ctx) {
  if (ctx.stats.empty()) return;
  const std::string text = scrub_secrets(ctx.stats.dump()) + "\n";
  if (ctx.common.stats.empty()) {
    spdlog::info("stats {}", ctx.stats.dump());  // the log sink scrubs it
    return;
  }
  std::ofstream out(ctx.common.stats, std::ios::trunc);
  out << text;
  if (!out) spdlog::error("--stats {}: cannot write", ctx.common.stats);
}

int parse(CLI::App& app, const ToolInfo& info, int argc, char** argv) {
  try {
    std::vector<std::string> args = config_tokens(app, info, find_config_arg(argc, argv));
    for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
    std::reverse(args.begin(), args.end());  // CLI11 takes its vector in reverse order
    app.parse(args);
    return -1;
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    spdlog::error("{}", e.what());
    spdlog::error("Run with --help for more information.");
    return static_cast<int>(ExitStatus::usage);
  }
}

}  // namespace

StatsGuard::~StatsGuard() {
  try {
    target_ = take_();
  } catch (const std::exception& e) {  // a destructor must not throw; the run's own error wins
    spdlog::warn("stats: {}", e.what());
  }
}

const CLI::Validator& duration_validator() {
  static const CLI::Validator v(
      [](std::string& text) -> std::string {
        try {
          parse_duration(text);
          return {};
        } catch (const Error& e) {
          return e.what();
        }
      },
      "DURATION");
  return v;
}

const CLI::Validator& utf8_validator() {
  static const CLI::Validator v(
      [](std::string& text) -> std::string {
        try {
          // nlohmann's serialiser checks UTF-8 strictly (overlong forms, surrogates, truncation).
          (void)nlohmann::json(text).dump();
          return {};
        } catch (const nlohmann::json::type_error&) {
          return "text is not valid UTF-8";
        }
      },
      "TEXT");
  return v;
}

int tool_main(int argc, char** argv, const ToolInfo& info, const AddOptions& add_options, const Run& run) {
  harden_process();
  install_signal_handlers();
  setup_logging(info.name, "text", 0, 0);
  Context ctx{info, {}, {}, nullptr, nlohmann::json::object()};
  try {
    CLI::App app(info.description, info.name);
    app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    app.set_version_flag("--version", std::string(info.name) + " " + SURG_VERSION);
    app.footer(kFooter);
    add_common_options(app, ctx.common);
    add_options(app);
    if (const int status = parse(app, info, argc, argv); status >= 0) return status;
    setup_logging(info.name, ctx.common.log_format, ctx.common.verbose, ctx.common.quiet);
    if (!ctx.common.events.empty()) ctx.events = events::Emitter(info.name, ctx.common.events);
    if (!ctx.common.control.empty()) ctx.control = std::make_unique<control::Reader>(ctx.common.control);
    const int status = run(ctx);
    write_stats(ctx);
    return status;
  } catch (const DownstreamClosed&) {
    spdlog::debug("downstream closed the pipe");
    write_stats(ctx);
    return 0;
  } catch (const Error& e) {
    spdlog::error("{}", e.what());
    write_stats(ctx);
    return static_cast<int>(e.status());
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    write_stats(ctx);
    return static_cast<int>(ExitStatus::runtime);
  }
}

}  // namespace surg::cli
