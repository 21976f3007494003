#include "surg/core/redact.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <regex>
#include <string>
#include <vector>

namespace surg {
namespace {

// Query values that are secrets whatever the protocol.
bool is_secret_key(std::string_view name) {
  std::string key(name);
  for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view s : {"passphrase", "key", "password", "pass", "token", "secret", "streamid",
                             "pbkeylen", "a", "s", "sig", "signature", "auth"})
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
      out.append(part.substr(0, eq + 1)).append(kRedacted);
    else
      out.append(part);
    if (amp == std::string_view::npos) break;
    pos = amp + 1;
  }
  return out;
}

struct Registry {
  std::mutex mutex;
  std::vector<std::string> values;  // longest first, so a secret's parts never split it
};

Registry& registry() {
  static Registry r;
  return r;
}

std::string url_encoded(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

void add_value(Registry& r, std::string value) {
  if (value.size() < kMinSecret) return;
  if (std::find(r.values.begin(), r.values.end(), value) != r.values.end()) return;
  r.values.push_back(std::move(value));
  std::stable_sort(r.values.begin(), r.values.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

}  // namespace

void register_secret(std::string_view secret) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  add_value(r, std::string(secret));
  add_value(r, url_encoded(secret));
  // A key such as "FB-123?s_sw=0&a=TOKEN": a library may log its parts separately.
  const auto q = secret.find('?');
  if (q == std::string_view::npos) return;
  add_value(r, std::string(secret.substr(0, q)));
  std::string_view query = secret.substr(q + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto part = query.substr(0, amp);
    if (const auto eq = part.find('='); eq != std::string_view::npos)
      add_value(r, std::string(part.substr(eq + 1)));
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
  }
}

std::string scrub_secrets(std::string_view text) {
  std::string out(text);
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  for (const auto& value : r.values) {
    for (auto at = out.find(value); at != std::string::npos; at = out.find(value, at + kRedacted.size()))
      out.replace(at, value.size(), kRedacted);
  }
  return out;
}

void clear_secrets() {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  r.values.clear();
}

std::string redact_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return scrub_secrets(url);  // a local path
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
    out += kRedacted;
    authority = authority.substr(at);
  }
  out += authority;
  const bool rtmp = scheme.starts_with("rtmp") || scheme.starts_with("RTMP");
  if (rtmp && !path.empty()) {
    // RTMP: /app/KEY — everything after the application name is the stream key, and a
    // query after it belongs to the key (Facebook: KEY?s_sw=0&a=TOKEN).
    const auto second = path.find('/', 1);
    out += path.substr(0, second);
    if (second != std::string_view::npos) out.append("/").append(kRedacted);
    if (!query.empty()) out.append("?").append(kRedacted);
    return scrub_secrets(out);
  }
  out += path;
  if (!query.empty()) out.append("?").append(redact_query(query));
  return scrub_secrets(out);
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
  return scrub_secrets(out);
}

}  // namespace surg
