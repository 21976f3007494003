#include "surg/console/access.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

#include "surg/core/error.hpp"

namespace surg::console {

bool ListenAddress::loopback() const {
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  return host == "::1";
}

std::string ListenAddress::authority() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

ListenAddress parse_listen(const std::string& text) {
  const auto bad = [&](const std::string& why) {
    return UsageError("--listen " + text + ": " + why + " (expected ADDRESS:PORT, e.g. 127.0.0.1:8480)");
  };
  std::string host, port;
  if (!text.empty() && text[0] == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      throw bad("an IPv6 address is written [ADDRESS]:PORT");
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos) throw bad("no port");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string::npos) throw bad("an IPv6 address is written [ADDRESS]:PORT");
  }
  // Numeric addresses only: a name would be resolved to whatever DNS says, and Host checks
  // compare with the literal.
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, host.c_str(), &v4) != 1 && inet_pton(AF_INET6, host.c_str(), &v6) != 1)
    throw bad("the address must be numeric (127.0.0.1, ::1, 192.168.1.20, 0.0.0.0)");
  int value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535)
    throw bad("the port must be 1..65535");
  return {host, value};
}

std::vector<std::string> accepted_hosts(const ListenAddress& listen) {
  std::vector<std::string> hosts{listen.authority()};
  if (listen.loopback()) hosts.push_back("localhost:" + std::to_string(listen.port));
  return hosts;
}

bool same_secret(const std::string& a, const std::string& b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const std::size_t n = std::max(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char x = i < a.size() ? a[i] : 0, y = i < b.size() ? b[i] : 0;
    diff |= x ^ y;
  }
  return diff == 0;
}

std::string refuse_reason(const Policy& policy, const Request& request) {
  const auto hosts = accepted_hosts(policy.listen);
  // Listening on 0.0.0.0 or :: the browser names a real address of the machine, not known
  // here: then the token is what protects the panel, and Origin must still match Host.
  const bool any = policy.listen.host == "0.0.0.0" || policy.listen.host == "::";
  if (!any && std::find(hosts.begin(), hosts.end(), request.host) == hosts.end())
    return "Host '" + request.host + "' is not this panel (" + hosts.front() + ")";
  if (request.origin && *request.origin != "http://" + request.host)
    return "cross-origin request from '" + *request.origin + "' refused";
  if (request.needs_token && !policy.token.empty()) {
    if (!request.token) return "missing token (header X-Surg-Token)";
    if (!same_secret(*request.token, policy.token)) return "wrong token";
  }
  return "";
}

}  // namespace surg::console
