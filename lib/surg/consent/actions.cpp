#include "surg/consent/actions.hpp"

#include "surg/core/error.hpp"

namespace surg::consent {
namespace {

Entry draft(EntryType type, const std::string& case_id, const Clock& clock) {
  Entry entry;
  entry.type = type;
  entry.case_id = case_id;
  entry.time = format_utc(clock.now());
  return entry;
}

template <typename T>
void apply(T& field, const std::optional<T>& change) {
  if (change) field = *change;
}

}  // namespace

Entry grant_entry(const Ledger& ledger, const std::string& case_id, const Terms& terms, const Clock& clock) {
  if (terms.purposes.empty()) throw UsageError("--purpose: name at least one purpose");
  const CaseState state = fold_case(ledger.entries, case_id);
  auto it = state.consents.find(terms.grantor);
  if (it != state.consents.end() && it->second.in_force(clock.now()))
    throw UsageError(case_id + ": a " + terms.grantor + " consent is in force; use 'amend' to change it");
  Entry entry = draft(EntryType::grant, case_id, clock);
  entry.terms = terms;
  return entry;
}

Entry amend_entry(const Ledger& ledger, const std::string& case_id, const std::string& grantor,
                  const TermChanges& changes, const Clock& clock) {
  const CaseState state = fold_case(ledger.entries, case_id);
  auto it = state.consents.find(grantor);
  if (it == state.consents.end())
    throw ConsentError(case_id + ": missing: no " + grantor + " consent to amend");
  const Consent& old = it->second;
  if (old.revoked)
    throw ConsentError(case_id + ": revoked: the " + grantor + " consent was withdrawn; grant a new one");
  Entry entry = draft(EntryType::amend, case_id, clock);
  entry.amends = old.record_hash;
  entry.terms = old.terms;
  entry.terms.purposes = old.live_purposes();
  apply(entry.terms.purposes, changes.purposes);
  apply(entry.terms.platforms, changes.platforms);
  apply(entry.terms.anonymize, changes.anonymize);
  apply(entry.terms.audience, changes.audience);
  apply(entry.terms.expires, changes.expires);
  apply(entry.terms.form_sha256, changes.form_sha256);
  if (entry.terms.purposes.empty())
    throw UsageError("--purpose: an amended consent needs at least one purpose");
  if (entry.terms == old.terms) throw UsageError(case_id + ": nothing to amend: the terms are unchanged");
  return entry;
}

Entry revoke_entry(const Ledger& ledger, const std::string& case_id, const std::string& purpose,
                   const Clock& clock) {
  if (fold_case(ledger.entries, case_id).consents.empty())
    throw ConsentError(case_id + ": missing: no consent recorded for this case; nothing revoked");
  Entry entry = draft(EntryType::revoke, case_id, clock);
  entry.purpose = purpose;
  return entry;
}

}  // namespace surg::consent
