// The FHIR export checked against the R4 (4.0.1) Consent structure: element names and
// cardinalities, required elements, the invariants ppc-1..5, and the required/extensible
// value sets this export uses. A hand-written structural validator (no FHIR validator is
// packaged here); the expectations come from hl7.org/fhir/R4/consent.html.
#include <catch2/catch.hpp>

#include <regex>
#include <set>

#include "fixtures.hpp"
#include "surg/core/error.hpp"
#include "surg/ledger/fhir.hpp"

using namespace surg::consent;
using namespace surg::consent::test;
using nlohmann::json;

namespace {

const std::set<std::string> kConsentElements{"resourceType",    "id",           "meta",
                                             "implicitRules",   "language",     "text",
                                             "contained",       "extension",    "modifierExtension",
                                             "identifier",      "status",       "scope",
                                             "category",        "patient",      "dateTime",
                                             "performer",       "organization", "sourceAttachment",
                                             "sourceReference", "policy",       "policyRule",
                                             "verification",    "provision"};
const std::set<std::string> kProvisionElements{
    "id",     "extension",     "modifierExtension", "type",  "period", "actor",
    "action", "securityLabel", "purpose",           "class", "code",   "dataPeriod",
    "data",   "provision"};
const std::set<std::string> kStatus{"draft",    "proposed", "active",
                                    "rejected", "inactive", "entered-in-error"};
const std::set<std::string> kScope{"adr", "research", "patient-privacy", "treatment"};
const std::set<std::string> kActions{"collect", "access", "use", "disclose", "correct"};
const std::regex kDateTime(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$)");
const std::regex kId(R"(^[A-Za-z0-9\-\.]{1,64}$)");

void check_codings(const json& concept_, const std::string& system, const std::set<std::string>& codes) {
  REQUIRE(concept_.contains("coding"));
  bool found = false;
  for (const auto& c : concept_["coding"]) {
    if (c.value("system", "") == system) {
      CHECK(codes.count(c["code"].get<std::string>()) == 1);
      found = true;
    }
  }
  CHECK(found);
}

void check_reference(const json& ref) {
  REQUIRE(ref.is_object());
  CHECK((ref.contains("reference") || ref.contains("identifier") || ref.contains("display")));
  if (ref.contains("identifier")) {
    CHECK(ref["identifier"]["system"].is_string());
    CHECK(ref["identifier"]["value"].is_string());
  }
}

void check_provision(const json& p) {
  for (const auto& [key, value] : p.items()) CHECK(kProvisionElements.count(key) == 1);
  if (p.contains("type")) CHECK((p["type"] == "permit" || p["type"] == "deny"));
  if (p.contains("period")) {
    CHECK(std::regex_match(p["period"]["start"].get<std::string>(), kDateTime));
    CHECK(std::regex_match(p["period"]["end"].get<std::string>(), kDateTime));
    CHECK(p["period"]["start"].get<std::string>() <= p["period"]["end"].get<std::string>());
  }
  for (const auto& actor : p.value("actor", json::array())) {
    REQUIRE(actor.contains("role"));       // 1..1
    REQUIRE(actor.contains("reference"));  // 1..1
    check_codings(actor["role"], "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                  {"PPRF", "IRCP"});
    check_reference(actor["reference"]);
  }
  for (const auto& action : p.value("action", json::array()))
    check_codings(action, "http://terminology.hl7.org/CodeSystem/consentaction", kActions);
  for (const auto& purpose : p.value("purpose", json::array())) {  // Coding, not CodeableConcept
    CHECK(purpose.contains("system"));
    CHECK(purpose.contains("code"));
    if (purpose["system"] == "http://terminology.hl7.org/CodeSystem/v3-ActReason")
      CHECK(purpose["code"] == "TRAIN");
  }
  for (const auto& nested : p.value("provision", json::array())) check_provision(nested);
}

// Validates `r` as an R4 Consent; returns nothing, fails the test case on violations.
void validate_r4_consent(const json& r) {
  REQUIRE(r["resourceType"] == "Consent");
  for (const auto& [key, value] : r.items()) {
    INFO(key);
    CHECK(kConsentElements.count(key) == 1);
  }
  CHECK(std::regex_match(r["id"].get<std::string>(), kId));
  REQUIRE(r.contains("status"));  // 1..1, required binding ConsentState
  CHECK(kStatus.count(r["status"].get<std::string>()) == 1);
  REQUIRE(r.contains("scope"));  // 1..1, extensible ConsentScopeCodes
  check_codings(r["scope"], "http://terminology.hl7.org/CodeSystem/consentscope", kScope);
  REQUIRE(r["category"].is_array());  // 1..*
  REQUIRE_FALSE(r["category"].empty());
  check_codings(r["category"][0], "http://loinc.org", {"59284-0"});
  CHECK((r.contains("policy") || r.contains("policyRule")));  // ppc-1
  CHECK(r.contains("patient"));  // ppc-2..5: each of the four scopes needs a patient
  check_reference(r["patient"]);
  CHECK(std::regex_match(r["dateTime"].get<std::string>(), kDateTime));
  for (const auto& performer : r.value("performer", json::array())) check_reference(performer);
  for (const auto& policy : r["policy"]) CHECK((policy.contains("uri") || policy.contains("authority")));
  CHECK_FALSE((r.contains("sourceAttachment") && r.contains("sourceReference")));  // source[x] 0..1
  REQUIRE(r.contains("provision"));
  check_provision(r["provision"]);
}

// Every string in the resource: none may carry anything but codes, hashes, times and the case id.
void collect_strings(const json& value, std::vector<std::string>& out) {
  if (value.is_string()) out.push_back(value);
  if (value.is_structured())
    for (const auto& item : value) collect_strings(item, out);
}

CaseState state_of(LedgerBuilder& b) { return fold_case(b.ledger().entries, "CASE-0213"); }

}  // namespace

TEST_CASE("fhir: an active consent is a valid R4 Consent", "[fhir]") {
  LedgerBuilder b;
  b.standard_case("CASE-0213");
  const json r = to_fhir_r4(state_of(b), b.clock());
  validate_r4_consent(r);
  CHECK(r["status"] == "active");
  CHECK(r["scope"]["coding"][0]["code"] == "patient-privacy");
  CHECK(r["patient"]["identifier"]["value"] == "CASE-0213");
  CHECK(r["provision"]["type"] == "permit");
  CHECK(r["provision"]["period"]["end"] == "2027-01-01T00:00:00Z");
  CHECK(r["provision"]["action"].size() == 2);  // disclose (broadcast), collect (recording)
  CHECK(r["provision"]["actor"].size() == 3);   // surgeon + facebook + youtube
  std::vector<std::string> strings;
  collect_strings(r, strings);
  // Codes, URIs, hashes, times, the case id, and the code systems' own display texts.
  const std::regex kAllowed(
      R"(^(https?://[A-Za-z0-9/.-]+|urn:[a-z0-9:-]+|ni:///sha-256;[A-Za-z0-9_-]+|[a-z-]+|[A-Z]+|CASE-0213[:/a-z0-9]*|[0-9a-f]{64}|[0-9TZ:-]+|59284-0)$)");
  const std::set<std::string> kDisplays{"Patient Consent",
                                        "Privacy Consent",
                                        "primary performer",
                                        "information recipient",
                                        "Disclose",
                                        "Collect",
                                        "Use",
                                        "training",
                                        "Consent",
                                        "Patient",
                                        "Practitioner",
                                        "Organization",
                                        "RelatedPerson"};
  for (const auto& s : strings) {
    INFO(s);
    CHECK((std::regex_match(s, kAllowed) || kDisplays.count(s) == 1));
  }
}

TEST_CASE("fhir: withdrawn purposes become deny provisions; revoked is inactive", "[fhir]") {
  LedgerBuilder b;
  b.standard_case("CASE-0213");
  b.revoke("CASE-0213", "recording");
  json r = to_fhir_r4(state_of(b), b.clock());
  validate_r4_consent(r);
  REQUIRE(r["provision"]["provision"].size() == 1);
  CHECK(r["provision"]["provision"][0]["type"] == "deny");
  CHECK(r["provision"]["provision"][0]["action"][0]["coding"][0]["code"] == "collect");
  b.clock().set(at("2026-11-28T09:00:00Z"));
  b.revoke("CASE-0213");
  r = to_fhir_r4(state_of(b), b.clock());
  validate_r4_consent(r);
  CHECK(r["status"] == "inactive");
  CHECK(r["provision"]["period"]["end"] == "2026-11-28T09:00:00Z");
}

TEST_CASE("fhir: expiry makes it inactive; the form is referenced by digest only", "[fhir]") {
  LedgerBuilder b;
  Terms t = terms("representative", {"teaching"}, {"intranet"}, {"faces"});
  t.form_sha256 = std::string(64, 'a');
  b.grant("CASE-0213", t);
  b.clock().set(at("2027-01-01T00:00:00Z"));
  const json r = to_fhir_r4(state_of(b), b.clock());
  validate_r4_consent(r);
  CHECK(r["status"] == "inactive");
  CHECK(r["performer"][0]["type"] == "RelatedPerson");
  CHECK(r["provision"]["purpose"][0]["code"] == "TRAIN");
  CHECK(r["sourceAttachment"]["url"].get<std::string>().rfind("ni:///sha-256;", 0) == 0);
  CHECK_FALSE(r["sourceAttachment"].contains("data"));
}

TEST_CASE("fhir: no patient-side consent, no export", "[fhir]") {
  LedgerBuilder b;
  b.grant("CASE-0213", terms("surgeon", {"teaching"}, {}, {}));
  CHECK_THROWS_AS(to_fhir_r4(state_of(b), b.clock()), surg::ConsentError);
}
