#include "surg/ledger/ledger.hpp"

#include "surg/core/error.hpp"
#include "surg/ledger/canonical.hpp"

namespace surg::consent {
namespace {

struct LineCheck {
  Fault fault = Fault::none;
  std::string problem;
};

LineCheck bad(Fault fault, std::string problem) { return {fault, std::move(problem)}; }

bool valid_public_key(const std::string& hex) {
  unsigned char pk[32];
  return from_hex(hex, pk, sizeof pk);
}

// Checks one line against the state left by the lines before it; on success appends the
// entry and advances the audit's head and key.
LineCheck check_line(std::string_view line, Ledger& ledger) {
  auto value = parse_canonical(line);
  if (!value) return bad(Fault::malformed, "not a line of canonical JSON");
  Entry entry;
  try {
    entry = entry_from_json(*value);
  } catch (const std::exception& e) {
    return bad(Fault::malformed, e.what());
  }
  Audit& audit = ledger.audit;
  const auto index = static_cast<std::int64_t>(ledger.entries.size());
  if (entry.seq != index)
    return bad(Fault::chain,
               "seq " + std::to_string(entry.seq) + " where " + std::to_string(index) + " was due");
  const std::string& expected_prev = index == 0 ? kGenesisPrev : audit.head_hash;
  if (entry.prev != expected_prev)
    return bad(Fault::chain, index == 0 ? "first entry does not start the chain"
                                        : "prev is not the hash of the line before");
  if (index == 0 && entry.type != EntryType::key)
    return bad(Fault::malformed, "first entry is not a key entry");
  if (entry.type == EntryType::key && !valid_public_key(entry.key))
    return bad(Fault::malformed, "key is not a 32-byte public key in hex");
  const std::string& signer = index == 0 ? entry.key : audit.current_key;
  value->erase("sig");
  if (!verify_signature(canonical(*value), entry.sig, signer))
    return bad(Fault::signature, "signature does not verify with the key in force");
  entry.line = std::string(line);
  entry.hash = sha256_hex(line);
  audit.head_hash = entry.hash;
  if (entry.type == EntryType::key) {
    if (index == 0) audit.genesis_key = entry.key;
    audit.current_key = entry.key;
  }
  ledger.entries.push_back(std::move(entry));
  return {};
}

}  // namespace

std::string to_string(Fault fault) {
  switch (fault) {
    case Fault::none:
      return "ok";
    case Fault::malformed:
      return "malformed ledger";
    case Fault::chain:
      return "broken chain";
    case Fault::signature:
      return "bad signature";
    case Fault::untrusted:
      return "untrusted ledger";
  }
  return "?";
}

std::string Audit::describe() const {
  if (ok()) return "ok";
  if (fault == Fault::untrusted) return to_string(fault) + ": " + problem;
  return "line " + std::to_string(bad_line) + " (seq " + std::to_string(bad_line - 1) +
         "): " + to_string(fault) + ": " + problem;
}

Ledger check_ledger(std::string_view content) {
  Ledger ledger;
  extend_ledger(ledger, content);
  return ledger;
}

void extend_ledger(Ledger& ledger, std::string_view content) {
  if (!ledger.audit.ok()) return;
  std::size_t start = 0;
  while (start < content.size()) {
    const std::size_t end = content.find('\n', start);
    LineCheck check;
    if (end == std::string_view::npos) {
      check = bad(Fault::malformed, "last line has no newline (torn write?)");
    } else {
      check = check_line(content.substr(start, end - start), ledger);
    }
    if (check.fault != Fault::none) {
      ledger.audit.fault = check.fault;
      ledger.audit.problem = check.problem;
      ledger.audit.bad_line = ledger.entries.size() + 1;
      break;
    }
    start = end + 1;
  }
  ledger.audit.entries = ledger.entries.size();
}

Entry seal_entry(Entry draft, const Ledger& ledger, const SecretKey& key) {
  if (!ledger.audit.ok()) throw InputError("ledger fails audit: " + ledger.audit.describe());
  draft.seq = static_cast<std::int64_t>(ledger.entries.size());
  draft.prev = ledger.entries.empty() ? kGenesisPrev : ledger.audit.head_hash;
  draft.sig = key.sign_hex(canonical(unsigned_json(draft)));
  draft.line = canonical(to_json(draft));
  draft.hash = sha256_hex(draft.line);
  // What we write must read back; a mismatch here is a bug, better caught before the disk.
  Ledger probe = ledger;
  check_line(draft.line, probe);
  if (probe.entries.size() != ledger.entries.size() + 1)
    throw RuntimeError("internal error: new ledger entry does not verify");
  return draft;
}

}  // namespace surg::consent
