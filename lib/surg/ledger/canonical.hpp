#pragma once
// Canonical JSON: object keys sorted by byte value, no insignificant whitespace, UTF-8 as is,
// integers only. nlohmann::json keeps objects in a std::map, so dump() already sorts keys and
// prints no spaces; floats are refused because their text form is not unique.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace surg::consent {

// The canonical text of `value`. Throws InputError if it holds a floating-point number.
std::string canonical(const nlohmann::json& value);

// Parses `line` and returns the value only if `line` is exactly its canonical text.
std::optional<nlohmann::json> parse_canonical(std::string_view line);

}  // namespace surg::consent
