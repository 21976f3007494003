#include "surg/push/secrets.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "surg/core/error.hpp"
#include "surg/core/redact.hpp"

namespace surg::push {
namespace {

// One kind of secret: which option gives it, which destinations take it, where it goes.
struct SecretKind {
  const char* option;  // "--key-file"
  const char* env;     // "SURG_STREAM_KEY"
  DestKind takes;      // rtmp or srt
  std::string DestSecrets::*field;
};

const SecretKind kKinds[] = {
    {"--key-file", "SURG_STREAM_KEY", DestKind::rtmp, &DestSecrets::stream_key},
    {"--srt-passphrase-file", "SURG_SRT_PASSPHRASE", DestKind::srt, &DestSecrets::srt_passphrase},
    {"--srt-streamid-file", "SURG_SRT_STREAMID", DestKind::srt, &DestSecrets::srt_streamid},
};

Destination* named(std::vector<Destination>& ds, const std::string& name) {
  for (auto& d : ds)
    if (!name.empty() && secret_name(d) == name) return &d;
  return nullptr;
}

void give(Destination& d, const SecretKind& kind, const std::string& name, std::string secret) {
  if (d.kind != kind.takes)
    throw UsageError(std::string(kind.option) + " " + name + "=...: " + name + " is not an " +
                     (kind.takes == DestKind::rtmp ? "rtmp(s)" : "srt") + " destination");
  std::string& slot = d.secrets.*kind.field;
  if (!slot.empty()) throw UsageError(std::string(kind.option) + " " + name + "=... given twice");
  register_secret(secret);
  slot = std::move(secret);
}

// "LABEL=FILE" when LABEL names a destination (or looks like a label and FILE exists);
// else a plain FILE.
std::pair<std::string, std::string> split_arg(const std::string& arg, std::vector<Destination>& ds) {
  const auto eq = arg.find('=');
  if (eq == std::string::npos) return {"", arg};
  const std::string name = arg.substr(0, eq);
  if (named(ds, name)) return {name, arg.substr(eq + 1)};
  std::string base = name;
  if (base.ends_with(".backup")) base.resize(base.size() - 7);
  struct stat st {};
  if (is_label(base) && stat(arg.c_str(), &st) != 0)
    throw UsageError("no destination is labelled " + name +
                     " (label one LABEL=URL, or use the platform's name)");
  return {"", arg};
}

std::vector<Destination*> takers(std::vector<Destination>& ds, DestKind kind) {
  std::vector<Destination*> out;
  for (auto& d : ds)
    if (d.kind == kind) out.push_back(&d);
  return out;
}

// A plain FILE or the environment variable: one destination only may take it.
void give_unnamed(std::vector<Destination>& ds, const SecretKind& kind, std::string secret,
                  const std::string& from) {
  const auto can = takers(ds, kind.takes);
  if (can.empty()) {
    spdlog::warn("{}: no {} destination takes it; not used", from,
                 kind.takes == DestKind::rtmp ? "rtmp(s)" : "srt");
    register_secret(secret);
    return;
  }
  if (can.size() > 1)
    throw UsageError(from + " is ambiguous with " + std::to_string(can.size()) +
                     " destinations that could take it: give each its own, " + kind.option +
                     " LABEL=FILE, LABEL naming a destination written LABEL=URL (or its platform)");
  give(*can.front(), kind, secret_name(*can.front()), std::move(secret));
}

void assign_kind(std::vector<Destination>& ds, const SecretKind& kind, const std::vector<std::string>& args) {
  bool plain_given = false;
  for (const auto& arg : args) {
    auto [name, path] = split_arg(arg, ds);
    std::string secret = read_secret_file(path);
    if (!name.empty()) {
      give(*named(ds, name), kind, name, std::move(secret));
      continue;
    }
    if (plain_given)
      throw UsageError(std::string(kind.option) + " FILE given twice: name each destination's, LABEL=FILE");
    plain_given = true;
    give_unnamed(ds, kind, std::move(secret), std::string(kind.option) + " " + path);
  }
  if (!args.empty()) return;
  if (const char* env = std::getenv(kind.env); env && *env) {
    if (std::strlen(env) < kMinSecret)
      throw UsageError(std::string("$") + kind.env + " is shorter than 4 characters");
    give_unnamed(ds, kind, env, std::string("$") + kind.env);
  }
}

}  // namespace

void check_secret_mode(const std::string& path, mode_t mode) {
  const mode_t perms = mode & 07777;
  if (perms == 0600 || perms == 0400) return;
  char octal[8];
  std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(perms));
  throw UsageError("secret file " + path + " has mode " + octal + "; it must be 0600 or 0400 (chmod 600 " +
                   path + ")");
}

std::string read_secret_file(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) throw UsageError("secret file " + path + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw UsageError("secret file " + path + ": not a regular file");
  check_secret_mode(path, st.st_mode);
  std::ifstream in(path);
  if (!in) throw UsageError("secret file " + path + ": cannot read it");
  std::stringstream text;
  text << in.rdbuf();
  std::string secret = text.str();
  while (!secret.empty() && std::isspace(static_cast<unsigned char>(secret.back()))) secret.pop_back();
  if (secret.empty()) throw UsageError("secret file " + path + " is empty");
  if (secret.find_first_of("\r\n") != std::string::npos)
    throw UsageError("secret file " + path + ": the secret must be one line");
  if (secret.size() < kMinSecret) throw UsageError("secret file " + path + ": shorter than 4 characters");
  return secret;
}

std::optional<std::string> load_secret(const std::string& file, const char* env_name) {
  if (!file.empty()) return read_secret_file(file);
  if (const char* env = std::getenv(env_name); env && *env) return std::string(env);
  return std::nullopt;
}

std::string secret_name(const Destination& d) {
  if (d.label.empty()) return {};
  return d.backup ? d.label + ".backup" : d.label;
}

void assign_secrets(std::vector<Destination>& ds, const SecretFiles& files) {
  assign_kind(ds, kKinds[0], files.key_files);
  assign_kind(ds, kKinds[1], files.passphrase_files);
  assign_kind(ds, kKinds[2], files.streamid_files);
  for (const auto& d : ds) {
    const auto n = d.secrets.srt_passphrase.size();
    if (n && (n < 10 || n > 79)) throw UsageError("SRT passphrase must be 10 to 79 characters");
    if (d.secrets.srt_streamid.size() > 512) throw UsageError("SRT streamid must be at most 512 characters");
  }
}

}  // namespace surg::push
