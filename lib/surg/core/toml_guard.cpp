#include "surg/core/toml_guard.hpp"

#include <cctype>

#include "surg/core/error.hpp"

namespace surg {
namespace {

bool starts_key(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '"' || c == '\'';
}

bool bad_header(std::string_view line) {
  const auto first = line.find_first_not_of(" \t");
  if (first == std::string_view::npos || line[first] != '[') return false;
  std::size_t i = first + 1;
  if (i < line.size() && line[i] == '[') ++i;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return i >= line.size() || !starts_key(line[i]);
}

enum class State { code, comment, basic, literal, ml_basic, ml_literal };

// A quote opens a string only where a value or key can start. Inside a bare token ("0.0^\"")
// toml++ reads on, quotes included, up to the next blank, ',', ']', '}' or '#' to find the
// token's end, and asks of each character whether it is whitespace (fuzz_zones).
bool starts_token(std::string_view text, std::size_t i) {
  return i == 0 || std::string_view(" \t\r\n=[{,.").find(text[i - 1]) != std::string_view::npos;
}

// The state after character text[i] (advancing i past a closing or opening triple quote).
State step(State state, std::string_view text, std::size_t& i) {
  const char c = text[i];
  const bool triple = i + 2 < text.size() && text[i + 1] == c && text[i + 2] == c;
  switch (state) {
    case State::code:
      if (c == '#') return State::comment;
      if ((c == '"' || c == '\'') && !starts_token(text, i)) return state;
      if (c == '"') return triple ? (i += 2, State::ml_basic) : State::basic;
      if (c == '\'') return triple ? (i += 2, State::ml_literal) : State::literal;
      return state;
    case State::comment:
      return c == '\n' ? State::code : state;
    case State::basic:
    case State::ml_basic:
      if (c == '\\')
        ++i;  // the escaped character (an escaped newline is counted by the caller)
      else if (c == '"' && (state == State::basic || triple))
        return state == State::ml_basic ? (i += 2, State::code) : State::code;
      else if (c == '\n' && state == State::basic)
        return State::code;  // unterminated: toml++ says so
      return state;
    case State::literal:
    case State::ml_literal:
      if (c == '\'' && (state == State::literal || triple))
        return state == State::ml_literal ? (i += 2, State::code) : State::code;
      if (c == '\n' && state == State::literal) return State::code;
      return state;
  }
  return state;
}

// Outside strings and comments TOML 1.0 is ASCII. toml++ 3.3 reaches TOML_UNREACHABLE
// (undefined behaviour in a release build) when it asks whether some non-ASCII characters
// there are whitespace (is_non_ascii_horizontal_whitespace, e.g. U+00CE or U+FEBF): found by
// fuzz_config and fuzz_zones. Returns the 1-based line of the first such byte, or 0.
int non_ascii_outside_strings(std::string_view text) {
  State state = State::code;
  int line = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (state == State::code && static_cast<unsigned char>(text[i]) >= 0x80) return line;
    const std::size_t from = i;
    state = step(state, text, i);
    for (std::size_t j = from; j <= i && j < text.size(); ++j) line += text[j] == '\n';
  }
  return 0;
}

// TOML 1.0 allows no control character but tab, newline and carriage return anywhere (in
// strings and comments neither). toml++ 3.3 asserts (undefined behaviour in a release build)
// on some of them, e.g. a NUL after "key = [}": found by fuzz_config. Returns the 1-based line
// of the first one, or 0.
int control_character(std::string_view text) {
  int line = 1;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n')
      ++line;
    else if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f)
      return line;
  }
  return 0;
}

}  // namespace

void check_toml_headers(std::string_view text, const std::string& origin) {
  if (const int line = control_character(text))
    throw UsageError(origin + ":" + std::to_string(line) + ": control character in a TOML file");
  if (const int line = non_ascii_outside_strings(text))
    throw UsageError(origin + ":" + std::to_string(line) +
                     ": non-ASCII character outside a string or comment");
  // Lines that start inside a multi-line string are not headers; the string state is followed
  // through comments and one-line strings too (a """ in a comment opens nothing: fuzz_zones).
  State state = State::code;
  int number = 0;
  for (std::size_t start = 0; start < text.size();) {
    const auto nl = text.find('\n', start);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    ++number;
    const bool in_string = state == State::ml_basic || state == State::ml_literal;
    if (!in_string && bad_header(text.substr(start, end - start)))
      throw UsageError(origin + ":" + std::to_string(number) +
                       ": invalid table header (a key must follow '[')");
    std::size_t i = start;
    for (; i < end; ++i) state = step(state, text, i);
    start = i;
  }
}

}  // namespace surg
