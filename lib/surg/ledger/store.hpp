#pragma once
// The consent store: a directory (mode 0700) holding
//   ledger.jsonl  the append-only ledger (0600), see surg-consent(5)
//   signing.key   the Ed25519 secret key in hex (0600; refused when group/other can read it)
// Readers take a shared flock on the ledger, writers an exclusive one; a writer re-reads and
// re-audits the ledger under its lock, appends one line with one write(), then fsyncs the file
// and the directory. Nothing is ever rewritten.
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "surg/ledger/ledger.hpp"
#include "surg/core/clock.hpp"

namespace surg::consent {

// --store default: $SURG_CONSENT_STORE, else /var/lib/surg/consent for root, else
// $XDG_DATA_HOME/surg/consent (~/.local/share/surg/consent).
std::string default_store_path();

class Store {
 public:
  // A handle on `path` (default_store_path() when empty). Creates nothing: a missing store
  // reads as an empty ledger, so verify says "missing" rather than failing.
  static Store open(const std::string& path = "");
  // As open(), creating the directory (and missing parents) with mode 0700.
  static Store create(const std::string& path = "");

  const std::string& path() const { return path_; }
  std::string ledger_path() const { return path_ + "/ledger.jsonl"; }
  std::string key_path() const { return path_ + "/signing.key"; }

  // The whole ledger, checked, read under a shared lock. The file is read in full every time;
  // lines already checked by an earlier read() of this Store (same bytes, compared) are not
  // checked again, so a gate polling every 2 s pays for signatures only once.
  Ledger read() const;

  // Appends the entry `build` makes from the current ledger (read under the exclusive lock,
  // so its checks see every earlier write). Signs with signing.key. Returns the sealed entry.
  // Throws InputError when the ledger fails audit, UsageError without a key or with a key
  // that is not the one in force.
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
  explicit Store(std::string path) : path_(std::move(path)), cache_(std::make_shared<Cache>()) {}
  Ledger check_cached(std::string content) const;
  std::string path_;
  std::shared_ptr<Cache> cache_;
};

}  // namespace surg::consent
