#pragma once
// One ledger entry: a line of canonical JSON (see surg-consent(5)). Every entry carries
// v, seq, prev (SHA-256 hex of the previous line; 64 zeros for the first), time, type and sig
// (Ed25519 over the canonical entry without "sig"). By type:
//   key:    key (public key hex). seq 0 is a key entry signed by its own key; a later key entry
//           (rotation) is signed by the key it replaces.
//   grant:  case, grantor, purposes, platforms, anonymize, audience, expires [, form_sha256]
//   amend:  as grant, plus amends (hash of the line of the consent it replaces)
//   revoke: case [, purpose] (no purpose: the whole case)
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "surg/ledger/vocabulary.hpp"

namespace surg::consent {

enum class EntryType { key, grant, amend, revoke };

std::string to_string(EntryType type);

// What a patient, representative or surgeon agreed to.
struct Terms {
  std::string grantor;
  Names purposes;
  Names platforms;
  Names anonymize;
  std::string audience;
  std::string expires;      // UTC ISO-8601 (see timestamp.hpp)
  std::string form_sha256;  // empty without --form
  bool operator==(const Terms&) const = default;
};

struct Entry {
  std::int64_t seq = 0;
  std::string prev;
  std::string time;
  EntryType type = EntryType::grant;
  std::string case_id;  // grant, amend, revoke
  Terms terms;          // grant, amend
  std::string amends;   // amend
  std::string purpose;  // revoke (empty: whole case)
  std::string key;      // key
  std::string sig;
  // Filled when read from or written to a ledger:
  std::string line;  // the exact bytes, without the newline
  std::string hash;  // SHA-256 hex of `line`
};

// The signed content: every field but "sig".
nlohmann::json unsigned_json(const Entry& entry);
// Full entry object (unsigned_json plus "sig").
nlohmann::json to_json(const Entry& entry);
// Strict reader: unknown or missing fields, wrong types, values outside the vocabularies and
// case ids that fail require_case_id() throw InputError naming the field.
Entry entry_from_json(const nlohmann::json& value);

}  // namespace surg::consent
