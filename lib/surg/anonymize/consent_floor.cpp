#include "surg/anonymize/consent_floor.hpp"

#include <spdlog/spdlog.h>

#include "surg/consent/case_id.hpp"
#include "surg/consent/state.hpp"
#include "surg/consent/store.hpp"
#include "surg/core/error.hpp"

namespace surg::anonymize {
namespace {

consent::Names required_by(const std::string& case_id, const std::string& store_path) {
  const auto ledger = consent::Store::open(store_path).read();
  if (!ledger.audit.ok())
    throw ConsentError(case_id + ": the consent ledger fails its audit: " + ledger.audit.problem);
  const auto state = consent::fold_case(ledger.entries, case_id);
  const auto now = consent::clock_from_env()->now();
  consent::Names names;
  bool any = false;
  for (const auto& [role, c] : state.consents) {
    if (!c.in_force(now)) continue;
    any = true;
    names.insert(c.terms.anonymize.begin(), c.terms.anonymize.end());
  }
  if (!any) throw ConsentError(case_id + ": no consent in force, so what to protect is unknown");
  return names;
}

void raise(bool& flag, const char* name, const std::string& case_id) {
  if (!flag) spdlog::warn("consent {} requires {}: turned on", case_id, name);
  flag = true;
}

}  // namespace

void apply_consent_floor(Options& o, const std::string& case_id, const std::string& store) {
  consent::require_case_id(case_id);
  const consent::Names required = required_by(case_id, store);
  if (required.count("faces")) raise(o.faces, "faces", case_id);
  if (required.count("oob")) raise(o.oob, "out-of-body blanking", case_id);
  if (required.count("text") && o.zones.empty()) raise(o.mask_outside_circle, "burned-in text hidden (--mask-outside-circle)", case_id);
  spdlog::info("consent {} requires: {}", case_id, required.empty() ? "nothing" : fmt::format("{}", fmt::join(required, ",")));
}

}  // namespace surg::anonymize
