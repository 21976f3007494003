// Caption files (--captions): SRT and WebVTT.
#include "fuzz.hpp"
#include "surg/annotate/captions.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace surg;
  const std::string_view text = fuzz::as_text(data, size);
  fuzz::expect_clean([&] {
    for (const auto& cue : annotate::parse_captions(text, "fuzz.srt"))
      if (cue.end < cue.start) __builtin_trap();
  });
  fuzz::expect_clean([&] { (void)annotate::parse_srt(text, "fuzz.srt"); });
  fuzz::expect_clean([&] { (void)annotate::parse_webvtt(text, "fuzz.vtt"); });
  return 0;
}
