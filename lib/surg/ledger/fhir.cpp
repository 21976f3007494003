#include "surg/ledger/fhir.hpp"

#include <sodium.h>

#include <algorithm>

#include "surg/core/error.hpp"
#include "surg/ledger/crypto.hpp"

namespace surg::consent {
namespace {

using nlohmann::json;

constexpr const char* kScopeSystem = "http://terminology.hl7.org/CodeSystem/consentscope";
constexpr const char* kLoinc = "http://loinc.org";
constexpr const char* kActionSystem = "http://terminology.hl7.org/CodeSystem/consentaction";
constexpr const char* kParticipationType = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
constexpr const char* kActReason = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
constexpr const char* kCaseSystem = "urn:surg:case";
constexpr const char* kRoleSystem = "urn:surg:case-role";
constexpr const char* kPlatformSystem = "urn:surg:platform";
constexpr const char* kPurposeSystem = "urn:surg:purpose";
constexpr const char* kPolicyUri = "urn:surg:consent-policy:1";

json coding(const char* system, const std::string& code, const std::string& display) {
  return {{"system", system}, {"code", code}, {"display", display}};
}

json concept_of(json code) { return {{"coding", json::array({std::move(code)})}}; }

// What each purpose does to the information (consentaction codes).
json action_of(const std::string& purpose) {
  if (purpose == "recording") return concept_of(coding(kActionSystem, "collect", "Collect"));
  if (purpose == "teaching") return concept_of(coding(kActionSystem, "use", "Use"));
  return concept_of(coding(kActionSystem, "disclose", "Disclose"));
}

// Teaching is v3 PurposeOfUse TRAIN; broadcasting and recording have no PurposeOfUse code, so
// they use surg's own (the binding is extensible).
json purpose_of(const std::string& purpose) {
  if (purpose == "teaching") return coding(kActReason, "TRAIN", "training");
  return {{"system", kPurposeSystem}, {"code", purpose}};
}

// RFC 6920 named-information URI of a SHA-256 digest (Attachment.hash is SHA-1 only).
std::string ni_uri(const std::string& sha256_hex) {
  unsigned char digest[32];
  if (!from_hex(sha256_hex, digest, sizeof digest)) return {};
  char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(b64, sizeof b64, digest, sizeof digest, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string("ni:///sha-256;") + b64;
}

json reference(const char* type, const char* system, const std::string& value) {
  return {{"type", type}, {"identifier", {{"system", system}, {"value", value}}}};
}

json actors(const CaseState& state, const Consent& consent) {
  json list = json::array();
  list.push_back({{"role", concept_of(coding(kParticipationType, "PPRF", "primary performer"))},
                  {"reference", reference("Practitioner", kRoleSystem, state.case_id + "/surgeon")}});
  for (const auto& platform : consent.terms.platforms) {
    json ref = reference("Organization", kPlatformSystem, platform);
    ref["display"] = platform;
    list.push_back({{"role", concept_of(coding(kParticipationType, "IRCP", "information recipient"))},
                    {"reference", std::move(ref)}});
  }
  return list;
}

json period_of(const Consent& consent) {
  std::string end = consent.terms.expires;
  if (consent.revoked) end = std::min(end, consent.revoked_at);  // same UTC format: ordered as text
  return {{"start", consent.granted}, {"end", end}};
}

json extensions_of(const Consent& consent) {
  json list = json::array();
  for (const auto& what : consent.terms.anonymize)
    list.push_back({{"url", "urn:surg:fhir:anonymize"}, {"valueCode", what}});
  list.push_back({{"url", "urn:surg:fhir:audience"}, {"valueCode", consent.terms.audience}});
  return list;
}

json provision_of(const CaseState& state, const Consent& consent) {
  json provision = {{"type", "permit"},
                    {"period", period_of(consent)},
                    {"actor", actors(state, consent)},
                    {"extension", extensions_of(consent)}};
  json actions = json::array(), purposes = json::array(), denials = json::array();
  for (const auto& purpose : consent.live_purposes()) {
    actions.push_back(action_of(purpose));
    purposes.push_back(purpose_of(purpose));
  }
  for (const auto& purpose : consent.revoked_purposes) {
    denials.push_back({{"type", "deny"},
                       {"action", json::array({action_of(purpose)})},
                       {"purpose", json::array({purpose_of(purpose)})}});
  }
  if (!actions.empty()) provision["action"] = std::move(actions);
  if (!purposes.empty()) provision["purpose"] = std::move(purposes);
  if (!denials.empty()) provision["provision"] = std::move(denials);
  return provision;
}

json performer_of(const CaseState& state, const Consent& consent) {
  if (consent.terms.grantor == "patient") return reference("Patient", kCaseSystem, state.case_id);
  return reference("RelatedPerson", kRoleSystem, state.case_id + "/" + consent.terms.grantor);
}

}  // namespace

json to_fhir_r4(const CaseState& state, const Clock& clock) {
  const Consent* subject = subject_consent(state);
  if (subject == nullptr)
    throw ConsentError(state.case_id + ": missing: no patient or representative consent to export");
  const bool active = subject->in_force(clock.now()) && !subject->live_purposes().empty();
  json resource = {
      {"resourceType", "Consent"},
      {"id", subject->record_hash},
      {"identifier",
       json::array({{{"system", "urn:surg:consent"}, {"value", state.case_id + ":" + state.last_hash}}})},
      {"status", active ? "active" : "inactive"},
      {"scope", concept_of(coding(kScopeSystem, "patient-privacy", "Privacy Consent"))},
      {"category", json::array({concept_of(coding(kLoinc, "59284-0", "Patient Consent"))})},
      {"patient", {{"identifier", {{"system", kCaseSystem}, {"value", state.case_id}}}}},
      {"dateTime", subject->granted},
      {"performer", json::array({performer_of(state, *subject)})},
      {"policy", json::array({{{"uri", kPolicyUri}}})},
      {"provision", provision_of(state, *subject)},
  };
  if (!subject->terms.form_sha256.empty())
    resource["sourceAttachment"] = {{"url", ni_uri(subject->terms.form_sha256)},
                                    {"title", "signed consent form"}};
  return resource;
}

}  // namespace surg::consent
