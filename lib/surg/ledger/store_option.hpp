#pragma once
// --consent-store DIR of the tools that check a consent (surg-anonymize, surg-push). Header
// only: the ledger library itself has no command line (see doc/consent.md).
#include <string>

#include <CLI/CLI.hpp>

namespace surg::consent {

inline void add_consent_store_option(CLI::App& app, std::string& store) {
  app.add_option("--consent-store", store,
                 "surg-consent store (default $SURG_CONSENT_STORE or surg-consent's default)");
}

}  // namespace surg::consent
