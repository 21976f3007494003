#include "surg/core/toml_guard.hpp"

#include <cctype>

#include "surg/core/error.hpp"

namespace surg {
namespace {

bool starts_key(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '"' || c == '\'';
}

// Whether a line opens or closes a multi-line string: an odd count of """ or ''' toggles.
bool toggles_multiline(std::string_view line) {
  int count = 0;
  for (std::string_view q : {"\"\"\"", "'''"})
    for (auto at = line.find(q); at != std::string_view::npos; at = line.find(q, at + 3)) ++count;
  return count % 2 == 1;
}

bool bad_header(std::string_view line) {
  const auto first = line.find_first_not_of(" \t");
  if (first == std::string_view::npos || line[first] != '[') return false;
  std::size_t i = first + 1;
  if (i < line.size() && line[i] == '[') ++i;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return i >= line.size() || !starts_key(line[i]);
}

}  // namespace

void check_toml_headers(std::string_view text, const std::string& origin) {
  bool in_multiline = false;
  int number = 0;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    ++number;
    if (!in_multiline && bad_header(line))
      throw UsageError(origin + ":" + std::to_string(number) +
                       ": invalid table header (a key must follow '[')");
    if (toggles_multiline(line)) in_multiline = !in_multiline;
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

}  // namespace surg
