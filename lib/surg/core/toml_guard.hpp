#pragma once
// What TOML text goes through before toml++ parses it. toml++ 3.3 (Debian 12) breaks its own
// preconditions on some malformed input: a debug build aborts on an assertion, a release build
// (where the assertion becomes an assumption) has undefined behaviour. Every case tests/fuzz
// found belongs to one of three classes, each closed here rather than case by case:
//  - a table header whose '[' or '[[' is followed by something that cannot start a key
//    ("[&a]", "[[[1]]]"; fixed upstream in toml++ PR 301);
//  - any non-ASCII character, which toml++ classifies with tables that reach
//    TOML_UNREACHABLE for some code points (U+00CE, U+FEBF): the text handed on is pure ASCII;
//  - a '}' where an array expects a value ("a = [\n}"), and control characters.
#include <string>
#include <string_view>

namespace surg {

// Returns `text` as pure-ASCII TOML with the same meaning: non-ASCII characters in strings
// become \uXXXX escapes (literal strings become basic strings to allow them), non-ASCII in
// comments is dropped, lines keep their numbers. Throws UsageError "ORIGIN:LINE: why" for
// text that is not valid UTF-8, holds a control character, has non-ASCII outside strings and
// comments, an invalid table header, or a '}' right after '[' or ','.
std::string guard_toml(std::string_view text, const std::string& origin);

}  // namespace surg
