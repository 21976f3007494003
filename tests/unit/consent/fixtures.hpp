#pragma once
// Builds ledgers in memory for the consent tests: a key, then entries sealed one by one,
// exactly as Store::append does but without a disk.
#include <string>

#include "surg/consent/actions.hpp"
#include "surg/ledger/ledger.hpp"
#include "surg/ledger/timestamp.hpp"

namespace surg::consent::test {

inline TimePoint at(const char* iso) { return *parse_timestamp(iso); }

inline Terms terms(const std::string& grantor, Names purposes, Names platforms, Names anonymize,
                   const std::string& expires = "2027-01-01T00:00:00Z") {
  return Terms{grantor, std::move(purposes), std::move(platforms), std::move(anonymize), "adults", expires,
               ""};
}

class LedgerBuilder {
 public:
  explicit LedgerBuilder(const char* now = "2026-11-28T08:00:00Z")
      : key_(SecretKey::generate()), clock_(at(now)) {
    Entry genesis;
    genesis.type = EntryType::key;
    genesis.key = key_.public_hex();
    genesis.time = format_utc(clock_.now());
    add(genesis);
  }
  FixedClock& clock() { return clock_; }
  const SecretKey& key() const { return key_; }
  const Ledger& ledger() const { return ledger_; }
  std::string text() const { return text_; }

  const Entry& add(Entry draft) {
    Entry entry = seal_entry(std::move(draft), ledger_, key_);
    text_ += entry.line + "\n";
    ledger_.entries.push_back(entry);
    ledger_.audit = check_ledger(text_).audit;
    return ledger_.entries.back();
  }
  const Entry& grant(const std::string& case_id, const Terms& t) {
    return add(grant_entry(ledger_, case_id, t, clock_));
  }
  const Entry& amend(const std::string& case_id, const std::string& grantor, const TermChanges& c) {
    return add(amend_entry(ledger_, case_id, grantor, c, clock_));
  }
  const Entry& revoke(const std::string& case_id, const std::string& purpose = "") {
    return add(revoke_entry(ledger_, case_id, purpose, clock_));
  }
  // A typical case: patient (faces,oob) and surgeon (text) both consenting to broadcast and
  // recording on facebook/youtube until 2027-01-01.
  void standard_case(const std::string& case_id) {
    grant(case_id,
          terms("patient", {"live-broadcast", "recording"}, {"facebook", "youtube"}, {"faces", "oob"}));
    grant(case_id,
          terms("surgeon", {"live-broadcast", "recording", "teaching"}, {"facebook", "youtube"}, {"text"}));
  }

 private:
  SecretKey key_;
  FixedClock clock_;
  Ledger ledger_;
  std::string text_;
};

}  // namespace surg::consent::test
