#pragma once
// The consent store: a directory (mode 0750) holding ledger.jsonl, the append-only ledger
// (0640), see surg-consent(5). What it is trusted with lives elsewhere, named by the system
// config (trust.hpp, doc/consent.md): the pinned genesis key, the witness, the signing key
// (readable by the consent officers only) and the account that owns store and witness.
// Readers take a shared flock on the ledger, writers an exclusive one, neither waiting more
// than kLockTimeout; a writer re-reads and re-checks the ledger under its lock, appends one
// line with one write(), fsyncs the file and the directory, then advances the witness.
// Nothing is ever rewritten.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "surg/core/clock.hpp"
#include "surg/ledger/ledger.hpp"
#include "surg/ledger/trust.hpp"

namespace surg::consent {

// --store default: $SURG_CONSENT_STORE, else /var/lib/surg/consent for root, else
// $XDG_DATA_HOME/surg/consent (~/.local/share/surg/consent).
std::string default_store_path();

// How long a reader or writer waits for the ledger's lock before giving up (a surg-consent
// stopped with Ctrl-Z while it holds the lock must not stall its readers for ever).
inline constexpr std::chrono::seconds kLockTimeout{10};

class Store {
 public:
  // A handle on `path` (default_store_path() when empty), trusted as the system config says
  // (load_trust()), or as `trust` says (tests). Creates nothing: a missing store reads as an
  // empty ledger, so verify says "missing" rather than failing.
  static Store open(const std::string& path = "");
  static Store open(const std::string& path, Trust trust);
  // As open(), creating the directory (and missing parents) with mode 0750.
  static Store create(const std::string& path = "");
  static Store create(const std::string& path, Trust trust);

  const std::string& path() const { return path_; }
  std::string ledger_path() const { return path_ + "/ledger.jsonl"; }
  const std::string& key_path() const { return trust_.signing_key; }
  const std::string& witness_path() const { return trust_.witness; }
  const Trust& trust() const { return trust_; }

  // The whole ledger, checked, read under a shared lock: its lines (ledger.hpp), then its
  // trust: genesis key = the pinned key, witness matching, store, ledger and witness owned
  // by the configured owner and writable by nobody else. A failure of trust is the audit
  // fault Fault::untrusted. The file is read in full every time; lines already checked by an
  // earlier read() of this Store (same bytes, compared) are not checked again, so a gate
  // polling every 2 s pays for signatures only once. Throws RuntimeError when the ledger
  // cannot be read or stays locked for `lock_timeout`.
  Ledger read(std::chrono::milliseconds lock_timeout = kLockTimeout) const;

  // Appends the entry `build` makes from the current ledger (read under the exclusive lock,
  // so its checks see every earlier write). Signs with signing.key. Returns the sealed entry.
  // Throws InputError when the ledger fails audit or trust, UsageError without a key or with
  // a key that is not the one in force. Advances the witness.
  Entry append(const std::function<Entry(const Ledger&)>& build) const;

  // Creates the signing key and the ledger's first (key) entry; with `rotate`, replaces an
  // existing key by a new one, announced in a key entry signed by the old key.
  // Returns the new public key (hex).
  std::string keygen(bool rotate, const Clock& clock) const;

 private:
  struct Cache {
    std::mutex mutex;
    std::string content;  // bytes the ledger below was checked from
    Ledger ledger;
  };
  Store(std::string path, Trust trust)
      : path_(std::move(path)), trust_(std::move(trust)), cache_(std::make_shared<Cache>()) {}
  Ledger check_cached(std::string content) const;
  void check_trust(Ledger& ledger) const;
  Ledger locked_ledger(int fd) const;
  std::string path_;
  Trust trust_;
  std::shared_ptr<Cache> cache_;
};

}  // namespace surg::consent
