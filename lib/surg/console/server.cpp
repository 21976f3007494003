#include "surg/console/server.hpp"

#include <httplib.h>

#include <spdlog/spdlog.h>

#include "surg/control/control.hpp"
#include "surg/core/error.hpp"

namespace surg::console {
namespace {

// No page of another site may frame, embed or script the panel; nothing is cached (the state
// and preview are live; the page may hold a token in memory).
void secure_headers(httplib::Response& res) {
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
                 "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cache-Control", "no-store");
}

std::optional<std::string> header(const httplib::Request& req, const char* name) {
  if (!req.has_header(name)) return std::nullopt;
  return req.get_header_value(name);
}

}  // namespace

Server::Server(Policy policy, Handlers handlers)
    : policy_(std::move(policy)), handlers_(std::move(handlers)), http_(std::make_unique<httplib::Server>()) {
  auto& http = *http_;
  http.set_payload_max_length(16 * 1024);
  http.set_read_timeout(5, 0);
  http.set_write_timeout(5, 0);
  http.set_keep_alive_timeout(5);
  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    secure_headers(res);
    const bool asset = req.path == "/" || req.path == "/app.js" || req.path == "/app.css";
    const std::string why = refuse_reason(policy_, {header(req, "Host").value_or(""), header(req, "Origin"),
                                                    header(req, kTokenHeader), !asset});
    if (why.empty()) return httplib::Server::HandlerResponse::Unhandled;
    spdlog::warn("panel: refused {} {} from {}: {}", req.method, req.path, req.remote_addr, why);
    res.status = 403;
    res.set_content(nlohmann::json{{"ok", false}, {"error", why}}.dump(), "application/json");
    return httplib::Server::HandlerResponse::Handled;
  });
  http.Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(page_html(), "text/html; charset=utf-8");
  });
  http.Get("/app.js", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(page_js(), "text/javascript; charset=utf-8");
  });
  http.Get("/app.css", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(page_css(), "text/css; charset=utf-8");
  });
  http.Get("/api/state", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(handlers_.state().dump(), "application/json");
  });
  http.Get("/api/preview.jpg", [this](const httplib::Request&, httplib::Response& res) {
    const auto jpeg = handlers_.preview();
    if (!jpeg) {
      res.status = 204;
      return;
    }
    res.set_header("X-Surg-Frame-Ms", std::to_string(jpeg->passed_ms));
    res.set_header("X-Surg-Seq", std::to_string(jpeg->seq));
    res.set_content(jpeg->bytes, "image/jpeg");
  });
  http.Post("/api/action", [this](const httplib::Request& req, httplib::Response& res) {
    // A JSON body only: a cross-site form cannot send one without a preflight we never answer.
    const bool json = req.get_header_value("Content-Type").rfind("application/json", 0) == 0;
    // Nesting is bounded before parsing, as on the control FIFO (doc/stream.md).
    const bool deep = control::nesting_exceeds(req.body, control::kMaxJsonDepth);
    const nlohmann::json body = deep ? nlohmann::json(nlohmann::json::value_t::discarded)
                                     : nlohmann::json::parse(req.body, nullptr, false);
    if (!json || body.is_discarded()) {
      res.status = 400;
      res.set_content(R"({"ok":false,"error":"expected a JSON body"})", "application/json");
      return;
    }
    const nlohmann::json result = handlers_.act(body);
    if (!result.value("ok", false)) res.status = result.value("refused", false) ? 400 : 503;
    res.set_content(result.dump(), "application/json");
  });
  if (!http.bind_to_port(policy_.listen.host, policy_.listen.port))
    throw RuntimeError("cannot listen on " + policy_.listen.authority() +
                       " (in use, or not an address of this machine)");
  port_ = policy_.listen.port;
  thread_ = std::thread([this] { http_->listen_after_bind(); });
}

Server::~Server() {
  http_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace surg::console
