// The surg stream reader: NUT bytes in, as a hostile upstream or a damaged file gives them.
#include <unistd.h>

#include <cstdio>
#include <string>

extern "C" {
#include <libavutil/log.h>
}

#include "fuzz.hpp"
#include "surg/media/stream.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace surg;
  fuzz::quiet();
  av_log_set_level(AV_LOG_QUIET);
  static const std::string path = "/tmp/surg-fuzz-stream-" + std::to_string(getpid()) + ".nut";
  if (FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
  }
  fuzz::expect_clean([&] {
    media::Reader reader(path);
    const auto& v = *reader.info().video;
    if (v.width <= 0 || v.height <= 0 || v.width > media::kMaxFrameSide || v.height > media::kMaxFrameSide)
      __builtin_trap();
    for (int units = 0; units < 64; ++units) {
      auto unit = reader.next();
      if (!unit) break;
      if (unit->kind == media::Kind::video &&
          (unit->frame->width != v.width || unit->frame->height != v.height))
        __builtin_trap();
      if (unit->kind == media::Kind::audio) (void)reader.decode_audio(*unit->packet);
    }
  });
  return 0;
}
