#pragma once
// The state of a case, folded from its ledger entries in order. Each grantor role holds at
// most one consent at a time: a grant starts one (when none is in force), an amend replaces
// its terms, a revoke withdraws every consent of the case, or one purpose of each.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "surg/ledger/entry.hpp"
#include "surg/ledger/timestamp.hpp"

namespace surg::consent {

struct Consent {
  Terms terms;
  std::string granted;      // time of the grant (or of the amend that set these terms)
  std::string record_hash;  // hash of that grant/amend line
  std::int64_t seq = 0;     // its position in the ledger
  bool revoked = false;     // the whole consent was withdrawn
  std::string revoked_at;
  Names revoked_purposes;  // purposes withdrawn one by one

  bool expired(TimePoint now) const;
  // Not revoked and not expired: what "in force" means for grant/amend.
  bool in_force(TimePoint now) const { return !revoked && !expired(now); }
  // The purposes still agreed to (terms minus partial revocations).
  Names live_purposes() const;
};

struct CaseState {
  std::string case_id;
  std::map<std::string, Consent> consents;  // by grantor role
  std::vector<const Entry*> history;        // this case's entries, in ledger order
  std::string last_hash;                    // hash of the last entry of this case
};

// The state of one case; an unknown case gives an empty history.
CaseState fold_case(const std::vector<Entry>& entries, const std::string& case_id);

// Every case id in the ledger, in order of first appearance.
std::vector<std::string> case_ids(const std::vector<Entry>& entries);

// The consent speaking for the patient: the most recently granted or amended of the
// patient's and the representative's, or nullptr.
const Consent* subject_consent(const CaseState& state);

}  // namespace surg::consent
