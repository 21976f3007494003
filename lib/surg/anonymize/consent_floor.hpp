#pragma once
// surg-anonymize --consent CASE: the anonymisation the case's consents require is a floor.
// Flags can add protection, never remove it: a required "faces" turns --no-faces back on,
// "oob" turns --no-oob back on, and "text" needs --zones or --mask-outside-circle (the mask
// is turned on when neither was given, as towers print the patient's name around the image).
#include <string>

#include "surg/anonymize/options.hpp"

namespace surg::anonymize {

// Raises `options` to what the consents in force for `case_id` require (the union over
// patient, representative and surgeon). Throws ConsentError (exit 3) when the ledger fails
// its audit or no consent is in force: without one, what to protect is unknown.
void apply_consent_floor(Options& options, const std::string& case_id, const std::string& store);

}  // namespace surg::anonymize
