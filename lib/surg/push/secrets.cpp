#include "surg/push/secrets.hpp"

#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "surg/core/error.hpp"

namespace surg::push {

void check_secret_mode(const std::string& path, mode_t mode) {
  const mode_t perms = mode & 07777;
  if (perms == 0600 || perms == 0400) return;
  char octal[8];
  std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(perms));
  throw UsageError("secret file " + path + " has mode " + octal +
                   "; it must be 0600 or 0400 (chmod 600 " + path + ")");
}

std::string read_secret_file(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0)
    throw UsageError("secret file " + path + ": " + std::strerror(errno));
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
  return secret;
}

std::optional<std::string> load_secret(const std::string& file, const char* env_name) {
  if (!file.empty()) return read_secret_file(file);
  if (const char* env = std::getenv(env_name); env && *env) return std::string(env);
  return std::nullopt;
}

}  // namespace surg::push
