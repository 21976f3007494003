#pragma once
// Case ids are pseudonymous: an opaque label such as CASE-0213 or or-3-2026-11-28-a. Anything
// that looks like a person's name or a record number is refused, and the refusal never repeats
// the rejected text (it may be exactly what must not be logged).
#include <optional>
#include <string>
#include <string_view>

namespace surg::consent {

// Why `id` is not acceptable as a case id, or nullopt when it is.
std::optional<std::string> case_id_problem(std::string_view id);

// Throws UsageError("case id rejected: <why>") when case_id_problem() finds one.
void require_case_id(std::string_view id);

}  // namespace surg::consent
