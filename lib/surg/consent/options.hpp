#pragma once
// surg-consent's options: one struct, filled by CLI11 subcommands (keygen, grant, amend,
// revoke, show, list, verify, audit, export). Only --store has a TOML key ([consent] store).
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "surg/cli/tool.hpp"

namespace surg::consent {

struct Options {
  std::string store;    // --store DIR ("" = default_store_path())
  std::string command;  // the subcommand given

  std::vector<std::string> case_words;  // CASE as parsed (one word unless a name was typed)
  std::string case_id;                  // CASE (every subcommand but keygen, list, audit), set by run()
  bool rotate = false;                  // keygen --rotate
  bool install = false;                 // keygen --install

  // grant / amend
  std::string grantor;
  std::vector<std::string> purposes;
  std::vector<std::string> platforms;
  std::vector<std::string> anonymize;
  std::string audience;
  std::string expires;
  std::string form;

  std::string revoke_purpose;      // revoke --purpose
  std::string for_purpose;         // verify --for
  std::string platform;            // verify --platform
  std::string format = "fhir-r4";  // export --format
};

void add_options(CLI::App& app, Options& options);

// Runs the chosen subcommand; returns the exit status (errors are thrown as surg::Error).
int run(const Options& options, cli::Context& ctx);

}  // namespace surg::consent
