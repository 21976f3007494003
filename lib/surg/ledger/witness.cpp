#include "surg/ledger/witness.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "surg/core/error.hpp"
#include "surg/ledger/canonical.hpp"

namespace surg::consent {
namespace {

nlohmann::json unsigned_json(const Witness& w) {
  return {{"v", 1}, {"seq", w.seq}, {"head", w.head}, {"time", w.time}};
}

Witness witness_from_line(const std::string& line) {
  auto value = parse_canonical(line);
  if (!value || !value->is_object() || value->size() != 5 || value->value("v", 0) != 1)
    throw InputError("witness is not a line of canonical JSON with v, seq, head, time and sig");
  try {
    Witness w;
    w.seq = value->at("seq").get<std::int64_t>();
    w.head = value->at("head").get<std::string>();
    w.time = value->at("time").get<std::string>();
    w.sig = value->at("sig").get<std::string>();
    return w;
  } catch (const nlohmann::json::exception&) {
    throw InputError("witness has a field of the wrong type");
  }
}

// The key in force just after entry `seq`: the one that must have signed its witness.
std::string key_at(const Ledger& ledger, std::int64_t seq) {
  std::string key;
  for (const Entry& e : ledger.entries) {
    if (e.seq > seq) break;
    if (e.type == EntryType::key) key = e.key;
  }
  return key;
}

void tell_syslog(const std::string& path, const Witness& w) {
  ::openlog("surg-consent", LOG_PID, LOG_AUTHPRIV);
  ::syslog(LOG_NOTICE, "consent ledger witness %s: seq %lld head %s", path.c_str(),
           static_cast<long long>(w.seq), w.head.c_str());
  ::closelog();
}

void write_file(int fd, const std::string& text) {
  std::string_view rest = text;
  while (!rest.empty()) {
    const ssize_t n = ::write(fd, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw RuntimeError(std::string("cannot write witness: ") + std::strerror(errno));
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::string dir_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

std::optional<Witness> read_witness(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw RuntimeError("cannot open witness " + path + ": " + std::strerror(errno));
  }
  char buffer[1024];
  const ssize_t n = ::read(fd, buffer, sizeof buffer);
  ::close(fd);
  if (n < 0) throw RuntimeError("cannot read witness " + path + ": " + std::strerror(errno));
  std::string text(buffer, static_cast<std::size_t>(n));
  if (text.empty() || text.back() != '\n') throw InputError("witness " + path + " is not one whole line");
  text.pop_back();
  return witness_from_line(text);
}

void write_witness(const std::string& path, const Ledger& ledger, const SecretKey& key,
                   const std::string& time) {
  Witness w;
  w.seq = static_cast<std::int64_t>(ledger.entries.size()) - 1;
  w.head = ledger.audit.head_hash;
  w.time = time;
  nlohmann::json value = unsigned_json(w);
  value["sig"] = key.sign_hex(canonical(unsigned_json(w)));
  struct stat old {};
  const bool had = ::stat(path.c_str(), &old) == 0;
  const std::string staged = path + ".new";
  ::unlink(staged.c_str());  // left by an interrupted write; the witness itself is intact
  const int fd = ::open(staged.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0640);
  if (fd < 0) throw RuntimeError("cannot create " + staged + ": " + std::strerror(errno));
  try {
    // Readers (the verifying group) keep their access across the rename.
    if (had &&
        (::fchmod(fd, old.st_mode & 0640) != 0 || ::fchown(fd, static_cast<uid_t>(-1), old.st_gid) != 0))
      throw RuntimeError("cannot keep the witness's mode and group: " + std::string(std::strerror(errno)));
    write_file(fd, canonical(value) + "\n");
    if (::fsync(fd) != 0) throw RuntimeError(std::string("cannot fsync witness: ") + std::strerror(errno));
  } catch (...) {
    ::close(fd);
    ::unlink(staged.c_str());
    throw;
  }
  ::close(fd);
  if (::rename(staged.c_str(), path.c_str()) != 0)
    throw RuntimeError("cannot install witness " + path + ": " + std::strerror(errno));
  const int dir = ::open(dir_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  tell_syslog(path, w);
}

std::string witness_problem(const Ledger& ledger, const std::optional<Witness>& witness) {
  const auto last = static_cast<std::int64_t>(ledger.entries.size()) - 1;
  if (!witness) {
    if (ledger.entries.empty()) return {};
    return "the ledger has no witness (it is kept outside the store; see surg-consent(5))";
  }
  const Witness& w = *witness;
  if (w.seq < 0) return "the witness has a negative sequence number";
  if (w.seq > last)
    return "the ledger is behind its witness: it ends at seq " + std::to_string(last) +
           ", the witness vouches for seq " + std::to_string(w.seq) + " (entries were removed)";
  const Entry& entry = ledger.entries[static_cast<std::size_t>(w.seq)];
  if (entry.hash != w.head)
    return "the ledger is beside its witness: entry seq " + std::to_string(w.seq) +
           " is not the one witnessed";
  Witness unsigned_copy = w;
  if (!verify_signature(canonical(unsigned_json(unsigned_copy)), w.sig, key_at(ledger, w.seq)))
    return "the witness's signature does not verify with the key in force at seq " + std::to_string(w.seq);
  return {};
}

}  // namespace surg::consent
