#pragma once
// Checking a ledger's bytes: every line canonical JSON, in sequence, chained by SHA-256 to the
// line before, signed by the key in force at that point. Pure functions over the text, so
// tests (and the byte-flip audit test) run without touching a disk.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "surg/ledger/crypto.hpp"
#include "surg/ledger/entry.hpp"

namespace surg::consent {

// The chain's anchor: the "prev" of the first entry.
inline const std::string kGenesisPrev(64, '0');

enum class Fault {
  none,
  malformed,  // not a newline-terminated line of canonical JSON with the right fields
  chain,      // sequence number or prev hash does not follow from the line before
  signature,  // signature invalid, or made by a key not in force
  untrusted,  // lines fine, but not the trusted ledger: key not pinned, witness, ownership
};

// "malformed ledger", "broken chain", "bad signature" (the names used in verify reasons).
std::string to_string(Fault fault);

struct Audit {
  Fault fault = Fault::none;
  std::size_t entries = 0;   // good entries (all of them when ok())
  std::size_t bad_line = 0;  // 1-based line of the first bad entry, 0 when ok() or untrusted
  std::string problem;       // what is wrong with it, one line
  std::string head_hash;     // hash of the last good line ("" for an empty ledger)
  std::string genesis_key;   // public key of entry 0
  std::string current_key;   // key in force after the last good entry
  bool ok() const { return fault == Fault::none; }
  // "line 5 (seq 4): broken chain: prev is not the hash of line 4"
  std::string describe() const;
};

struct Ledger {
  std::vector<Entry> entries;  // the good prefix
  Audit audit;
};

// Checks `content` (a whole ledger file) and returns its good prefix and the verdict.
Ledger check_ledger(std::string_view content);

// Continues the check of an ok() `ledger` over `more`, the bytes that follow the ones it was
// made from. check_ledger(a + b) == extend_ledger(check_ledger(a), b) when a ends a line.
void extend_ledger(Ledger& ledger, std::string_view more);

// Builds the next entry after `ledger` from `draft` (type, time, case, terms...): fills seq,
// prev, sig, line and hash. The result passes check_ledger() when appended.
Entry seal_entry(Entry draft, const Ledger& ledger, const SecretKey& key);

}  // namespace surg::consent
