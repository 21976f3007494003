#include <catch2/catch.hpp>

#include <chrono>

#include "fixtures.hpp"
#include "surg/core/error.hpp"
#include "surg/ledger/canonical.hpp"

using namespace surg::consent;
using namespace surg::consent::test;

namespace {

// Five entries: key, two grants, an amend and a partial revoke (~1.8 kB).
LedgerBuilder sample() {
  LedgerBuilder b;
  b.standard_case("CASE-0213");
  TermChanges longer;
  longer.expires = "2027-06-01T00:00:00Z";
  b.amend("CASE-0213", "patient", longer);
  b.revoke("CASE-0213", "recording");
  return b;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  for (std::size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(text.substr(start, end - start));
  return lines;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

}  // namespace

TEST_CASE("a sealed ledger passes audit", "[ledger]") {
  auto b = sample();
  const Ledger ledger = check_ledger(b.text());
  REQUIRE(ledger.audit.ok());
  CHECK(ledger.audit.entries == 5);
  CHECK(ledger.entries.front().prev == kGenesisPrev);
  for (std::size_t i = 1; i < ledger.entries.size(); ++i) {
    CHECK(ledger.entries[i].seq == static_cast<std::int64_t>(i));
    CHECK(ledger.entries[i].prev == sha256_hex(ledger.entries[i - 1].line));
  }
  CHECK(ledger.audit.head_hash == sha256_hex(ledger.entries.back().line));
  CHECK(ledger.audit.genesis_key == b.key().public_hex());
}

TEST_CASE("entries are canonical JSON carrying the signature over the rest", "[ledger]") {
  auto b = sample();
  for (const auto& line : lines_of(b.text())) {
    auto value = parse_canonical(line);
    REQUIRE(value);
    const std::string sig = (*value)["sig"];
    value->erase("sig");
    CHECK(verify_signature(canonical(*value), sig, b.key().public_hex()));
  }
}

TEST_CASE("changing any single byte of the ledger fails audit", "[ledger][slow]") {
  auto b = sample();
  const std::string text = b.text();
  REQUIRE(check_ledger(text).audit.ok());
  const auto start = std::chrono::steady_clock::now();
  std::size_t trials = 0;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    // Bit flips, case flips and the characters most likely to keep JSON well-formed.
    for (unsigned char replacement : {char(text[pos] ^ 0x01), char(text[pos] ^ 0x20), char(text[pos] ^ 0x80),
                                      '0', 'f', ' ', '\n', '"', '}'}) {
      if (replacement == static_cast<unsigned char>(text[pos])) continue;
      std::string changed = text;
      changed[pos] = static_cast<char>(replacement);
      const Audit audit = check_ledger(changed).audit;
      ++trials;
      if (audit.ok()) FAIL("byte " << pos << " changed to " << int(replacement) << " passed audit");
      // The first bad entry is the line holding the byte (or, for a newline, the one it ends).
      const std::size_t line = std::count(text.begin(), text.begin() + static_cast<long>(pos), '\n') + 1;
      CHECK(audit.bad_line == line);
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  WARN(trials << " single-byte changes of " << text.size() << " bytes, all refused, in " << seconds << " s");
}

TEST_CASE("a removed, reordered, duplicated or truncated entry fails audit", "[ledger]") {
  auto b = sample();
  const auto lines = lines_of(b.text());
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {  // removing the last one is a shorter valid ledger
    auto removed = lines;
    removed.erase(removed.begin() + static_cast<long>(i));
    const Audit audit = check_ledger(join_lines(removed)).audit;
    CHECK_FALSE(audit.ok());
    CHECK(audit.bad_line == i + 1);
  }
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    auto swapped = lines;
    std::swap(swapped[i], swapped[i + 1]);
    CHECK(check_ledger(join_lines(swapped)).audit.bad_line == i + 1);
  }
  auto duplicated = lines;
  duplicated.push_back(lines.back());
  CHECK(check_ledger(join_lines(duplicated)).audit.fault == Fault::chain);
  CHECK(check_ledger(b.text().substr(0, b.text().size() - 1)).audit.fault == Fault::malformed);
  CHECK(check_ledger(b.text() + "\n").audit.fault == Fault::malformed);
}

TEST_CASE("an appended entry without a valid signature fails audit", "[ledger]") {
  auto b = sample();
  const Ledger ledger = check_ledger(b.text());
  Entry draft;
  draft.type = EntryType::revoke;
  draft.case_id = "CASE-0213";
  draft.time = "2026-11-28T09:00:00Z";

  SECTION("signed by another key") {
    const SecretKey intruder = SecretKey::generate();
    Ledger pretend = ledger;
    pretend.audit.current_key = intruder.public_hex();  // what an intruder would need the audit to believe
    Entry forged = seal_entry(draft, pretend, intruder);
    const Audit audit = check_ledger(b.text() + forged.line + "\n").audit;
    CHECK(audit.fault == Fault::signature);
    CHECK(audit.bad_line == 6);
  }
  SECTION("with the signature removed or zeroed") {
    Entry sealed = seal_entry(draft, ledger, b.key());
    auto value = nlohmann::json::parse(sealed.line);
    value["sig"] = std::string(128, '0');
    CHECK(check_ledger(b.text() + canonical(value) + "\n").audit.fault == Fault::signature);
    value.erase("sig");
    CHECK(check_ledger(b.text() + canonical(value) + "\n").audit.fault == Fault::malformed);
  }
  SECTION("a properly signed entry is accepted") {
    Entry sealed = seal_entry(draft, ledger, b.key());
    CHECK(check_ledger(b.text() + sealed.line + "\n").audit.ok());
  }
}

TEST_CASE("key rotation: the new key signs from the rotation on, the old key no longer", "[ledger]") {
  auto b = sample();
  const SecretKey next = SecretKey::generate();
  Entry rotation;
  rotation.type = EntryType::key;
  rotation.key = next.public_hex();
  rotation.time = "2026-11-28T09:00:00Z";
  std::string text = b.text() + seal_entry(rotation, b.ledger(), b.key()).line + "\n";
  Ledger rotated = check_ledger(text);
  REQUIRE(rotated.audit.ok());
  CHECK(rotated.audit.current_key == next.public_hex());
  CHECK(rotated.audit.genesis_key == b.key().public_hex());

  Entry revoke;
  revoke.type = EntryType::revoke;
  revoke.case_id = "CASE-0213";
  revoke.time = "2026-11-28T09:01:00Z";
  CHECK(check_ledger(text + seal_entry(revoke, rotated, next).line + "\n").audit.ok());
  Ledger stale = rotated;
  stale.audit.current_key = b.key().public_hex();
  CHECK(check_ledger(text + seal_entry(revoke, stale, b.key()).line + "\n").audit.fault == Fault::signature);
}

TEST_CASE("schema violations are malformed even when signed", "[ledger]") {
  LedgerBuilder b;
  auto sign_raw = [&](nlohmann::json value) {
    value["v"] = 1;
    value["seq"] = 1;
    value["prev"] = b.ledger().audit.head_hash;
    value["time"] = "2026-11-28T09:00:00Z";
    value["sig"] = b.key().sign_hex(canonical(value));
    return check_ledger(b.text() + canonical(value) + "\n").audit;
  };
  CHECK(sign_raw({{"type", "revoke"}, {"case", "John Smith"}}).fault == Fault::malformed);
  CHECK(sign_raw({{"type", "revoke"}, {"case", "CASE-1"}, {"name", "x"}}).fault == Fault::malformed);
  CHECK(sign_raw({{"type", "revoke"}, {"case", "CASE-1"}, {"purpose", "marketing"}}).fault ==
        Fault::malformed);
  CHECK(sign_raw({{"type", "erase"}, {"case", "CASE-1"}}).fault == Fault::malformed);
  CHECK(sign_raw({{"type", "revoke"}, {"case", "CASE-1"}}).ok());
}
