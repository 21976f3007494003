#include "surg/ledger/vocabulary.hpp"

#include <algorithm>

#include "surg/core/error.hpp"

namespace surg::consent {

const std::vector<std::string>& grantors() {
  static const std::vector<std::string> kNames{"patient", "surgeon", "representative"};
  return kNames;
}

const std::vector<std::string>& purposes() {
  static const std::vector<std::string> kNames{"live-broadcast", "recording", "teaching"};
  return kNames;
}

const std::vector<std::string>& platforms() {
  static const std::vector<std::string> kNames{"facebook", "youtube", "instagram", "linkedin",
                                               "twitch",   "vimeo",   "intranet"};
  return kNames;
}

const std::vector<std::string>& anonymizations() {
  static const std::vector<std::string> kNames{"faces", "oob", "text"};
  return kNames;
}

const std::vector<std::string>& audiences() {
  static const std::vector<std::string> kNames{"adults", "professionals", "public"};
  return kNames;
}

bool is_subject_role(std::string_view grantor) { return grantor == "patient" || grantor == "representative"; }

void require_one_of(std::string_view option, const std::string& value,
                    const std::vector<std::string>& allowed) {
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return;
  std::string choices;
  for (const auto& name : allowed) choices += (choices.empty() ? "" : ", ") + name;
  throw UsageError(std::string(option) + ": unknown value '" + value + "' (one of " + choices + ")");
}

Names to_names(std::string_view option, const std::vector<std::string>& values,
               const std::vector<std::string>& allowed) {
  Names names;
  bool none = false;
  for (const auto& value : values) {
    if (value == "none") {
      none = true;
      continue;
    }
    require_one_of(option, value, allowed);
    names.insert(value);
  }
  if (none && !names.empty())
    throw UsageError(std::string(option) + ": 'none' cannot be combined with other values");
  return names;
}

std::string join(const Names& names, std::string_view separator) {
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out += separator;
    out += name;
  }
  return out;
}

}  // namespace surg::consent
