#include "surg/anonymize/consent_floor.hpp"

#include <spdlog/spdlog.h>

#include "surg/core/error.hpp"
#include "surg/ledger/case_id.hpp"
#include "surg/ledger/timestamp.hpp"
#include "surg/ledger/verify.hpp"

namespace surg::anonymize {
namespace {

void raise(bool& flag, const char* name, const std::string& case_id) {
  if (!flag) spdlog::warn("consent {} requires {}: turned on", case_id, name);
  flag = true;
}

// A score no face reaches leaves --faces on but detection off in effect. Exit 3 (ConsentError),
// not 2: the same setting is valid without --consent (tests, demos); it is the consent that it
// would break. The detector and its model are checked once loaded (Stage, detect/pinned.hpp).
void refuse_blind_faces(const Plan& o, const std::string& case_id) {
  if (o.score > kConsentMaxScore)
    throw ConsentError(
        fmt::format("consent {} requires faces hidden: --score {} would let most faces through "
                    "(at most {} under --consent)",
                    case_id, o.score, kConsentMaxScore));
}

}  // namespace

void apply_consent_floor(Plan& o, const std::string& case_id, const std::string& store) {
  consent::require_case_id(case_id);
  const auto clock = consent::clock_from_env();
  const consent::Verdict verdict = consent::required_protection(consent::Store::open(store), case_id, *clock);
  if (!verdict.ok) throw ConsentError(verdict.reason);
  const consent::Names& required = verdict.anonymize;
  if (required.count("faces")) {
    raise(o.faces, "faces", case_id);
    refuse_blind_faces(o, case_id);
  }
  if (required.count("oob")) raise(o.oob, "out-of-body blanking", case_id);
  if (required.count("text") && o.zones.empty())
    raise(o.mask_outside_circle, "burned-in text hidden (--mask-outside-circle)", case_id);
  spdlog::info("consent {} requires: {}", case_id,
               required.empty() ? "nothing" : fmt::format("{}", fmt::join(required, ",")));
}

}  // namespace surg::anonymize
