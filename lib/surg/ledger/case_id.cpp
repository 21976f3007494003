#include "surg/ledger/case_id.hpp"

#include <vector>

#include "surg/core/error.hpp"

// Hand-written scanners rather than std::regex: verify() checks the case id of every ledger
// entry, and libstdc++ regexes cost tens of microseconds each.
namespace surg::consent {
namespace {

constexpr std::size_t kMinLength = 3;
constexpr std::size_t kMaxLength = 64;

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_letter(char c) { return is_upper(c) || is_lower(c); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Letters (and ' . -) with at least one space between words: "John Smith", "mary o'brien".
bool letters_and_spaces(const std::string& id) {
  bool space = false, letter = false;
  for (char c : id) {
    if (c == ' ')
      space = true;
    else if (is_letter(c) || static_cast<unsigned char>(c) >= 0x80)
      letter = true;
    else if (c != '\'' && c != '.' && c != '-')
      return false;
  }
  return space && letter;
}

// Two capitalised words with no letter between them: "JohnSmith", "John_Smith_12".
bool two_capitalised_words(const std::string& id) {
  bool previous_word = false;  // a capitalised word ended and only non-letters followed
  for (std::size_t i = 0; i < id.size();) {
    if (is_upper(id[i]) && i + 1 < id.size() && is_lower(id[i + 1])) {
      if (previous_word) return true;
      i += 2;
      while (i < id.size() && is_lower(id[i])) ++i;
      previous_word = true;
    } else {
      if (is_letter(id[i])) previous_word = false;
      ++i;
    }
  }
  return false;
}

bool looks_like_name(const std::string& id) {
  return id.find('^') != std::string::npos || id.find(", ") != std::string::npos || letters_and_spaces(id) ||
         two_capitalised_words(id);
}

struct DigitGroup {
  std::size_t length;
  char separator_after;  // the single character after the group, '\0' at the end
};

std::vector<DigitGroup> digit_groups(const std::string& id) {
  std::vector<DigitGroup> groups;
  for (std::size_t i = 0; i < id.size();) {
    if (!is_digit(id[i])) {
      ++i;
      continue;
    }
    std::size_t start = i;
    while (i < id.size() && is_digit(id[i])) ++i;
    groups.push_back({i - start, i < id.size() ? id[i] : '\0'});
  }
  return groups;
}

// Six or more digits in a row (an MRN, a date of birth without separators), an NHS number
// "943 476 5919" / "943-476-5919", a US SSN "123-45-6789".
bool looks_like_record_number(const std::string& id) {
  const auto groups = digit_groups(id);
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (groups[i].length >= 6) return true;
    if (i + 2 >= groups.size()) continue;
    const DigitGroup &a = groups[i], &b = groups[i + 1], &c = groups[i + 2];
    // Groups are adjacent when exactly one separator character lies between them.
    const bool joined_ab = (a.separator_after == ' ' || a.separator_after == '-');
    const bool joined_bc = (b.separator_after == ' ' || b.separator_after == '-');
    if (!joined_ab || !joined_bc || a.length != 3 || c.length != 4) continue;
    if (b.length == 3) return true;
    if (b.length == 2 && a.separator_after == '-' && b.separator_after == '-') return true;
  }
  return false;
}

bool valid_shape(const std::string& id) {
  if (id.size() < kMinLength || id.size() > kMaxLength) return false;
  if (!is_letter(id[0]) && !is_digit(id[0])) return false;
  for (char c : id) {
    if (!is_letter(c) && !is_digit(c) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> case_id_problem(std::string_view view) {
  const std::string id(view);
  if (id.empty()) return "it is empty";
  if (looks_like_name(id)) return "it looks like a person's name; use a pseudonymous id such as CASE-0213";
  if (looks_like_record_number(id))
    return "it looks like a medical record or national number; use a pseudonymous id such as CASE-0213";
  if (!valid_shape(id))
    return "a case id is 3 to 64 characters: letters, digits, '.', '_' and '-', starting with a letter or "
           "digit";
  if (digit_groups(id).empty())
    return "it has no digit, so it may be a name; use a pseudonymous id such as CASE-0213";
  return std::nullopt;
}

void require_case_id(std::string_view id) {
  if (auto problem = case_id_problem(id)) throw UsageError("case id rejected: " + *problem);
}

}  // namespace surg::consent
