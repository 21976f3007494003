// Privacy zone profiles (--zones, TOML): rectangles relative to the frame.
#include <string>

#include "fuzz.hpp"
#include "surg/anonymize/zones.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace surg;
  fuzz::quiet();
  fuzz::expect_clean(
      [&] { (void)anonymize::parse_zones(std::string(fuzz::as_text(data, size)), "fuzz.toml"); });
  return 0;
}
