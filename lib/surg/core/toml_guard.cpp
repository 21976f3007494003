#include "surg/core/toml_guard.hpp"

#include <cctype>
#include <cstdio>

#include "surg/core/error.hpp"
#include "surg/core/utf8.hpp"

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

// A quote opens a string only where a value or key can start. Inside a bare token ("0.0^\"")
// toml++ reads on, quotes included, up to the next blank, ',', ']', '}' or '#' (fuzz_zones).
bool starts_token(std::string_view text, std::size_t i) {
  return i == 0 || std::string_view(" \t\r\n=[{,.").find(text[i - 1]) != std::string_view::npos;
}

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// TOML 1.0 allows no control character but tab, newline and carriage return anywhere (in
// strings and comments neither). toml++ 3.3 asserts on some of them, e.g. a NUL after
// "key = [}" (fuzz_config). Returns the 1-based line of the first one, or 0.
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

// The 1-based line of the first invalid UTF-8 sequence, or 0.
int invalid_utf8(std::string_view text) {
  int line = 1;
  for (std::size_t start = 0; start < text.size(); ++line) {
    const auto nl = text.find('\n', start);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    if (!valid_utf8(text.substr(start, end - start))) return line;
    start = end;
  }
  return 0;
}

std::size_t sequence_length(unsigned char lead) {
  return (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : 4;
}

std::string unicode_escape(char32_t cp) {
  char buf[12];
  std::snprintf(buf, sizeof buf, cp > 0xFFFF ? "\\U%08X" : "\\u%04X", static_cast<unsigned>(cp));
  return buf;
}

enum class State { code, comment, basic, literal, ml_basic, ml_literal };

// One pass over valid UTF-8 without control characters, writing the ASCII text.
class Rewriter {
 public:
  Rewriter(std::string_view text, const std::string& origin) : text_(text), origin_(origin) {}

  std::string run() {
    bool line_start = true;
    while (i_ < text_.size()) {
      // Lines that start inside a multi-line string are not headers; the string state is
      // followed through comments and one-line strings too (a """ in a comment opens nothing).
      if (line_start && state_ == State::code && bad_header(text_.substr(i_, text_.find('\n', i_) - i_)))
        fail("invalid table header (a key must follow '[')");
      const char c = text_[i_];
      line_start = c == '\n';
      switch (state_) {
        case State::code:
          code(c);
          break;
        case State::comment:
          comment(c);
          break;
        case State::basic:
        case State::ml_basic:
          basic(c);
          break;
        case State::literal:
        case State::ml_literal:
          literal(c);
          break;
      }
      if (line_start) ++line_;
    }
    return std::move(out_);
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw UsageError(origin_ + ":" + std::to_string(line_) + ": " + why);
  }

  bool at_triple(char q) const {
    return i_ + 2 < text_.size() && text_[i_] == q && text_[i_ + 1] == q && text_[i_ + 2] == q;
  }

  // Copies the next character, as a \u escape when it is not ASCII.
  void copy_escaping() {
    const auto c = static_cast<unsigned char>(text_[i_]);
    if (c < 0x80) {
      out_ += text_[i_++];
      return;
    }
    const std::size_t n = sequence_length(c);
    out_ += unicode_escape(to_u32(text_.substr(i_, n)).at(0));
    i_ += n;
  }

  // A multi-line string closes on the last three quotes of a run of up to five; the one or two
  // before them belong to the string.
  void close_multiline(char q, const char* extra_quote) {
    std::size_t run = 0;
    while (i_ + run < text_.size() && text_[i_ + run] == q && run < 5) ++run;
    for (std::size_t k = 3; k < run; ++k) out_ += extra_quote;
    out_ += "\"\"\"";
    i_ += run;
    state_ = State::code;
  }

  void code(char c) {
    if (static_cast<unsigned char>(c) >= 0x80) fail("non-ASCII character outside a string or comment");
    if (c == '}' && (last_code_ == '[' || last_code_ == ','))
      fail("'}' where a value or ']' must follow '" + std::string(1, last_code_) + "'");
    if (!blank(c) && c != '#') last_code_ = c;
    if (c == '#') state_ = State::comment;
    if ((c == '"' || c == '\'') && starts_token(text_, i_)) {
      const bool triple = at_triple(c);
      state_ = c == '"' ? (triple ? State::ml_basic : State::basic)
                        : (triple ? State::ml_literal : State::literal);
      out_ += triple ? "\"\"\"" : "\"";  // literal strings become basic strings
      i_ += triple ? 3 : 1;
      return;
    }
    out_ += c;
    ++i_;
  }

  void comment(char c) {
    if (c == '\n') state_ = State::code;
    if (static_cast<unsigned char>(c) < 0x80) out_ += c;
    ++i_;
  }

  void basic(char c) {
    if (c == '\\') {
      // The escaped character is copied as is; escaping a non-ASCII one is an error that the
      // rewrite must not turn into an escaped backslash.
      if (i_ + 1 < text_.size() && static_cast<unsigned char>(text_[i_ + 1]) >= 0x80)
        fail("invalid escape sequence in a string");
      out_ += text_.substr(i_, 2);
      line_ += text_.substr(i_, 2) == "\\\n";
      i_ += 2;
      return;
    }
    if (c == '"' && state_ == State::ml_basic && at_triple('"')) return close_multiline('"', "\\\"");
    if ((c == '"' && state_ == State::basic) || (c == '\n' && state_ == State::basic))
      state_ = State::code;  // closed, or unterminated (toml++ says so)
    copy_escaping();
  }

  void literal(char c) {
    if (c == '\'' && state_ == State::ml_literal && at_triple('\'')) return close_multiline('\'', "'");
    if (c == '\'' && state_ == State::literal) {
      out_ += '"';
      ++i_;
      state_ = State::code;
      return;
    }
    if (c == '\n' && state_ == State::literal) state_ = State::code;  // unterminated
    if (c == '\\' || c == '"') out_ += '\\';
    copy_escaping();
  }

  std::string_view text_;
  const std::string& origin_;
  std::string out_;
  std::size_t i_ = 0;
  int line_ = 1;
  State state_ = State::code;
  char last_code_ = '\n';  // the last character outside strings and comments, blanks aside
};

}  // namespace

std::string guard_toml(std::string_view text, const std::string& origin) {
  if (const int line = control_character(text))
    throw UsageError(origin + ":" + std::to_string(line) + ": control character in a TOML file");
  if (const int line = invalid_utf8(text))
    throw UsageError(origin + ":" + std::to_string(line) + ": not valid UTF-8");
  return Rewriter(text, origin).run();
}

}  // namespace surg
