#include "surg/core/redact.hpp"

#include <regex>
#include <string>

namespace surg {
namespace {

constexpr std::string_view kMask = "****";

// Query values that are secrets whatever the protocol.
bool is_secret_key(std::string_view key) {
  for (std::string_view s : {"passphrase", "key", "password", "pass", "token", "secret",
                             "streamid", "pbkeylen"})
    if (key == s) return true;
  return false;
}

std::string redact_query(std::string_view query) {
  std::string out;
  std::size_t pos = 0;
  while (pos <= query.size()) {
    const auto amp = query.find('&', pos);
    const auto part = query.substr(pos, amp == std::string_view::npos ? amp : amp - pos);
    const auto eq = part.find('=');
    if (!out.empty()) out += '&';
    if (eq != std::string_view::npos && is_secret_key(part.substr(0, eq)))
      out.append(part.substr(0, eq + 1)).append(kMask);
    else
      out.append(part);
    if (amp == std::string_view::npos) break;
    pos = amp + 1;
  }
  return out;
}

}  // namespace

std::string redact_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);  // a local path
  const std::string_view scheme = url.substr(0, scheme_end);
  std::string_view rest = url.substr(scheme_end + 3);
  std::string_view query;
  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string_view authority = rest.substr(0, rest.find('/'));
  std::string_view path = rest.substr(authority.size());
  std::string out(scheme);
  out += "://";
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    out += kMask;
    authority = authority.substr(at);
  }
  out += authority;
  // RTMP: /app/KEY — everything after the application name is the stream key.
  if (scheme.starts_with("rtmp") && !path.empty()) {
    const auto second = path.find('/', 1);
    out += path.substr(0, second);
    if (second != std::string_view::npos) out.append("/").append(kMask);
  } else {
    out += path;
  }
  if (!query.empty()) out.append("?").append(redact_query(query));
  return out;
}

std::string redact_urls_in(const std::string& text) {
  static const std::regex url(R"([A-Za-z][A-Za-z0-9+.-]*://[^\s'"]+)");
  std::string out;
  auto last = text.cbegin();
  for (std::sregex_iterator it(text.begin(), text.end(), url), end; it != end; ++it) {
    out.append(last, text.cbegin() + it->position());
    out += redact_url(it->str());
    last = text.cbegin() + it->position() + it->length();
  }
  out.append(last, text.cend());
  return out;
}

}  // namespace surg
