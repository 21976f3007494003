#include "surg/ledger/store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include <spdlog/spdlog.h>

#include "surg/ledger/timestamp.hpp"
#include "surg/core/error.hpp"

namespace surg::consent {
namespace {

constexpr mode_t kDirMode = 0700;
constexpr mode_t kFileMode = 0600;

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

void make_dirs(const std::string& path) {
  for (std::size_t pos = 0; pos != std::string::npos;) {
    pos = path.find('/', pos + 1);
    const std::string part = path.substr(0, pos);
    if (::mkdir(part.c_str(), kDirMode) != 0 && errno != EEXIST)
      throw RuntimeError("cannot create store directory " + part + ": " + errno_text());
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw RuntimeError("store " + path + " is not a directory");
  if ((st.st_mode & 077) != 0)
    spdlog::warn("store {} is accessible by group or others (mode {:o}); chmod 700 it", path,
                 st.st_mode & 0777);
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

// Opens and locks the ledger; for reading, a missing ledger gives an invalid Fd.
Fd lock_ledger(const std::string& path, bool exclusive) {
  int flags = exclusive ? O_RDWR | O_CREAT | O_APPEND : O_RDONLY;
  Fd fd(::open(path.c_str(), flags | O_CLOEXEC | O_NOFOLLOW, kFileMode));
  if (fd.get() < 0) {
    if (!exclusive && errno == ENOENT) return Fd();
    throw RuntimeError("cannot open ledger " + path + ": " + errno_text());
  }
  while (::flock(fd.get(), exclusive ? LOCK_EX : LOCK_SH) != 0) {
    if (errno != EINTR) throw RuntimeError("cannot lock ledger " + path + ": " + errno_text());
  }
  return fd;
}

// One whole line in one write(); on failure the partial line is cut off again (under the
// lock, so no other entry can follow it) and the ledger is left as it was.
void append_line(int fd, const std::string& line, const std::string& dir) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw RuntimeError("cannot stat ledger: " + errno_text());
  if ((st.st_mode & 077) != 0) spdlog::warn("ledger is readable by group or others; chmod 600 it");
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
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, kFileMode));
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
    if (errno == ENOENT) throw UsageError("no signing key in the store; run 'surg-consent keygen'");
    throw RuntimeError("cannot open signing key " + path + ": " + errno_text());
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw RuntimeError("cannot stat signing key: " + errno_text());
  if ((st.st_mode & 077) != 0)
    throw UsageError("signing key " + path + " is accessible by group or others; chmod 600 it");
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

Ledger locked_ledger(const Fd& fd) {
  Ledger ledger = check_ledger(read_all(fd.get()));
  if (!ledger.audit.ok())
    throw InputError("ledger fails audit at " + ledger.audit.describe() + "; not appending");
  return ledger;
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

Store Store::open(const std::string& path) {
  std::string resolved = path.empty() ? default_store_path() : path;
  while (resolved.size() > 1 && resolved.back() == '/') resolved.pop_back();
  return Store(resolved);
}

Store Store::create(const std::string& path) {
  Store store = open(path);
  make_dirs(store.path_);
  return store;
}

Ledger Store::read() const {
  std::string content;
  {
    Fd fd = lock_ledger(ledger_path(), false);
    if (fd.get() < 0) return Ledger{};
    content = read_all(fd.get());
  }
  return check_cached(std::move(content));
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
  const SecretKey key = load_key(key_path());
  Fd fd = lock_ledger(ledger_path(), true);
  const Ledger ledger = locked_ledger(fd);
  if (ledger.entries.empty()) throw UsageError("the ledger has no key entry; run 'surg-consent keygen'");
  if (key.public_hex() != ledger.audit.current_key)
    throw UsageError("signing.key is not the key in force in the ledger (fingerprint " +
                     key_fingerprint(ledger.audit.current_key) + ")");
  Entry entry = seal_entry(build(ledger), ledger, key);
  append_line(fd.get(), entry.line, path_);
  return entry;
}

std::string Store::keygen(bool rotate, const Clock& clock) const {
  Fd fd = lock_ledger(ledger_path(), true);
  const Ledger ledger = locked_ledger(fd);
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
    if (::rename(staged.c_str(), key_path().c_str()) != 0)
      throw RuntimeError("key entry written but cannot install " + staged + ": " + errno_text());
    fsync_dir(path_);
    return new_key.public_hex();
  }
  if (!ledger.entries.empty())
    throw UsageError("the store already has a signing key (fingerprint " +
                     key_fingerprint(ledger.audit.current_key) + "); use 'keygen --rotate'");
  // A key file without a ledger is what an interrupted keygen leaves: finish its work.
  SecretKey key = have_key ? load_key(key_path()) : SecretKey::generate();
  if (!have_key) write_key_file(key_path(), key);
  Entry entry = seal_entry(key_entry(key.public_hex(), clock), ledger, key);
  append_line(fd.get(), entry.line, path_);
  return key.public_hex();
}

}  // namespace surg::consent
