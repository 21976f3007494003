#include "surg/ledger/verify.hpp"

#include <algorithm>

#include "surg/ledger/case_id.hpp"

namespace surg::consent {
namespace {

struct Problem {
  Reason code;
  std::string text;
};

std::optional<Problem> check_consent(const std::string& who, const Consent& consent,
                                     const std::string& purpose, const std::string& platform, TimePoint now) {
  if (consent.revoked)
    return Problem{Reason::revoked, who + " consent was withdrawn at " + consent.revoked_at};
  if (consent.expired(now))
    return Problem{Reason::expired, who + " consent expired at " + consent.terms.expires};
  if (consent.revoked_purposes.count(purpose) != 0)
    return Problem{Reason::revoked, purpose + " was withdrawn from the " + who + " consent"};
  if (consent.terms.purposes.count(purpose) == 0)
    return Problem{Reason::not_covering, who + " consent does not cover " + purpose};
  if (!platform.empty() && consent.terms.platforms.count(platform) == 0)
    return Problem{Reason::not_covering, who + " consent does not cover platform " + platform};
  return std::nullopt;
}

// Wider audiences rank lower; anything unknown ranks as the strictest.
int audience_rank(const std::string& audience) {
  if (audience == "public") return 0;
  if (audience == "adults") return 1;
  return 2;
}

Verdict refuse(Verdict verdict, Reason code, const std::string& name, const std::string& text) {
  verdict.ok = false;
  verdict.code = code;
  verdict.reason = verdict.case_id + ": " + name + ": " + text;
  return verdict;
}

std::string stricter_audience(const std::string& a, const std::string& b) {
  return audience_rank(a) >= audience_rank(b) ? a : b;
}

Verdict grant(Verdict verdict, const Consent& subject, const Consent& surgeon, const std::string& purpose,
              const std::string& platform) {
  verdict.ok = true;
  verdict.code = Reason::ok;
  std::set_union(subject.terms.anonymize.begin(), subject.terms.anonymize.end(),
                 surgeon.terms.anonymize.begin(), surgeon.terms.anonymize.end(),
                 std::inserter(verdict.anonymize, verdict.anonymize.end()));
  verdict.audience = stricter_audience(subject.terms.audience, surgeon.terms.audience);
  verdict.until = std::min(*parse_timestamp(subject.terms.expires), *parse_timestamp(surgeon.terms.expires));
  verdict.reason = verdict.case_id + ": ok: " + purpose + (platform.empty() ? "" : " on " + platform) +
                   " until " + format_utc(*verdict.until) + ", anonymize " +
                   (verdict.anonymize.empty() ? "none" : join(verdict.anonymize)) + ", audience " +
                   verdict.audience;
  return verdict;
}

// The newest entry's time, when the clock reads earlier: consents are judged at a time the
// ledger proves has passed already.
std::optional<std::string> clock_behind(const Ledger& ledger, TimePoint now) {
  if (ledger.entries.empty()) return std::nullopt;
  const std::string& newest = ledger.entries.back().time;
  const auto t = parse_timestamp(newest);
  if (t && now < *t) return newest;
  return std::nullopt;
}

// verify() over the store, or a refusal: an unreadable store is no consent (fail closed,
// with the cause in the reason).
template <typename Check>
Verdict over_store(const Store& store, const std::string& case_id, Check check,
                   std::chrono::milliseconds lock_timeout) {
  try {
    return check(store.read(lock_timeout));
  } catch (const std::exception& e) {
    Verdict verdict;
    verdict.case_id = case_id_problem(case_id) ? "(rejected case id)" : case_id;
    return refuse(verdict, Reason::unreadable, to_string(Reason::unreadable), e.what());
  }
}

}  // namespace

std::string to_string(Reason reason) {
  switch (reason) {
    case Reason::ok:
      return "ok";
    case Reason::missing:
      return "missing";
    case Reason::no_surgeon:
      return "no surgeon consent";
    case Reason::expired:
      return "expired";
    case Reason::revoked:
      return "revoked";
    case Reason::not_covering:
      return "not covering";
    case Reason::bad_ledger:
      return "bad ledger";
    case Reason::unreadable:
      return "store unreadable";
    case Reason::bad_clock:
      return "clock behind the ledger";
  }
  return "?";
}

Verdict verify(const Ledger& ledger, const std::string& case_id, const std::string& purpose,
               const std::string& platform, const Clock& clock) {
  Verdict verdict;
  verdict.case_id = case_id;
  if (case_id_problem(case_id)) {
    verdict.case_id = "(rejected case id)";  // never echo what may be a name
    return refuse(verdict, Reason::missing, "missing", "not a pseudonymous case id");
  }
  const Audit& audit = ledger.audit;
  if (!audit.ok())
    return refuse(verdict, Reason::bad_ledger, to_string(audit.fault),
                  "ledger line " + std::to_string(audit.bad_line) + ": " + audit.problem);
  if (auto newest = clock_behind(ledger, clock.now()))
    return refuse(verdict, Reason::bad_clock, to_string(Reason::bad_clock),
                  "the system clock reads " + format_utc(clock.now()) + ", before the newest ledger entry (" +
                      *newest + ")");
  const CaseState state = fold_case(ledger.entries, case_id);
  verdict.record_hash = state.last_hash;
  if (state.history.empty())
    return refuse(verdict, Reason::missing, "missing", "no consent recorded for this case");
  const Consent* subject = subject_consent(state);
  if (subject == nullptr)
    return refuse(verdict, Reason::missing, "missing", "no patient or representative consent");
  const auto now = clock.now();
  const std::string who = subject->terms.grantor;
  if (auto problem = check_consent(who, *subject, purpose, platform, now))
    return refuse(verdict, problem->code, to_string(problem->code), problem->text);
  auto surgeon = state.consents.find("surgeon");
  if (surgeon == state.consents.end())
    return refuse(verdict, Reason::no_surgeon, "no surgeon consent",
                  "the operating surgeon has not consented");
  if (auto problem = check_consent("surgeon", surgeon->second, purpose, platform, now))
    return refuse(verdict, problem->code, to_string(problem->code), problem->text);
  return grant(verdict, *subject, surgeon->second, purpose, platform);
}

Verdict verify(const Store& store, const std::string& case_id, const std::string& purpose,
               const std::string& platform, const Clock& clock, std::chrono::milliseconds lock_timeout) {
  return over_store(
      store, case_id, [&](const Ledger& ledger) { return verify(ledger, case_id, purpose, platform, clock); },
      lock_timeout);
}

Verdict required_protection(const Ledger& ledger, const std::string& case_id, const Clock& clock) {
  Verdict verdict;
  verdict.case_id = case_id;
  if (case_id_problem(case_id)) {
    verdict.case_id = "(rejected case id)";
    return refuse(verdict, Reason::missing, "missing", "not a pseudonymous case id");
  }
  if (!ledger.audit.ok())
    return refuse(verdict, Reason::bad_ledger, to_string(ledger.audit.fault),
                  "ledger line " + std::to_string(ledger.audit.bad_line) + ": " + ledger.audit.problem);
  const auto now = clock.now();
  if (auto newest = clock_behind(ledger, now))
    return refuse(
        verdict, Reason::bad_clock, to_string(Reason::bad_clock),
        "the system clock reads " + format_utc(now) + ", before the newest ledger entry (" + *newest + ")");
  const CaseState state = fold_case(ledger.entries, case_id);
  verdict.record_hash = state.last_hash;
  for (const auto& [role, consent] : state.consents) {
    if (!consent.in_force(now)) continue;
    verdict.ok = true;
    verdict.anonymize.insert(consent.terms.anonymize.begin(), consent.terms.anonymize.end());
    verdict.audience = verdict.audience.empty() ? consent.terms.audience
                                                : stricter_audience(verdict.audience, consent.terms.audience);
  }
  if (!verdict.ok)
    return refuse(verdict, Reason::missing, "missing", "no consent in force, so what to protect is unknown");
  verdict.code = Reason::ok;
  verdict.reason =
      verdict.case_id + ": ok: requires " + (verdict.anonymize.empty() ? "nothing" : join(verdict.anonymize));
  return verdict;
}

Verdict required_protection(const Store& store, const std::string& case_id, const Clock& clock) {
  return over_store(
      store, case_id, [&](const Ledger& ledger) { return required_protection(ledger, case_id, clock); },
      kLockTimeout);
}

}  // namespace surg::consent
