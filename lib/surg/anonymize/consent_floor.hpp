#pragma once
// surg-anonymize --consent CASE: the anonymisation the case's consents require is a floor.
// Flags can add protection, never remove it: a required "faces" turns --no-faces back on,
// "oob" turns --no-oob back on, and "text" needs --zones or --mask-outside-circle (the mask
// is turned on when neither was given, as towers print the patient's name around the image).
// With "faces" required, a --score above kConsentMaxScore is refused (exit 3); a detector or
// model not pinned for the consent gate (detect/pinned.hpp) is refused once loaded (Stage).
#include <string>

#include "surg/anonymize/options.hpp"

namespace surg::anonymize {

// Above this BlazeFace score the masked faces of an operating room are mostly missed (recall
// of faces >= 32 px 0.97 at 0.3, 0.87 at 0.7: analyzers.hpp).
inline constexpr float kConsentMaxScore = 0.5f;

// Raises `plan` to what the consents in force for `case_id` require (the union over
// patient, representative and surgeon). Throws ConsentError (exit 3) when the ledger fails
// its audit or no consent is in force: without one, what to protect is unknown.
void apply_consent_floor(Plan& plan, const std::string& case_id, const std::string& store);

}  // namespace surg::anonymize
