// URL redaction: whatever the text, a marked secret never survives it.
#include <string>
#include <string_view>

#include "fuzz.hpp"
#include "surg/core/redact.hpp"

namespace {

std::size_t count(std::string_view text, std::string_view word) {
  std::size_t n = 0;
  for (auto at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) ++n;
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace surg;
  const std::string text(fuzz::as_text(data, size));
  fuzz::expect_clean([&] {
    (void)redact_url(text);
    (void)redact_urls_in(text);
    // The fuzzed text as the query of an RTMP URL: the key after the app must not survive
    // (the text itself may contain the same word; those copies are not the key).
    const std::string secret = "K3yZZsecret";
    const std::string url = "rtmp://host/app/" + secret + "?" + text;
    const std::size_t given = count(text, secret);
    if (count(redact_url(url), secret) > given) __builtin_trap();
    if (count(redact_urls_in("x " + url + " y"), secret) > given) __builtin_trap();
  });
  return 0;
}
