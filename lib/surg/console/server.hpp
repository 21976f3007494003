#pragma once
// The panel's HTTP server (cpp-httplib, on threads of its own). It serves the page and its
// script and style compiled into the binary (page.cpp), and three API routes; nothing else,
// no file from disk. Every request passes the checks of access.hpp first.
//   GET  /               the page (no token needed: it holds no secret)
//   GET  /app.js /app.css
//   GET  /api/state      JSON: stages, outputs, consent, the console's own counters
//   GET  /api/preview.jpg the newest preview (204 before the first)
//   POST /api/action     JSON {"action":...} (actions.hpp)
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "surg/console/access.hpp"
#include "surg/console/preview.hpp"

namespace httplib {
class Server;
}

namespace surg::console {

struct Handlers {
  std::function<nlohmann::json()> state;
  std::function<std::shared_ptr<const Jpeg>()> preview;
  // Performs the request; returns {"ok":bool,"error":...,"action":...}.
  std::function<nlohmann::json(const nlohmann::json&)> act;
};

// The page, its script and its style (page.cpp).
const std::string& page_html();
const std::string& page_js();
const std::string& page_css();

class Server {
 public:
  // Binds at once: throws RuntimeError when the address cannot be listened on.
  Server(Policy policy, Handlers handlers);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  int port() const { return port_; }

 private:
  Policy policy_;
  Handlers handlers_;
  std::unique_ptr<httplib::Server> http_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace surg::console
