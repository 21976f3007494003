#include "surg/ledger/state.hpp"

#include <algorithm>

namespace surg::consent {
namespace {

void apply(CaseState& state, const Entry& entry) {
  switch (entry.type) {
    case EntryType::grant:
    case EntryType::amend: {
      Consent& consent = state.consents[entry.terms.grantor];
      consent = Consent{};
      consent.terms = entry.terms;
      consent.granted = entry.time;
      consent.record_hash = entry.hash;
      consent.seq = entry.seq;
      break;
    }
    case EntryType::revoke:
      for (auto& [role, consent] : state.consents) {
        if (entry.purpose.empty() && !consent.revoked) {
          consent.revoked = true;
          consent.revoked_at = entry.time;
        } else if (!entry.purpose.empty()) {
          consent.revoked_purposes.insert(entry.purpose);
        }
      }
      break;
    case EntryType::key:
      break;
  }
}

}  // namespace

bool Consent::expired(TimePoint now) const {
  auto expiry = parse_timestamp(terms.expires);
  return !expiry || now >= *expiry;  // an unreadable expiry counts as expired: fail closed
}

Names Consent::live_purposes() const {
  Names live;
  std::set_difference(terms.purposes.begin(), terms.purposes.end(), revoked_purposes.begin(),
                      revoked_purposes.end(), std::inserter(live, live.end()));
  return live;
}

CaseState fold_case(const std::vector<Entry>& entries, const std::string& case_id) {
  CaseState state;
  state.case_id = case_id;
  for (const Entry& entry : entries) {
    if (entry.type == EntryType::key || entry.case_id != case_id) continue;
    apply(state, entry);
    state.history.push_back(&entry);
    state.last_hash = entry.hash;
  }
  return state;
}

std::vector<std::string> case_ids(const std::vector<Entry>& entries) {
  std::vector<std::string> ids;
  for (const Entry& entry : entries) {
    if (entry.type == EntryType::key) continue;
    if (std::find(ids.begin(), ids.end(), entry.case_id) == ids.end()) ids.push_back(entry.case_id);
  }
  return ids;
}

const Consent* subject_consent(const CaseState& state) {
  const Consent* best = nullptr;
  for (const char* role : {"patient", "representative"}) {
    auto it = state.consents.find(role);
    if (it != state.consents.end() && (best == nullptr || it->second.seq > best->seq)) best = &it->second;
  }
  return best;
}

}  // namespace surg::consent
