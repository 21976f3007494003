// Consent ledger lines: canonical JSON parsing, the strict entry reader, and a whole
// ledger's chain check (the file an attacker with write access could tamper with).
#include <string>

#include "fuzz.hpp"
#include "surg/ledger/canonical.hpp"
#include "surg/ledger/entry.hpp"
#include "surg/ledger/ledger.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace surg;
  fuzz::quiet();
  const std::string_view text = fuzz::as_text(data, size);
  fuzz::expect_clean([&] {
    const std::string_view line = text.substr(0, text.find('\n'));
    if (auto json = consent::parse_canonical(line)) (void)consent::entry_from_json(*json);
  });
  fuzz::expect_clean([&] { (void)consent::check_ledger(text); });
  return 0;
}
