#pragma once
// What a consent ledger is trusted with (doc/consent.md): the [ledger] table of the system
// config (config::system_path(), /etc/surg/surg.toml), never a user's file or a flag:
//   key          the genesis public key (hex) every trusted ledger starts with
//   witness      the witness file: the ledger's last sequence number and head hash, signed
//   signing-key  the Ed25519 private key (consent officers only; never inside the store)
//   owner        the account that must own the store, the ledger and the witness
// Verifying (push, anonymize, verify, audit) needs only the ledger, the witness and the key
// pinned here; signing also needs signing-key.
#include <string>

namespace surg::consent {

struct Trust {
  std::string source;  // the file read, for messages
  std::string key;     // "" = nothing pinned: refuse
  std::string witness = "/var/lib/surg/consent.witness";
  std::string signing_key = "/var/lib/surg/signing/consent.key";
  std::string owner = "root";
};

// The [ledger] table of the system config; defaults where a key is absent or the file is.
// Throws UsageError (file:line) on a bad value, and when the file is writable by anyone but
// root (a pin that others can change pins nothing).
Trust load_trust();

// keygen --install: writes `public_hex` as [ledger] key into the system config, keeping the
// file's other tables. Refuses (UsageError) when another key is pinned already.
void pin_key(const std::string& public_hex);

}  // namespace surg::consent
