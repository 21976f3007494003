#pragma once
// A check run on TOML text before toml++ parses it. toml++ 3.3 (Debian 12) enters parse_key()
// with a broken precondition on a table header such as "[&a]", "[[[1]]]" or "[[=": a debug
// build aborts on its assertion, a release build (where the assertion becomes an assumption)
// has undefined behaviour. Found by tests/fuzz (fuzz_config); fixed upstream in toml++ PR 301.
#include <string>
#include <string_view>

namespace surg {

// Throws UsageError "ORIGIN:LINE: invalid table header" for a line that starts a table
// header ('[' or '[[' then optional blanks) with a character that cannot start a key.
// Lines inside multi-line strings are skipped.
void check_toml_headers(std::string_view text, const std::string& origin);

}  // namespace surg
