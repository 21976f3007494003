#pragma once
// Stream keys, SRT passphrases and SRT stream ids: from a file only its owner can read (mode
// 0600/0400) or an environment variable, never argv. Each destination gets only its own
// (doc/privacy.md): `--key-file LABEL=FILE` names the destination labelled LABEL (LABEL=URL,
// or the platform of a known host: facebook, youtube, ...), `LABEL.backup=FILE` its --backup.
// A plain `--key-file FILE` (or $SURG_STREAM_KEY) is accepted only when exactly one
// destination can take it. Every secret loaded is registered for scrubbing by value.
#include <sys/types.h>
#include <optional>
#include <string>
#include <vector>

#include "surg/push/destination.hpp"

namespace surg::push {

// Throws UsageError naming the file and its mode unless `mode` (st_mode) is 0600 or 0400.
void check_secret_mode(const std::string& path, mode_t mode);
// Reads a secret file (mode checked; trailing whitespace and newlines dropped). Throws
// UsageError if missing, empty, shorter than 4 characters, or readable by others.
std::string read_secret_file(const std::string& path);
// The file if given, else the environment variable, else nothing.
std::optional<std::string> load_secret(const std::string& file, const char* env_name);

// The name --key-file LABEL=FILE uses for a destination: its label, "LABEL.backup" for a
// backup; "" when it has none.
std::string secret_name(const Destination& dest);

struct SecretFiles {
  std::vector<std::string> key_files;         // --key-file [LABEL=]FILE
  std::vector<std::string> passphrase_files;  // --srt-passphrase-file [LABEL=]FILE
  std::vector<std::string> streamid_files;    // --srt-streamid-file [LABEL=]FILE
};

// Reads every file given and gives each secret to its own destination; registers each for
// scrubbing. Throws UsageError (exit 2) on a bad file, an unknown label, a label given twice,
// or a plain FILE when more than one destination could take it.
void assign_secrets(std::vector<Destination>& destinations, const SecretFiles& files);

}  // namespace surg::push
