#pragma once
// surg-console options as typed (Options), checked once into Settings before any media is read:
// a bad address, an unsafe token file or a missing FIFO fails early (exit 2).
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "surg/console/access.hpp"

namespace surg::console {

inline constexpr const char* kDefaultListen = "127.0.0.1:8480";

struct Options {
  std::string listen = kDefaultListen;  // --listen ADDRESS:PORT
  std::string token_file;               // --token-file FILE (0600, ours)
  std::string anonymize_control;        // --anonymize-control FIFO (privacy)
  std::string annotate_control;         // --annotate-control FIFO (mark, caption)
  std::vector<std::string> watch;       // --watch FILE: another stage's --events log
  std::string run_dir;                  // --run-dir DIR: every *.jsonl in it is watched
  bool start_muted = false;             // --start-muted
  double preview_fps = 5;               // --preview-fps
  int preview_width = 640;              // --preview-width
};

void add_options(CLI::App& app, Options& options);

struct Settings {
  Policy policy;  // listen address and token
  std::string anonymize_control, annotate_control;
  std::vector<std::string> watch;
  std::string run_dir;
  bool start_muted = false;
  double preview_fps = 5;
  int preview_width = 640;
};

// Reads the token: the file must be a regular file of this user, not readable or writable by
// group or others (0600 or stricter), not a symbolic link, and hold at least 16 characters
// (surrounding whitespace ignored). Throws UsageError naming the file otherwise.
std::string read_token_file(const std::string& path);

// Throws UsageError: a non-loopback --listen without --token-file, an unsafe token file, a
// control path that is not a FIFO of ours.
Settings resolve(const Options& options);

}  // namespace surg::console
