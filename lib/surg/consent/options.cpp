#include "surg/consent/options.hpp"

#include "surg/ledger/vocabulary.hpp"

namespace surg::consent {
namespace {

std::string choices(const std::vector<std::string>& names, bool none = false) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ",") + name;
  return text + (none ? " or none" : "");
}

CLI::App* subcommand(CLI::App& app, Options& o, const std::string& name, const std::string& help) {
  CLI::App* sub = app.add_subcommand(name, help);
  sub->callback([&o, name] { o.command = name; });
  return sub;
}

void add_case(CLI::App* sub, Options& o) {
  // A vector, so that an unquoted name ("John Smith") reaches require_case_id() whole and is
  // refused there, instead of CLI11 echoing its second word as an unexpected argument.
  sub->add_option("case", o.case_words,
                  "pseudonymous case id, e.g. CASE-0213 (never a name or record number)")
      ->required();
}

void add_list(CLI::App* sub, const std::string& flag, std::vector<std::string>& into, const std::string& help,
              bool required) {
  auto* opt =
      sub->add_option(flag, into, help)->delimiter(',')->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  opt->required(required);
}

// grant and amend take the same terms; grant needs all of them, amend any it changes.
void add_terms(CLI::App* sub, Options& o, bool required) {
  sub->add_option("--grantor", o.grantor, "who agrees (a role, never a name)")
      ->required()
      ->check(CLI::IsMember(grantors()));
  add_list(sub, "--purpose", o.purposes, "uses agreed to: " + choices(purposes()), required);
  add_list(sub, "--platform", o.platforms, "where it may be shown: " + choices(platforms(), true), required);
  add_list(sub, "--anonymize", o.anonymize, "anonymisation required: " + choices(anonymizations(), true),
           required);
  sub->add_option("--audience", o.audience, "who may watch")
      ->required(required)
      ->check(CLI::IsMember(audiences()));
  sub->add_option("--expires", o.expires, "end of the consent: DATE (whole day, UTC) or UTC time")
      ->required(required);
  sub->add_option("--form", o.form, "scanned signed form; only its SHA-256 is recorded");
}

}  // namespace

void add_options(CLI::App& app, Options& o) {
  app.add_option("--store", o.store,
                 "consent store directory (default $SURG_CONSENT_STORE, /var/lib/surg/consent as "
                 "root, else $XDG_DATA_HOME/surg/consent)");
  app.require_subcommand(1, 1);
  app.fallthrough();  // common options and --store may follow the subcommand too

  auto* keygen = subcommand(app, o, "keygen", "create the store's signing key and start its ledger");
  keygen->add_flag("--rotate", o.rotate,
                   "replace the signing key (announced in the ledger, signed by the old key)");
  keygen->add_flag("--install", o.install,
                   "pin the new key in the system config /etc/surg/surg.toml ([ledger] key)");

  auto* grant =
      subcommand(app, o, "grant", "record a consent given by the patient, a representative or the surgeon");
  add_case(grant, o);
  add_terms(grant, o, true);

  auto* amend =
      subcommand(app, o, "amend", "change the terms of a consent in force (unnamed terms are kept)");
  add_case(amend, o);
  add_terms(amend, o, false);

  auto* revoke = subcommand(app, o, "revoke", "withdraw every consent of a case, or one purpose");
  add_case(revoke, o);
  revoke->add_option("--purpose", o.revoke_purpose, "withdraw only this purpose")
      ->check(CLI::IsMember(purposes()));

  add_case(subcommand(app, o, "show", "print a case's consents and history"), o);
  subcommand(app, o, "list", "print one line for each case in the ledger");

  auto* verify =
      subcommand(app, o, "verify", "exit 0 if the case's consent covers a use, else 3 with the reason");
  add_case(verify, o);
  verify->add_option("--for", o.for_purpose, "the use to check")
      ->required()
      ->check(CLI::IsMember(purposes()));
  verify->add_option("--platform", o.platform, "where it would be shown (omit for a local use)")
      ->check(CLI::IsMember(platforms()));

  subcommand(app, o, "audit", "check the whole ledger's chain and signatures; name the first bad entry");

  auto* exp = subcommand(app, o, "export", "print a case's consent as a FHIR R4 Consent resource (JSON)");
  add_case(exp, o);
  exp->add_option("--format", o.format, "output format")->check(CLI::IsMember({"fhir-r4"}));
}

}  // namespace surg::consent
