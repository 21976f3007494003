#pragma once
// The closed vocabularies of a consent record. A typo must fail at grant time, not silently
// produce a consent that never matches (or, worse, one that matches something unintended).
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace surg::consent {

using Names = std::set<std::string>;

const std::vector<std::string>& grantors();        // patient, surgeon, representative
const std::vector<std::string>& purposes();        // live-broadcast, recording, teaching
const std::vector<std::string>& platforms();       // facebook, youtube, ..., intranet
const std::vector<std::string>& anonymizations();  // faces, oob, text
const std::vector<std::string>& audiences();       // adults, professionals, public

// True for the roles speaking for the patient (patient, representative).
bool is_subject_role(std::string_view grantor);

// Checks that `value` is one of `allowed`; throws UsageError naming the option and the choices.
void require_one_of(std::string_view option, const std::string& value,
                    const std::vector<std::string>& allowed);

// A comma list as given on the command line ("faces,oob" or repeated options) to a set.
// "none" alone means the empty set (an explicit "nothing"), and may not be mixed with names.
Names to_names(std::string_view option, const std::vector<std::string>& values,
               const std::vector<std::string>& allowed);

std::string join(const Names& names, std::string_view separator = ",");

}  // namespace surg::consent
