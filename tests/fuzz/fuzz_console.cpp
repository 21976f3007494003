// What reaches surg-console from outside: the body of a POST /api/action from the page (any
// bytes a local program may send), the header values Host/Origin/X-Surg-Token, and a line of
// another stage's events log. None may crash it; a request is either refused with a reason or
// becomes a command with a string "cmd".
#include "fuzz.hpp"
#include "surg/console/access.hpp"
#include "surg/console/actions.hpp"
#include "surg/console/board.hpp"
#include "surg/control/control.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace surg;
  fuzz::quiet();
  const std::string_view bytes = fuzz::as_text(data, size);
  fuzz::expect_clean([&] {
    if (control::nesting_exceeds(bytes, control::kMaxJsonDepth)) return;
    const auto body = nlohmann::json::parse(bytes, nullptr, false);
    if (body.is_discarded()) return;
    const console::Action a = console::parse_action(body);
    if (a.error.empty() && !(a.command.is_object() && a.command["cmd"].is_string())) __builtin_trap();
    if (a.error.empty()) (void)a.command.dump();  // what goes into a FIFO must serialise
    console::Board board;
    board.apply(body, 1);
    (void)board.snapshot().dump();
  });
  // The same bytes as header values, split in three.
  fuzz::expect_clean([&] {
    const std::size_t third = size / 3;
    const console::Policy policy{console::parse_listen("127.0.0.1:8480"), "0123456789abcdef"};
    const std::string host(bytes.substr(0, third)), origin(bytes.substr(third, third)),
        token(bytes.substr(2 * third));
    const std::string why = console::refuse_reason(policy, {host, origin, token, true});
    if (why.empty() && token != "0123456789abcdef") __builtin_trap();  // only the token opens
    (void)console::parse_listen(std::string(bytes));
  });
  return 0;
}
