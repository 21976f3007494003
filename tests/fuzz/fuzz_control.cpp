// Bytes arriving on a --control FIFO: split into bounded lines, each parsed as a command.
#include "fuzz.hpp"
#include "surg/control/control.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace surg;
  fuzz::quiet();
  // A small line bound so that over-long lines are reached by small inputs.
  control::LineSplitter lines(256);
  const std::string_view bytes = fuzz::as_text(data, size);
  const std::size_t half = size / 2;  // two reads, so a line can straddle them
  const auto on_line = [](std::string_view line) {
    if (line.size() > 256) __builtin_trap();
    if (auto command = control::parse_command(line); command && !(*command)["cmd"].is_string())
      __builtin_trap();
  };
  fuzz::expect_clean([&] {
    lines.feed(bytes.substr(0, half), on_line);
    lines.feed(bytes.substr(half), on_line);
  });
  // And the whole input as one line, with the real bound.
  fuzz::expect_clean([&] { (void)control::parse_command(bytes); });
  return 0;
}
