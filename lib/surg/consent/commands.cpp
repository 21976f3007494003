// The subcommands of surg-consent: each parses its options into library calls, prints its
// report on stdout (or -o FILE) and logs on stderr. Consent refusals throw ConsentError (3),
// a bad ledger InputError (4), bad arguments UsageError (2); tool_main logs them once.
#include <fstream>
#include <iostream>

#include <spdlog/spdlog.h>

#include "surg/consent/actions.hpp"
#include "surg/consent/options.hpp"
#include "surg/consent/report.hpp"
#include "surg/ledger/case_id.hpp"
#include "surg/ledger/fhir.hpp"
#include "surg/ledger/trust.hpp"
#include "surg/ledger/verify.hpp"

namespace surg::consent {
namespace {

// stdout, or the file named by -o.
class Output {
 public:
  explicit Output(const std::string& path) {
    if (path.empty() || path == "-") return;
    file_.open(path, std::ios::trunc);
    if (!file_) throw RuntimeError("-o " + path + ": cannot write");
  }
  std::ostream& stream() { return file_.is_open() ? file_ : std::cout; }
  void finish() {
    stream().flush();
    if (!stream()) throw RuntimeError("cannot write the report");
  }

 private:
  std::ofstream file_;
};

TimePoint future_expiry(const std::string& text, const Clock& clock) {
  const TimePoint expiry = parse_expiry(text);
  if (expiry <= clock.now()) throw UsageError("--expires: " + format_utc(expiry) + " is not in the future");
  return expiry;
}

Ledger audited(const Store& store) {
  Ledger ledger = store.read();
  if (!ledger.audit.ok())
    throw InputError("ledger " + store.ledger_path() + " fails audit at " + ledger.audit.describe());
  return ledger;
}

Terms terms_from(const Options& o, const Clock& clock) {
  Terms terms;
  terms.grantor = o.grantor;
  terms.purposes = to_names("--purpose", o.purposes, purposes());
  terms.platforms = to_names("--platform", o.platforms, platforms());
  terms.anonymize = to_names("--anonymize", o.anonymize, anonymizations());
  terms.audience = o.audience;
  terms.expires = format_utc(future_expiry(o.expires, clock));
  if (!o.form.empty()) terms.form_sha256 = sha256_file_hex(o.form);
  return terms;
}

// Options of amend that were given; the rest stay as agreed.
TermChanges changes_from(const Options& o, const Clock& clock) {
  TermChanges changes;
  if (!o.purposes.empty()) changes.purposes = to_names("--purpose", o.purposes, purposes());
  if (!o.platforms.empty()) changes.platforms = to_names("--platform", o.platforms, platforms());
  if (!o.anonymize.empty()) changes.anonymize = to_names("--anonymize", o.anonymize, anonymizations());
  if (!o.audience.empty()) changes.audience = o.audience;
  if (!o.expires.empty()) changes.expires = format_utc(future_expiry(o.expires, clock));
  if (!o.form.empty()) changes.form_sha256 = sha256_file_hex(o.form);
  return changes;
}

// Words of the case id as given: one normally; several when a name was typed unquoted
// ("grant John Smith ..."), which require_case_id() then refuses without echoing.
std::string join_words(const std::vector<std::string>& words) {
  std::string id;
  for (const auto& word : words) id += (id.empty() ? "" : " ") + word;
  return id;
}

void log_written(const Entry& entry, const std::string& what) {
  spdlog::info("{}: {} (ledger seq {}, record {})", entry.case_id, what, entry.seq, entry.hash.substr(0, 16));
}

int cmd_keygen(const Options& o, const Clock& clock) {
  const Store store = Store::create(o.store);
  if (o.install && o.rotate) throw UsageError("--install pins the genesis key; a rotated key needs no pin");
  const std::string key = store.keygen(o.rotate, clock);
  spdlog::info("{} signing key {} at {} for the ledger in {}", o.rotate ? "rotated to" : "created",
               key_fingerprint(key), store.key_path(), store.path());
  if (o.install) {
    pin_key(key);
    spdlog::info("key {} pinned in {}", key_fingerprint(key), store.trust().source);
  } else if (!o.rotate && store.trust().key != key) {
    spdlog::warn(
        "key {} is not pinned: readers refuse this ledger until [ledger] key = \"{}\" is in {} "
        "(or run keygen --install)",
        key_fingerprint(key), key, store.trust().source);
  }
  std::cout << key << "\n";
  return 0;
}

int cmd_grant(const Options& o, const Clock& clock) {
  const Terms terms = terms_from(o, clock);
  const Entry entry = Store::open(o.store).append(
      [&](const Ledger& ledger) { return grant_entry(ledger, o.case_id, terms, clock); });
  log_written(entry, o.grantor + " consent granted");
  return 0;
}

int cmd_amend(const Options& o, const Clock& clock) {
  const TermChanges changes = changes_from(o, clock);
  const Entry entry = Store::open(o.store).append(
      [&](const Ledger& ledger) { return amend_entry(ledger, o.case_id, o.grantor, changes, clock); });
  log_written(entry, o.grantor + " consent amended");
  return 0;
}

int cmd_revoke(const Options& o, const Clock& clock) {
  const Entry entry = Store::open(o.store).append(
      [&](const Ledger& ledger) { return revoke_entry(ledger, o.case_id, o.revoke_purpose, clock); });
  log_written(entry, o.revoke_purpose.empty() ? "every consent revoked" : o.revoke_purpose + " revoked");
  return 0;
}

int cmd_verify(const Options& o, const Clock& clock) {
  const Verdict verdict = verify(Store::open(o.store), o.case_id, o.for_purpose, o.platform, clock);
  if (!verdict.ok) throw ConsentError(verdict.reason);
  spdlog::info("{}", verdict.reason);
  return 0;
}

int cmd_show(const Options& o, const Clock& clock, const std::string& output) {
  Output out(output);
  const Ledger ledger = audited(Store::open(o.store));
  const CaseState state = fold_case(ledger.entries, o.case_id);
  if (state.history.empty()) throw ConsentError(o.case_id + ": missing: no consent recorded for this case");
  print_case(out.stream(), state, clock.now());
  out.finish();
  return 0;
}

int cmd_list(const Options& o, const Clock& clock, const std::string& output) {
  Output out(output);
  print_list(out.stream(), audited(Store::open(o.store)), clock);
  out.finish();
  return 0;
}

int cmd_audit(const Options& o, const std::string& output) {
  Output out(output);
  const Store store = Store::open(o.store);
  const Ledger ledger = audited(store);
  if (ledger.entries.empty()) throw InputError("no ledger at " + store.ledger_path());
  print_audit(out.stream(), ledger.audit);
  out.finish();
  return 0;
}

int cmd_export(const Options& o, const Clock& clock, const std::string& output) {
  Output out(output);
  const Ledger ledger = audited(Store::open(o.store));
  const CaseState state = fold_case(ledger.entries, o.case_id);
  if (state.history.empty()) throw ConsentError(o.case_id + ": missing: no consent recorded for this case");
  out.stream() << to_fhir_r4(state, clock).dump(2) << "\n";
  out.finish();
  return 0;
}

}  // namespace

int run(const Options& o, cli::Context& ctx) {
  const std::string case_id = join_words(o.case_words);
  if (!o.case_words.empty()) require_case_id(case_id);
  Options options = o;
  options.case_id = case_id;
  const std::string& output = ctx.common.output;
  // What is written always carries the real time; SURG_CONSENT_NOW (tests) only moves the
  // "now" that consents are judged against, so the ledger's times are never faked.
  const SystemClock system;
  if (o.command == "keygen") return cmd_keygen(options, system);
  if (o.command == "grant") return cmd_grant(options, system);
  if (o.command == "amend") return cmd_amend(options, system);
  if (o.command == "revoke") return cmd_revoke(options, system);
  if (o.command == "audit") return cmd_audit(options, output);
  const auto clock = clock_from_env();
  if (o.command == "verify") return cmd_verify(options, *clock);
  if (o.command == "show") return cmd_show(options, *clock, output);
  if (o.command == "list") return cmd_list(options, *clock, output);
  if (o.command == "export") return cmd_export(options, *clock, output);
  throw UsageError("no subcommand given; see --help");
}

}  // namespace surg::consent
