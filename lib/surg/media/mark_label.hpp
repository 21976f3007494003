#pragma once
// A chapter mark's label becomes a chapter title inside recordings, a line of push's
// REC.marks sidecar and of --events, which players, editors and log readers show. So it is
// checked wherever it enters a tool, surg-annotate's control FIFO and a mark read from a
// stream: valid UTF-8, no control character, at most kMaxMarkLabelBytes. A label that fails
// is refused with a warning and the stream goes on without that mark (doc/stream.md).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace surg::media {

inline constexpr std::size_t kMaxMarkLabelBytes = 256;

// Why `label` cannot title a chapter ("is not valid UTF-8", "holds a control character
// (U+0007)", "is 300 bytes, more than 256"), or nullopt when it can. Control characters are
// C0 (tabs and newlines too: a title is one line), DEL and C1.
std::optional<std::string> mark_label_problem(std::string_view label);

}  // namespace surg::media
