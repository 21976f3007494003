#pragma once
// Who may talk to the panel (doc/console.md, "Security"). Pure functions over a request's
// headers, so that every rule is unit-tested without a socket:
//  - Host must name the address the panel listens on: a page from another site that resolves
//    its own name to 127.0.0.1 (DNS rebinding) sends its own name and is refused;
//  - Origin, when a browser sends one, must be this panel: no other page may drive it;
//  - the token (header X-Surg-Token), when one is configured, must match: required on any
//    address other than loopback.
#include <optional>
#include <string>
#include <vector>

namespace surg::console {

inline constexpr const char* kTokenHeader = "X-Surg-Token";

struct ListenAddress {
  std::string host;  // as written, e.g. "127.0.0.1", "192.168.1.20", "::1"
  int port = 0;
  bool loopback() const;
  // "127.0.0.1:8480", "[::1]:8480": what a browser puts in Host for this address.
  std::string authority() const;
};

// "127.0.0.1:8480", "[::1]:8480", "0.0.0.0:9000"; throws UsageError naming --listen otherwise.
ListenAddress parse_listen(const std::string& text);

struct Policy {
  ListenAddress listen;
  std::string token;  // empty: no token (loopback only)
};

struct Request {
  std::string host;                   // Host header
  std::optional<std::string> origin;  // Origin header, when sent
  std::optional<std::string> token;   // X-Surg-Token header, when sent
  bool needs_token = true;            // false for the page itself (it holds no secret)
};

// "" when allowed, else why it is refused (HTTP 403 with this text; never echoes the token).
std::string refuse_reason(const Policy& policy, const Request& request);

// Hosts a browser may use for this address: the literal address, and "localhost" when it is
// a loopback address (the page link printed uses the literal).
std::vector<std::string> accepted_hosts(const ListenAddress& listen);

// Comparison that takes the same time wherever the strings differ (a token guessed byte by
// byte learns nothing from timing).
bool same_secret(const std::string& a, const std::string& b);

}  // namespace surg::console
