#pragma once
// Shared by the libFuzzer targets (doc/architecture.md, "Fuzzing"): a target feeds bytes to
// one parser; a typed surg::Error is the clear refusal we want, anything else that escapes
// (another exception, a sanitizer report, a hang) is a bug the fuzzer reports.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <spdlog/spdlog.h>

#include "surg/core/error.hpp"

namespace surg::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Parsers log what they skip; millions of inputs would flood the terminal.
inline void quiet() {
  static const bool done = [] {
    spdlog::set_level(spdlog::level::off);
    return true;
  }();
  (void)done;
}

template <class F>
void expect_clean(F&& f) {
  try {
    f();
  } catch (const surg::Error&) {
    // refused with a typed error: exactly what a tool turns into its exit status
  }
}

}  // namespace surg::fuzz
