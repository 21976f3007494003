#pragma once
// The rules for writing: each function checks the request against the current ledger and
// returns the draft entry to append (Store::append seals and writes it under the lock).
//   grant:  refused while the same grantor's consent is in force (amend it instead)
//   amend:  needs that grantor's consent, not revoked; unnamed terms are carried over, except
//           purposes withdrawn by revoke, which come back only when named again
//   revoke: refused for a case with no consent at all, so a mistyped id cannot pass for a
//           withdrawal; otherwise always written (withdrawing is never blocked)
#include <optional>
#include <string>

#include "surg/core/clock.hpp"
#include "surg/ledger/ledger.hpp"
#include "surg/ledger/state.hpp"

namespace surg::consent {

// What an amend changes; nullopt = keep.
struct TermChanges {
  std::optional<Names> purposes;
  std::optional<Names> platforms;
  std::optional<Names> anonymize;
  std::optional<std::string> audience;
  std::optional<std::string> expires;  // UTC ISO-8601
  std::optional<std::string> form_sha256;
};

Entry grant_entry(const Ledger& ledger, const std::string& case_id, const Terms& terms, const Clock& clock);
Entry amend_entry(const Ledger& ledger, const std::string& case_id, const std::string& grantor,
                  const TermChanges& changes, const Clock& clock);
// `purpose` empty: the whole case.
Entry revoke_entry(const Ledger& ledger, const std::string& case_id, const std::string& purpose,
                   const Clock& clock);

}  // namespace surg::consent
