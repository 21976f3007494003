#pragma once
// FHIR R4 (4.0.1) Consent resource for a case: the consent of the patient (or of their
// representative), as a "Privacy Consent Directive" (scope patient-privacy: an agreement to
// collect, use or disclose information, here the video of the operation). Mapping and value
// sets are documented in surg-consent(5).
#include <nlohmann/json.hpp>

#include "surg/core/clock.hpp"
#include "surg/ledger/state.hpp"

namespace surg::consent {

// Throws ConsentError when the case has no patient or representative consent.
nlohmann::json to_fhir_r4(const CaseState& state, const Clock& clock);

}  // namespace surg::consent
