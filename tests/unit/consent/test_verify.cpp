#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "surg/core/error.hpp"
#include "surg/ledger/verify.hpp"

using namespace surg::consent;
using namespace surg::consent::test;

namespace {

Verdict check(LedgerBuilder& b, const std::string& purpose, const std::string& platform = "",
              const std::string& case_id = "CASE-0213") {
  return verify(check_ledger(b.text()), case_id, purpose, platform, b.clock());
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

}  // namespace

TEST_CASE("verify: both consents in force and covering", "[verify]") {
  LedgerBuilder b;
  b.standard_case("CASE-0213");
  const Verdict v = check(b, "live-broadcast", "facebook");
  CHECK(v.ok);
  CHECK(v.code == Reason::ok);
  CHECK(v.anonymize == Names{"faces", "oob", "text"});  // patient's wishes + surgeon's
  CHECK(v.record_hash == b.ledger().entries.back().hash);
  CHECK(v.tag() == "CASE-0213:" + b.ledger().entries.back().hash);
  CHECK(v.until == at("2027-01-01T00:00:00Z"));
  CHECK(v.reason.find('\n') == std::string::npos);
  CHECK(check(b, "recording").ok);  // no platform: a local use
}

TEST_CASE("verify: every refusal reason", "[verify]") {
  LedgerBuilder b;
  SECTION("missing: nothing recorded") {
    b.standard_case("CASE-0001");
    const Verdict v = check(b, "live-broadcast");
    CHECK(v.code == Reason::missing);
    CHECK(v.reason == "CASE-0213: missing: no consent recorded for this case");
  }
  SECTION("missing: only the surgeon consented") {
    b.grant("CASE-0213", terms("surgeon", {"live-broadcast"}, {"facebook"}, {}));
    CHECK(check(b, "live-broadcast").code == Reason::missing);
    CHECK(starts_with(check(b, "live-broadcast").reason, "CASE-0213: missing: "));
  }
  SECTION("no surgeon consent") {
    b.grant("CASE-0213", terms("patient", {"live-broadcast"}, {"facebook"}, {"faces"}));
    CHECK(check(b, "live-broadcast").code == Reason::no_surgeon);
    CHECK(starts_with(check(b, "live-broadcast").reason, "CASE-0213: no surgeon consent"));
  }
  SECTION("expired, by the injected clock") {
    b.standard_case("CASE-0213");
    b.clock().set(at("2026-12-31T23:59:59Z"));
    CHECK(check(b, "live-broadcast").ok);
    b.clock().set(at("2027-01-01T00:00:00Z"));
    CHECK(check(b, "live-broadcast").code == Reason::expired);
    CHECK(starts_with(check(b, "live-broadcast").reason, "CASE-0213: expired: patient consent expired"));
  }
  SECTION("surgeon consent expired first") {
    b.grant("CASE-0213", terms("patient", {"live-broadcast"}, {}, {}, "2027-06-01T00:00:00Z"));
    b.grant("CASE-0213", terms("surgeon", {"live-broadcast"}, {}, {}, "2026-12-01T00:00:00Z"));
    b.clock().set(at("2026-12-02T00:00:00Z"));
    CHECK(starts_with(check(b, "live-broadcast").reason, "CASE-0213: expired: surgeon consent"));
  }
  SECTION("revoked, whole case") {
    b.standard_case("CASE-0213");
    b.revoke("CASE-0213");
    for (const char* purpose : {"live-broadcast", "recording", "teaching"}) {
      CHECK(check(b, purpose).code == Reason::revoked);
    }
    CHECK(starts_with(check(b, "recording").reason, "CASE-0213: revoked: "));
  }
  SECTION("revoked, one purpose") {
    b.standard_case("CASE-0213");
    b.revoke("CASE-0213", "live-broadcast");
    CHECK(check(b, "live-broadcast").code == Reason::revoked);
    CHECK(check(b, "recording").ok);
  }
  SECTION("not covering the purpose") {
    b.standard_case("CASE-0213");
    CHECK(check(b, "teaching").code == Reason::not_covering);  // the patient did not agree to teaching
    CHECK(check(b, "teaching").reason == "CASE-0213: not covering: patient consent does not cover teaching");
  }
  SECTION("not covering the platform") {
    b.standard_case("CASE-0213");
    CHECK(check(b, "live-broadcast", "intranet").code == Reason::not_covering);
    CHECK(check(b, "live-broadcast", "intranet").reason.find("platform intranet") != std::string::npos);
  }
  SECTION("bad signature") {
    b.standard_case("CASE-0213");
    std::string text = b.text();
    text[text.rfind("\"sig\":\"") + 10] ^= 0x01;
    const Verdict v = verify(check_ledger(text), "CASE-0213", "live-broadcast", "", b.clock());
    CHECK(v.code == Reason::bad_ledger);
    CHECK(starts_with(v.reason, "CASE-0213: bad signature: ledger line 3"));
  }
  SECTION("broken chain") {
    b.standard_case("CASE-0213");
    std::string text = b.text();
    const auto first_end = text.find('\n') + 1;
    const auto second_end = text.find('\n', first_end) + 1;
    text.erase(first_end, second_end - first_end);  // drop the patient's grant
    const Verdict v = verify(check_ledger(text), "CASE-0213", "live-broadcast", "", b.clock());
    CHECK(starts_with(v.reason, "CASE-0213: broken chain: ledger line 2"));
  }
  SECTION("a name as case id is refused without being echoed") {
    b.standard_case("CASE-0213");
    const Verdict v = check(b, "live-broadcast", "", "John Smith");
    CHECK_FALSE(v.ok);
    CHECK(v.reason.find("Smith") == std::string::npos);
  }
}

TEST_CASE("verify: a new grant after a revocation restores consent", "[verify]") {
  LedgerBuilder b;
  b.standard_case("CASE-0213");
  b.revoke("CASE-0213");
  CHECK_THROWS_AS(b.amend("CASE-0213", "patient", TermChanges{}), surg::ConsentError);
  b.standard_case("CASE-0213");
  CHECK(check(b, "live-broadcast").ok);
}

TEST_CASE("verify: a representative speaks for the patient; the latest of the two governs", "[verify]") {
  LedgerBuilder b;
  b.grant("CASE-0213", terms("patient", {"recording"}, {}, {"faces"}));
  b.grant("CASE-0213", terms("surgeon", {"live-broadcast", "recording"}, {"youtube"}, {}));
  CHECK(check(b, "live-broadcast").code == Reason::not_covering);
  b.grant("CASE-0213", terms("representative", {"live-broadcast"}, {"youtube"}, {"faces", "text"}));
  const Verdict v = check(b, "live-broadcast", "youtube");
  CHECK(v.ok);
  CHECK(v.anonymize == Names{"faces", "text"});
}

TEST_CASE("amend: carries terms over, never a withdrawn purpose", "[verify]") {
  LedgerBuilder b;
  b.standard_case("CASE-0213");
  b.revoke("CASE-0213", "recording");
  TermChanges later;
  later.expires = "2027-06-01T00:00:00Z";
  b.amend("CASE-0213", "patient", later);
  b.amend("CASE-0213", "surgeon", later);
  b.clock().set(at("2027-02-01T00:00:00Z"));
  CHECK(check(b, "live-broadcast", "facebook").ok);
  CHECK(check(b, "recording").code != Reason::ok);
  TermChanges again;
  again.purposes = Names{"live-broadcast", "recording"};
  b.amend("CASE-0213", "patient", again);
  CHECK(check(b, "recording").code == Reason::not_covering);  // the surgeon's amend dropped it too
  CHECK_THROWS_AS(b.amend("CASE-0213", "patient", TermChanges{}), surg::UsageError);
}

TEST_CASE("grant: refused while the same grantor's consent is in force", "[verify]") {
  LedgerBuilder b;
  b.standard_case("CASE-0213");
  CHECK_THROWS_AS(b.grant("CASE-0213", terms("patient", {"teaching"}, {}, {})), surg::UsageError);
  CHECK_THROWS_AS(b.revoke("CASE-9999"), surg::ConsentError);
  b.clock().set(at("2027-02-01T00:00:00Z"));  // expired: a fresh grant is allowed
  b.grant("CASE-0213", terms("patient", {"teaching"}, {}, {}, "2027-03-01T00:00:00Z"));
}
