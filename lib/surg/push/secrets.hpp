#pragma once
// Stream keys and SRT passphrases: from a file only its owner can read (mode 0600/0400)
// or an environment variable, never argv. The value never reaches a log, error or stats.
#include <optional>
#include <string>
#include <sys/types.h>

namespace surg::push {

// Throws UsageError naming the file and its mode unless `mode` (st_mode) is 0600 or 0400.
void check_secret_mode(const std::string& path, mode_t mode);
// Reads a secret file (mode checked; trailing whitespace and newlines dropped). Throws
// UsageError if missing, empty, or readable by others.
std::string read_secret_file(const std::string& path);
// The file if given, else the environment variable, else nothing.
std::optional<std::string> load_secret(const std::string& file, const char* env_name);

}  // namespace surg::push
