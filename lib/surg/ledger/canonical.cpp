#include "surg/ledger/canonical.hpp"

#include "surg/core/error.hpp"

namespace surg::consent {
namespace {

bool has_float(const nlohmann::json& value) {
  if (value.is_number_float()) return true;
  if (value.is_structured()) {
    for (const auto& item : value) {
      if (has_float(item)) return true;
    }
  }
  return false;
}

}  // namespace

std::string canonical(const nlohmann::json& value) {
  if (has_float(value)) throw InputError("canonical JSON holds no floating-point numbers");
  // strict UTF-8: an invalid sequence throws instead of being replaced silently
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
}

std::optional<nlohmann::json> parse_canonical(std::string_view line) {
  auto value = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded() || has_float(value)) return std::nullopt;
  try {
    if (canonical(value) != line) return std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return value;
}

}  // namespace surg::consent
