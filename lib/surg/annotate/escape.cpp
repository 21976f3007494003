#include "surg/annotate/escape.hpp"

namespace surg::annotate {

std::string quote_option_value(std::string_view value) {
  std::string out = "'";
  for (const char c : value) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

std::string escape_filter_args(std::string_view args) {
  std::string out;
  for (const char c : args) {
    if (c == '\\' || c == '\'' || c == '[' || c == ']' || c == ',' || c == ';') out += '\\';
    out += c;
  }
  return out;
}

std::string filter_description(std::string_view filter, std::string_view id, const Args& args) {
  std::string spec(filter);
  if (!id.empty()) spec += "@" + std::string(id);
  std::string joined;
  for (const auto& [key, value] : args)
    joined += (joined.empty() ? "" : ":") + key + "=" + quote_option_value(value);
  if (!joined.empty()) spec += "=" + escape_filter_args(joined);
  return spec;
}

}  // namespace surg::annotate
