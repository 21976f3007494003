// Durations, sizes, frame rates and bitrates as options and config files give them.
#include "fuzz.hpp"
#include "surg/core/units.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace surg;
  const std::string_view text = fuzz::as_text(data, size);
  fuzz::expect_clean([&] {
    const Micros d = parse_duration(text);
    if (d.count() < 0) __builtin_trap();  // a duration is never negative
  });
  fuzz::expect_clean([&] {
    const Size s = parse_size(text);
    if (s.width < 16 || s.height < 16 || s.width > 8192 || s.height > 8192) __builtin_trap();
  });
  fuzz::expect_clean([&] {
    const Rate r = parse_rate(text);
    if (r.num <= 0 || r.den <= 0) __builtin_trap();
  });
  fuzz::expect_clean([&] {
    if (parse_bitrate(text) <= 0) __builtin_trap();
  });
  return 0;
}
