#pragma once
// Config files (toml++): /etc/surg/surg.toml, then $XDG_CONFIG_HOME/surg/surg.toml (or
// ~/.config), then --config. Each has a [common] table and one table a tool; keys are the
// long flag names. Values become command-line tokens placed before the real arguments,
// so flags override files and later files override earlier ones.
#include <string>
#include <vector>

namespace surg::config {

struct Setting {
  std::string key;                  // long flag name without "--"
  std::vector<std::string> values;  // one, or several for arrays
  std::string origin;               // "file:line" for error messages
};

// Reads the tables `common` and `tool_table` of one file. A missing file yields nothing
// when `required` is false. Throws UsageError (file:line) on a syntax error or a value
// of unsupported type.
std::vector<Setting> load_file(const std::string& path, const std::string& tool_table, bool required);

// The standard search path followed by `explicit_path` (if not empty).
std::vector<Setting> load(const std::string& tool_table, const std::string& explicit_path);

// The system config, /etc/surg/surg.toml: the only file trusted for what only root may set
// (the consent ledger's pinned key, see doc/consent.md). In builds with SURG_TEST_HOOKS, and
// only there, $SURG_TEST_SYSCONFIG replaces it so tests never touch the real /etc.
std::string system_path();

// Default file locations, in the order they are read.
std::vector<std::string> default_paths();

}  // namespace surg::config
