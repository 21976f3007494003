#pragma once
// Human-readable reports for show and list. They print case ids, roles and codes only:
// a record holds nothing else, so nothing else can leak.
#include <ostream>

#include "surg/core/clock.hpp"
#include "surg/ledger/ledger.hpp"
#include "surg/ledger/state.hpp"

namespace surg::consent {

// "in force", "expired", "revoked" at `now`.
std::string status_of(const Consent& consent, TimePoint now);

void print_case(std::ostream& out, const CaseState& state, TimePoint now);
// One line a case: id, the purposes verify would accept now, entries, last change.
void print_list(std::ostream& out, const Ledger& ledger, const Clock& clock);
// "ok: 12 entries, head <hash>, genesis key <fp>, current key <fp>"
void print_audit(std::ostream& out, const Audit& audit);

}  // namespace surg::consent
