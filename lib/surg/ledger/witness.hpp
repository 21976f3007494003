#pragma once
// The ledger's witness (doc/consent.md, surg-consent(5)): a file kept outside the ledger,
// at the path the system config names, holding one line of canonical JSON
//   {"head":"<sha256 of the last ledger line>","seq":N,"sig":"<ed25519>","time":"...","v":1}
// signed by the key in force at entry N. Every append advances it (and tells syslog), so a
// ledger cut short, rewritten or restored from an old copy no longer matches it: readers
// refuse a ledger that is behind its witness (entries removed), beside it (entry N is not
// the witnessed one) or without one. A ledger ahead of its witness (an append interrupted
// between the two writes) is accepted: its extra entries carry valid signatures.
#include <cstdint>
#include <optional>
#include <string>

#include "surg/ledger/crypto.hpp"
#include "surg/ledger/ledger.hpp"

namespace surg::consent {

struct Witness {
  std::int64_t seq = -1;
  std::string head;
  std::string time;
  std::string sig;
};

// Reads `path`; nullopt when it does not exist. Throws InputError when it is not a witness
// line, RuntimeError when it cannot be read.
std::optional<Witness> read_witness(const std::string& path);

// Writes the witness of `ledger`'s last entry, signed with `key`, by an atomic rename that
// keeps the old file's mode and group; then logs seq and head to syslog (LOG_AUTHPRIV).
void write_witness(const std::string& path, const Ledger& ledger, const SecretKey& key,
                   const std::string& time);

// "" when `witness` vouches for `ledger` (an ok() ledger), else what is wrong, one line.
std::string witness_problem(const Ledger& ledger, const std::optional<Witness>& witness);

}  // namespace surg::consent
