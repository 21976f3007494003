// surg-consent: the consent ledger. Records who agreed to what (grant, amend, revoke), answers
// whether a use is covered (verify, for `&&` in shell pipelines), proves the record intact
// (audit) and exports it as FHIR R4. The logic lives in lib/surg/consent.
#include "surg/cli/tool.hpp"
#include "surg/consent/options.hpp"

int main(int argc, char** argv) {
  surg::consent::Options options;
  return surg::cli::tool_main(
      argc, argv, {"surg-consent", "consent", "consent ledger: grant, revoke, verify, audit, export"},
      [&](CLI::App& app) { surg::consent::add_options(app, options); },
      [&](surg::cli::Context& ctx) { return surg::consent::run(options, ctx); });
}
