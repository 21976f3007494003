#pragma once
// The consent gate, for surg-push and surg-anonymize (and surg-consent verify).
//
//   surg::consent::require_case_id(options.consent);           // at option parsing: exit 2
//   auto store = surg::consent::Store::open(options.store);    // "" = default location
//   auto clock = surg::consent::clock_from_env();              // SystemClock unless tests
//   auto verdict = surg::consent::verify(store, "CASE-0213", "live-broadcast", "facebook", *clock);
//   if (!verdict.ok) throw surg::ConsentError(verdict.reason); // exit 3, reason logged once
//   tags["surg.consent"] = verdict.tag();                      // "CASE-0213:<sha256 hex>"
//   // every name in verdict.anonymize ({"faces","oob","text"}) must appear in surg.chain
//
// Keep one Store and call verify() again (every 2 s): each call re-reads the ledger under a
// shared flock (waiting at most kLockTimeout), checks its trust (store.hpp), so a revocation written by
// another process is seen on the next call; lines already checked by this Store are not re-verified (~0.07 ms
// CPU a call at 100 entries; ~11 ms for the first call, Ed25519 verification dominating). verify() never
// throws: a bad, missing or unreadable ledger is a refusal with its reason.
#include <optional>
#include <string>

#include "surg/core/clock.hpp"
#include "surg/ledger/case_id.hpp"
#include "surg/ledger/state.hpp"
#include "surg/ledger/store.hpp"
#include "surg/ledger/vocabulary.hpp"

namespace surg::consent {

enum class Reason {
  ok,
  missing,     // no consent for the case, or none from the patient/representative
  no_surgeon,  // no surgeon consent
  expired,
  revoked,       // the whole consent, or this purpose
  not_covering,  // purpose or platform not among those agreed to
  bad_ledger,    // bad signature, broken chain, malformed ledger, or untrusted (pin, witness, owner)
  unreadable,    // the store could not be read (I/O error, lock held past kLockTimeout)
  bad_clock,     // the system clock reads earlier than the newest ledger entry
};

struct Verdict {
  bool ok = false;
  Reason code = Reason::missing;
  std::string case_id;
  // One line, starting with the case id and the reason's name, e.g.
  // "CASE-0213: revoked: live-broadcast was withdrawn at 2026-11-28T10:02:00Z".
  std::string reason;
  // Hash of the case's last ledger line: pins the exact consent state that was verified.
  std::string record_hash;
  // Union of the anonymisations both consents require (patient wishes + surgeon's).
  Names anonymize;
  std::string audience;            // the stricter of the two (public < adults < professionals)
  std::optional<TimePoint> until;  // the earliest expiry of the two consents

  // The surg.consent tag value: "CASE-0213:<record_hash>".
  std::string tag() const { return case_id + ":" + record_hash; }
};

// Is `purpose` (live-broadcast|recording|teaching) on `platform` ("" = any, e.g. a local
// recording) covered for `case_id` at clock.now()? Needs a patient or representative consent
// AND a surgeon consent, both in force, both covering the purpose (and platform), over a
// ledger whose every entry has a valid chain and signature, at a clock.now() no earlier than
// the newest entry (a clock set back would revive expired consents).
// An unreadable store (or one locked past `lock_timeout`) is Reason::unreadable.
Verdict verify(const Store& store, const std::string& case_id, const std::string& purpose,
               const std::string& platform, const Clock& clock,
               std::chrono::milliseconds lock_timeout = kLockTimeout);

// The same over an already read ledger (tests, and commands that hold one).
Verdict verify(const Ledger& ledger, const std::string& case_id, const std::string& purpose,
               const std::string& platform, const Clock& clock);

// What the consents in force for `case_id` require at clock.now(), whatever the purpose: the
// union of the anonymisations of every consent in force (patient, representative, surgeon)
// and the strictest audience. surg-anonymize --consent applies it as a floor. Not ok (with
// the reason) when the ledger is refused or no consent is in force: then what to protect is
// unknown. Never throws.
Verdict required_protection(const Store& store, const std::string& case_id, const Clock& clock);
Verdict required_protection(const Ledger& ledger, const std::string& case_id, const Clock& clock);

std::string to_string(Reason reason);  // "ok", "missing", "no surgeon consent", ...

}  // namespace surg::consent
