#include "surg/anonymize/consent_floor.hpp"

#include <algorithm>
#include <iterator>

#include <spdlog/spdlog.h>

#include "surg/ledger/case_id.hpp"
#include "surg/ledger/timestamp.hpp"
#include "surg/ledger/verify.hpp"
#include "surg/core/error.hpp"
#include "surg/detect/pinned.hpp"

namespace surg::anonymize {
namespace {

void raise(bool& flag, const char* name, const std::string& case_id) {
  if (!flag) spdlog::warn("consent {} requires {}: turned on", case_id, name);
  flag = true;
}

// Settings that leave --faces on but detection off in effect: a score no face reaches, or a
// detector the consent gate does not know (a test detector, one named in a config file).
// Exit 3 (ConsentError), not 2: the same settings are valid without --consent (tests, demos);
// it is the consent that they would break.
void refuse_blind_faces(const Options& o, const std::string& case_id) {
  if (o.score > kConsentMaxScore)
    throw ConsentError(fmt::format("consent {} requires faces hidden: --score {} would let most faces through "
                                   "(at most {} under --consent)",
                                   case_id, o.score, kConsentMaxScore));
  const bool known = std::any_of(std::begin(detect::kPinnedDetectors), std::end(detect::kPinnedDetectors),
                                 [&](const detect::PinnedDetector& p) { return p.name == o.detector; });
  if (!known)
    throw ConsentError("consent " + case_id + " requires faces hidden: detector '" + o.detector +
                       "' is not one the consent gate accepts (detect/pinned.hpp)");
}

}  // namespace

void apply_consent_floor(Options& o, const std::string& case_id, const std::string& store) {
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
  if (required.count("text") && o.zones.empty()) raise(o.mask_outside_circle, "burned-in text hidden (--mask-outside-circle)", case_id);
  spdlog::info("consent {} requires: {}", case_id, required.empty() ? "nothing" : fmt::format("{}", fmt::join(required, ",")));
}

}  // namespace surg::anonymize
