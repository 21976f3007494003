#include "surg/consent/report.hpp"

#include "surg/ledger/crypto.hpp"
#include "surg/ledger/verify.hpp"

namespace surg::consent {
namespace {

std::string or_none(const Names& names) { return names.empty() ? "none" : join(names); }

void print_consent(std::ostream& out, const std::string& role, const Consent& c, TimePoint now) {
  out << role << ": " << status_of(c, now) << "\n"
      << "  purposes   " << or_none(c.live_purposes()) << "\n";
  if (!c.revoked_purposes.empty()) out << "  withdrawn  " << join(c.revoked_purposes) << "\n";
  out << "  platforms  " << or_none(c.terms.platforms) << "\n"
      << "  anonymize  " << or_none(c.terms.anonymize) << "\n"
      << "  audience   " << c.terms.audience << "\n"
      << "  granted    " << c.granted << "\n"
      << "  expires    " << c.terms.expires << "\n";
  if (c.revoked) out << "  revoked    " << c.revoked_at << "\n";
  if (!c.terms.form_sha256.empty()) out << "  form       sha256:" << c.terms.form_sha256 << "\n";
  out << "  record     " << c.record_hash << "\n";
}

std::string describe(const Entry& entry) {
  std::string text = to_string(entry.type);
  if (entry.type == EntryType::grant || entry.type == EntryType::amend) text += " " + entry.terms.grantor;
  if (entry.type == EntryType::revoke)
    text += " " + (entry.purpose.empty() ? std::string("all") : entry.purpose);
  return text;
}

}  // namespace

std::string status_of(const Consent& consent, TimePoint now) {
  if (consent.revoked) return "revoked";
  if (consent.expired(now)) return "expired";
  return "in force";
}

void print_case(std::ostream& out, const CaseState& state, TimePoint now) {
  out << "case " << state.case_id << "\n"
      << "record " << state.case_id << ":" << state.last_hash << "\n";
  for (const auto& [role, consent] : state.consents) print_consent(out, role, consent, now);
  out << "history:\n";
  for (const Entry* entry : state.history) {
    out << "  seq " << entry->seq << "  " << entry->time << "  " << describe(*entry) << "  "
        << entry->hash.substr(0, 16) << "\n";
  }
}

void print_list(std::ostream& out, const Ledger& ledger, const Clock& clock) {
  for (const auto& id : case_ids(ledger.entries)) {
    const CaseState state = fold_case(ledger.entries, id);
    Names covered;
    for (const auto& purpose : purposes()) {
      if (verify(ledger, id, purpose, "", clock).ok) covered.insert(purpose);
    }
    out << id << "\t" << (covered.empty() ? "no use consented" : "consented: " + join(covered)) << "\t"
        << state.history.size() << " entries\tlast " << state.history.back()->time << "\n";
  }
}

void print_audit(std::ostream& out, const Audit& audit) {
  out << "ok: " << audit.entries << " entries";
  if (audit.entries > 0) {
    out << ", head " << audit.head_hash << ", genesis key " << key_fingerprint(audit.genesis_key)
        << ", current key " << key_fingerprint(audit.current_key);
  }
  out << "\n";
}

}  // namespace surg::consent
