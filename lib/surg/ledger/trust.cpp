#include "surg/ledger/trust.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <toml++/toml.h>

#include "surg/config/config.hpp"
#include "surg/core/error.hpp"
#include "surg/ledger/crypto.hpp"

namespace surg::consent {
namespace {

constexpr const char* kTable = "ledger";

// The pin is only as safe as the file that holds it. (Test builds also accept a file of the
// user running them, as their config lives in a temporary directory.)
void require_root_only(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return;
#if SURG_TEST_HOOKS
  const bool owner_ok = st.st_uid == 0 || st.st_uid == ::geteuid();
#else
  const bool owner_ok = st.st_uid == 0;
#endif
  if (!owner_ok || (st.st_mode & 022) != 0)
    throw UsageError(path + ": the system config must be owned by root and writable by root only");
}

toml::table parse(const std::string& path) {
  try {
    return toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw UsageError(path + ":" + std::to_string(e.source().begin.line) + ": " +
                     std::string(e.description()));
  }
}

void read_string(const toml::table& table, const std::string& path, const char* key, std::string& out) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return;
  const auto value = node->value<std::string>();
  if (!node->is_string() || value->empty())
    throw UsageError(path + ":" + std::to_string(node->source().begin.line) + ": [ledger] " + key +
                     " must be a non-empty string");
  out = *value;
}

void check_known_keys(const toml::table& table, const std::string& path) {
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    if (name != "key" && name != "witness" && name != "signing-key" && name != "owner")
      throw UsageError(path + ":" + std::to_string(node.source().begin.line) + ": unknown key '" + name +
                       "' in [ledger]");
  }
}

}  // namespace

Trust load_trust() {
  Trust trust;
  trust.source = config::system_path();
  std::error_code ec;
  if (!std::filesystem::exists(trust.source, ec)) return trust;
  require_root_only(trust.source);
  const toml::table root = parse(trust.source);
  const toml::node* node = root.get(kTable);
  if (node == nullptr) return trust;
  const toml::table* table = node->as_table();
  if (table == nullptr) throw UsageError(trust.source + ": 'ledger' must be a table");
  check_known_keys(*table, trust.source);
  read_string(*table, trust.source, "key", trust.key);
  read_string(*table, trust.source, "witness", trust.witness);
  read_string(*table, trust.source, "signing-key", trust.signing_key);
  read_string(*table, trust.source, "owner", trust.owner);
  unsigned char pk[32];
  if (!trust.key.empty() && !from_hex(trust.key, pk, sizeof pk))
    throw UsageError(trust.source + ": [ledger] key is not a 32-byte public key in lower-case hex");
  return trust;
}

void pin_key(const std::string& public_hex) {
  const Trust trust = load_trust();
  if (trust.key == public_hex) return;
  if (!trust.key.empty())
    throw UsageError(trust.source + " already pins key " + key_fingerprint(trust.key) +
                     "; a new genesis key is pinned by hand, after removing the old one");
  std::error_code ec;
  toml::table root = std::filesystem::exists(trust.source, ec) ? parse(trust.source) : toml::table{};
  if (root.get(kTable) == nullptr) root.insert(kTable, toml::table{});
  root.get(kTable)->as_table()->insert_or_assign("key", public_hex);
  std::filesystem::create_directories(std::filesystem::path(trust.source).parent_path(), ec);
  const std::string staged = trust.source + ".new";
  {
    std::ofstream out(staged, std::ios::trunc);
    out << "# Rewritten by surg-consent keygen --install (comments are not kept).\n" << root << "\n";
    if (!out.flush()) throw RuntimeError("cannot write " + staged);
  }
  ::chmod(staged.c_str(), 0644);
  if (::rename(staged.c_str(), trust.source.c_str()) != 0)
    throw RuntimeError("cannot install " + trust.source + ": " + std::strerror(errno));
}

}  // namespace surg::consent
