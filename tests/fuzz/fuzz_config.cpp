// Config files (TOML): the [common] and a tool's table become option tokens.
#include <unistd.h>

#include <cstdio>
#include <string>

#include "fuzz.hpp"
#include "surg/config/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace surg;
  fuzz::quiet();
  // The loader takes a path (it names it in errors): one scratch file a process.
  static const std::string path = "/tmp/surg-fuzz-config-" + std::to_string(getpid()) + ".toml";
  if (FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
  }
  fuzz::expect_clean([&] { (void)config::load_file(path, "push", true); });
  return 0;
}
