#include "surg/ledger/store.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <utility>

#include <spdlog/spdlog.h>

#include "surg/core/error.hpp"
#include "surg/ledger/timestamp.hpp"
#include "surg/ledger/witness.hpp"

namespace surg::consent {
namespace {

// Verifiers read through the group (doc/consent.md); only the owner writes.
constexpr mode_t kDirMode = 0750;
constexpr mode_t kFileMode = 0640;
constexpr mode_t kKeyDirMode = 0700;
constexpr mode_t kKeyMode = 0600;

std::string errno_text() { return std::strerror(errno); }

// A file descriptor closed on scope exit (which also drops its flock).
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

void make_dirs(const std::string& path, mode_t mode) {
  for (std::size_t pos = 0; pos != std::string::npos;) {
    pos = path.find('/', pos + 1);
    const std::string part = path.substr(0, pos);
    if (::mkdir(part.c_str(), mode) != 0 && errno != EEXIST)
      throw RuntimeError("cannot create directory " + part + ": " + errno_text());
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw RuntimeError(path + " is not a directory");
}

std::string parent_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

// "" when `path` is missing or owned by `owner` and writable by nobody else; else why not.
// Refused, never warned about: a ledger others can write is not a record (doc/consent.md).
std::string ownership_problem(const std::string& path, const char* what, uid_t owner, bool check_owner) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return {};
  if (S_ISLNK(st.st_mode)) return std::string(what) + " " + path + " is a symbolic link";
  if ((st.st_mode & 022) != 0)
    return std::string(what) + " " + path + " is writable by group or others (mode " +
           fmt::format("{:o}", st.st_mode & 0777) + ")";
  if (check_owner && st.st_uid != owner)
    return std::string(what) + " " + path + " is owned by uid " + std::to_string(st.st_uid) +
           ", not by its configured owner (uid " + std::to_string(owner) + ")";
  return {};
}

void fsync_dir(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0)
    throw RuntimeError("cannot fsync store directory " + dir + ": " + errno_text());
}

std::string read_all(int fd) {
  std::string content;
  char buffer[1 << 16];
  for (off_t offset = 0;;) {
    ssize_t n = ::pread(fd, buffer, sizeof buffer, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw RuntimeError("cannot read ledger: " + errno_text());
    if (n == 0) return content;
    content.append(buffer, static_cast<std::size_t>(n));
    offset += n;
  }
}

void write_all(int fd, std::string_view data, const std::string& what) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw RuntimeError("cannot write " + what + ": " + errno_text());
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Opens and locks the ledger, waiting at most `timeout` for the lock; for reading, a missing
// ledger gives an invalid Fd.
Fd lock_ledger(const std::string& path, bool exclusive, std::chrono::milliseconds timeout) {
  int flags = exclusive ? O_RDWR | O_CREAT | O_APPEND : O_RDONLY;
  Fd fd(::open(path.c_str(), flags | O_CLOEXEC | O_NOFOLLOW, kFileMode));
  if (fd.get() < 0) {
    if (!exclusive && errno == ENOENT) return Fd();
    throw RuntimeError("cannot open ledger " + path + ": " + errno_text());
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (::flock(fd.get(), (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
    if (errno != EINTR && errno != EWOULDBLOCK)
      throw RuntimeError("cannot lock ledger " + path + ": " + errno_text());
    if (std::chrono::steady_clock::now() >= deadline)
      throw RuntimeError("ledger " + path + " stayed locked by another process for " +
                         std::to_string(timeout.count() / 1000.0).substr(0, 4) + " s");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return fd;
}

uid_t owner_uid(const std::string& owner) {
  if (const passwd* pw = ::getpwnam(owner.c_str())) return pw->pw_uid;
  throw UsageError("the consent store's configured owner '" + owner + "' is not an account here");
}

// One whole line in one write(); on failure the partial line is cut off again (under the
// lock, so no other entry can follow it) and the ledger is left as it was.
void append_line(int fd, const std::string& line, const std::string& dir) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw RuntimeError("cannot stat ledger: " + errno_text());
  try {
    write_all(fd, line + "\n", "ledger");
    if (::fsync(fd) != 0) throw RuntimeError("cannot fsync ledger: " + errno_text());
  } catch (...) {
    if (::ftruncate(fd, st.st_size) != 0) spdlog::error("cannot remove a partly written ledger line");
    throw;
  }
  fsync_dir(dir);
}

void write_key_file(const std::string& path, const SecretKey& key) {
  make_dirs(parent_of(path), kKeyDirMode);
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, kKeyMode));
  if (fd.get() < 0) throw RuntimeError("cannot create key file " + path + ": " + errno_text());
  write_all(fd.get(), key.to_hex() + "\n", "key file");
  if (::fsync(fd.get()) != 0) throw RuntimeError("cannot fsync key file: " + errno_text());
}

bool file_exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

SecretKey load_key(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) {
    if (errno == ENOENT) throw UsageError("no signing key at " + path + "; run 'surg-consent keygen'");
    if (errno == EACCES)
      throw UsageError("cannot read the signing key " + path +
                       ": only consent officers sign (doc/consent.md)");
    throw RuntimeError("cannot open signing key " + path + ": " + errno_text());
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw RuntimeError("cannot stat signing key: " + errno_text());
  // The consent officers' group may read it (0640); nobody else may touch it.
  if ((st.st_mode & 037) != 0)
    throw UsageError("signing key " + path +
                     " is writable by its group or accessible by others; chmod 600 it");
  std::string text = read_all(fd.get());
  if (!text.empty() && text.back() == '\n') text.pop_back();
  return SecretKey::from_hex(text);
}

Entry key_entry(const std::string& public_hex, const Clock& clock) {
  Entry entry;
  entry.type = EntryType::key;
  entry.key = public_hex;
  entry.time = format_utc(clock.now());
  return entry;
}

void untrust(Ledger& ledger, const std::string& problem) {
  ledger.audit.fault = Fault::untrusted;
  ledger.audit.bad_line = 0;
  ledger.audit.problem = problem;
}

// The key must lie outside the store, or whoever reads the ledger could sign (doc/consent.md).
void require_key_outside(const std::string& key, const std::string& store) {
  if (key.rfind(store + "/", 0) == 0)
    throw UsageError("the signing key " + key +
                     " lies inside the store; [ledger] signing-key must name another place");
}

}  // namespace

std::string default_store_path() {
  if (const char* env = std::getenv("SURG_CONSENT_STORE"); env != nullptr && *env != '\0') return env;
  if (::geteuid() == 0) return "/var/lib/surg/consent";
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && xdg[0] == '/')
    return std::string(xdg) + "/surg/consent";
  const char* home = std::getenv("HOME");
  if (home == nullptr || home[0] != '/')
    throw UsageError("no consent store: set --store, SURG_CONSENT_STORE or HOME");
  return std::string(home) + "/.local/share/surg/consent";
}

Store Store::open(const std::string& path) { return open(path, load_trust()); }

Store Store::open(const std::string& path, Trust trust) {
  std::string resolved = path.empty() ? default_store_path() : path;
  while (resolved.size() > 1 && resolved.back() == '/') resolved.pop_back();
  return Store(resolved, std::move(trust));
}

Store Store::create(const std::string& path) { return create(path, load_trust()); }

Store Store::create(const std::string& path, Trust trust) {
  Store store = open(path, std::move(trust));
  make_dirs(store.path_, kDirMode);
  make_dirs(parent_of(store.witness_path()), kDirMode);
  return store;
}

Ledger Store::read(std::chrono::milliseconds lock_timeout) const {
  std::string content;
  {
    Fd fd = lock_ledger(ledger_path(), false, lock_timeout);
    if (fd.get() >= 0) content = read_all(fd.get());
  }
  Ledger ledger = check_cached(std::move(content));
  check_trust(ledger);
  return ledger;
}

void Store::check_trust(Ledger& ledger) const {
  if (!ledger.audit.ok()) return;
  const uid_t owner = owner_uid(trust_.owner);
  for (const auto& problem :
       {ownership_problem(path_, "store", owner, true),
        ownership_problem(ledger_path(), "ledger", owner, true),
        ownership_problem(witness_path(), "witness", owner, true),
        ownership_problem(parent_of(witness_path()), "witness directory", owner, false)}) {
    if (!problem.empty()) return untrust(ledger, problem);
  }
  if (!ledger.entries.empty()) {
    if (trust_.key.empty())
      return untrust(ledger, "no key is pinned in " + trust_.source +
                                 " ([ledger] key); run 'surg-consent keygen --install' or pin it by hand");
    if (ledger.audit.genesis_key != trust_.key)
      return untrust(ledger, "the ledger starts with key " + key_fingerprint(ledger.audit.genesis_key) +
                                 ", not the key pinned in " + trust_.source + " (" +
                                 key_fingerprint(trust_.key) + ")");
  }
  if (const std::string problem = witness_problem(ledger, read_witness(witness_path())); !problem.empty())
    untrust(ledger, problem);
}

Ledger Store::locked_ledger(int fd) const {
  Ledger ledger = check_ledger(read_all(fd));
  check_trust(ledger);
  if (!ledger.audit.ok())
    throw InputError("ledger fails audit at " + ledger.audit.describe() + "; not appending");
  return ledger;
}

Ledger Store::check_cached(std::string content) const {
  std::lock_guard lock(cache_->mutex);
  const std::string& seen = cache_->content;
  const bool grows = cache_->ledger.audit.ok() && content.size() >= seen.size() &&
                     content.compare(0, seen.size(), seen) == 0;
  if (grows) {
    extend_ledger(cache_->ledger, std::string_view(content).substr(seen.size()));
  } else {
    cache_->ledger = check_ledger(content);
  }
  cache_->content = std::move(content);
  return cache_->ledger;
}

Entry Store::append(const std::function<Entry(const Ledger&)>& build) const {
  require_key_outside(key_path(), path_);
  const SecretKey key = load_key(key_path());
  Fd fd = lock_ledger(ledger_path(), true, kLockTimeout);
  Ledger ledger = locked_ledger(fd.get());
  if (ledger.entries.empty()) throw UsageError("the ledger has no key entry; run 'surg-consent keygen'");
  if (key.public_hex() != ledger.audit.current_key)
    throw UsageError("signing.key is not the key in force in the ledger (fingerprint " +
                     key_fingerprint(ledger.audit.current_key) + ")");
  Entry entry = seal_entry(build(ledger), ledger, key);
  append_line(fd.get(), entry.line, path_);
  extend_ledger(ledger, entry.line + "\n");
  write_witness(witness_path(), ledger, key, entry.time);
  return entry;
}

std::string Store::keygen(bool rotate, const Clock& clock) const {
  require_key_outside(key_path(), path_);
  Fd fd = lock_ledger(ledger_path(), true, kLockTimeout);
  Ledger ledger = rotate ? locked_ledger(fd.get()) : check_ledger(read_all(fd.get()));
  if (!ledger.audit.ok())
    throw InputError("ledger fails audit at " + ledger.audit.describe() + "; not appending");
  const bool have_key = file_exists(key_path());
  if (rotate) {
    if (ledger.entries.empty()) throw UsageError("nothing to rotate: run 'surg-consent keygen' first");
    const SecretKey old_key = load_key(key_path());
    if (old_key.public_hex() != ledger.audit.current_key)
      throw UsageError("signing.key is not the key in force in the ledger; cannot rotate");
    SecretKey new_key = SecretKey::generate();
    const std::string staged = key_path() + ".new";
    ::unlink(staged.c_str());  // a leftover of an interrupted rotation that never reached the ledger
    write_key_file(staged, new_key);
    Entry entry = seal_entry(key_entry(new_key.public_hex(), clock), ledger, old_key);
    append_line(fd.get(), entry.line, path_);
    extend_ledger(ledger, entry.line + "\n");
    write_witness(witness_path(), ledger, new_key, entry.time);
    if (::rename(staged.c_str(), key_path().c_str()) != 0)
      throw RuntimeError("key entry written but cannot install " + staged + ": " + errno_text());
    fsync_dir(parent_of(key_path()));
    return new_key.public_hex();
  }
  if (!ledger.entries.empty())
    throw UsageError("the store already has a signing key (fingerprint " +
                     key_fingerprint(ledger.audit.current_key) + "); use 'keygen --rotate'");
  if (read_witness(witness_path()))
    throw UsageError("a witness exists at " + witness_path() +
                     " but the ledger is gone: a new ledger "
                     "would hide what the old one recorded (see doc/consent.md)");
  // A key file without a ledger is what an interrupted keygen leaves: finish its work.
  SecretKey key = have_key ? load_key(key_path()) : SecretKey::generate();
  if (!have_key) write_key_file(key_path(), key);
  Entry entry = seal_entry(key_entry(key.public_hex(), clock), ledger, key);
  append_line(fd.get(), entry.line, path_);
  extend_ledger(ledger, entry.line + "\n");
  write_witness(witness_path(), ledger, key, entry.time);
  return key.public_hex();
}

}  // namespace surg::consent
