#include "surg/ledger/entry.hpp"

#include <algorithm>

#include "surg/core/error.hpp"
#include "surg/ledger/case_id.hpp"
#include "surg/ledger/timestamp.hpp"

namespace surg::consent {
namespace {

using nlohmann::json;

constexpr int kVersion = 1;

const std::string& text(const json& object, const char* field) {
  auto it = object.find(field);
  if (it == object.end() || !it->is_string())
    throw InputError(std::string("field '") + field + "' missing or not a string");
  return it->get_ref<const std::string&>();
}

Names name_list(const json& object, const char* field, const std::vector<std::string>& allowed) {
  auto it = object.find(field);
  if (it == object.end() || !it->is_array())
    throw InputError(std::string("field '") + field + "' missing or not a list");
  Names names;
  for (const auto& item : *it) {
    if (!item.is_string()) throw InputError(std::string("field '") + field + "' holds a non-string");
    const auto& name = item.get_ref<const std::string&>();
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
      throw InputError(std::string("field '") + field + "' holds unknown value '" + name + "'");
    names.insert(name);
  }
  // A set serialises sorted and unique; anything else is not the text that was signed.
  if (names.size() != it->size()) throw InputError(std::string("field '") + field + "' repeats a value");
  return names;
}

void require_known(const char* field, const std::string& value, const std::vector<std::string>& allowed) {
  if (std::find(allowed.begin(), allowed.end(), value) == allowed.end())
    throw InputError(std::string("field '") + field + "' holds unknown value '" + value + "'");
}

void require_fields(const json& object, const std::vector<const char*>& fields) {
  if (object.size() != fields.size()) {
    for (const auto& item :
         object.items()) {  // not a structured binding: clang 14 (fuzz build) cannot capture one
      const std::string& name = item.key();
      if (std::none_of(fields.begin(), fields.end(), [&](const char* f) { return name == f; }))
        throw InputError("unexpected field '" + name + "'");
    }
  }
  for (const char* field : fields) {
    if (!object.contains(field)) throw InputError(std::string("field '") + field + "' missing");
  }
}

void require_hash(const std::string& value, const char* field) {
  bool hex = value.size() == 64 && std::all_of(value.begin(), value.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
             });
  if (!hex) throw InputError(std::string("field '") + field + "' is not a SHA-256 hex digest");
}

void require_time(const std::string& value, const char* field) {
  auto t = parse_timestamp(value);
  if (!t || format_utc(*t) != value) throw InputError(std::string("field '") + field + "' is not a UTC time");
}

void put_terms(json& out, const Terms& terms) {
  out["grantor"] = terms.grantor;
  out["purposes"] = terms.purposes;
  out["platforms"] = terms.platforms;
  out["anonymize"] = terms.anonymize;
  out["audience"] = terms.audience;
  out["expires"] = terms.expires;
  if (!terms.form_sha256.empty()) out["form_sha256"] = terms.form_sha256;
}

Terms read_terms(const json& in) {
  Terms terms;
  terms.grantor = text(in, "grantor");
  require_known("grantor", terms.grantor, grantors());
  terms.purposes = name_list(in, "purposes", purposes());
  if (terms.purposes.empty()) throw InputError("field 'purposes' is empty");
  terms.platforms = name_list(in, "platforms", platforms());
  terms.anonymize = name_list(in, "anonymize", anonymizations());
  terms.audience = text(in, "audience");
  require_known("audience", terms.audience, audiences());
  terms.expires = text(in, "expires");
  require_time(terms.expires, "expires");
  if (in.contains("form_sha256")) {
    terms.form_sha256 = text(in, "form_sha256");
    require_hash(terms.form_sha256, "form_sha256");
  }
  return terms;
}

std::vector<const char*> fields_of(const json& in, EntryType type) {
  std::vector<const char*> common{"v", "seq", "prev", "time", "type", "sig"};
  auto add = [&](std::initializer_list<const char*> more) { common.insert(common.end(), more); };
  switch (type) {
    case EntryType::key:
      add({"key"});
      break;
    case EntryType::revoke:
      add({"case"});
      if (in.contains("purpose")) add({"purpose"});
      break;
    case EntryType::amend:
      add({"amends"});
      [[fallthrough]];
    case EntryType::grant:
      add({"case", "grantor", "purposes", "platforms", "anonymize", "audience", "expires"});
      if (in.contains("form_sha256")) add({"form_sha256"});
      break;
  }
  return common;
}

EntryType type_from(const std::string& name) {
  for (auto type : {EntryType::key, EntryType::grant, EntryType::amend, EntryType::revoke}) {
    if (to_string(type) == name) return type;
  }
  throw InputError("unknown entry type '" + name + "'");
}

}  // namespace

std::string to_string(EntryType type) {
  switch (type) {
    case EntryType::key:
      return "key";
    case EntryType::grant:
      return "grant";
    case EntryType::amend:
      return "amend";
    case EntryType::revoke:
      return "revoke";
  }
  return "?";
}

json unsigned_json(const Entry& entry) {
  json out = {{"v", kVersion},
              {"seq", entry.seq},
              {"prev", entry.prev},
              {"time", entry.time},
              {"type", to_string(entry.type)}};
  if (entry.type == EntryType::key) {
    out["key"] = entry.key;
    return out;
  }
  out["case"] = entry.case_id;
  if (entry.type == EntryType::revoke) {
    if (!entry.purpose.empty()) out["purpose"] = entry.purpose;
    return out;
  }
  put_terms(out, entry.terms);
  if (entry.type == EntryType::amend) out["amends"] = entry.amends;
  return out;
}

json to_json(const Entry& entry) {
  json out = unsigned_json(entry);
  out["sig"] = entry.sig;
  return out;
}

Entry entry_from_json(const json& in) {
  if (!in.is_object()) throw InputError("entry is not a JSON object");
  Entry entry;
  entry.type = type_from(text(in, "type"));
  require_fields(in, fields_of(in, entry.type));
  if (!in["v"].is_number_integer() || in["v"].get<int>() != kVersion)
    throw InputError("unsupported entry version");
  if (!in["seq"].is_number_integer()) throw InputError("field 'seq' is not an integer");
  entry.seq = in["seq"].get<std::int64_t>();
  entry.prev = text(in, "prev");
  require_hash(entry.prev, "prev");
  entry.time = text(in, "time");
  require_time(entry.time, "time");
  entry.sig = text(in, "sig");
  if (entry.type == EntryType::key) {
    entry.key = text(in, "key");
    return entry;
  }
  entry.case_id = text(in, "case");
  if (auto problem = case_id_problem(entry.case_id)) throw InputError("field 'case' rejected: " + *problem);
  if (entry.type == EntryType::revoke) {
    if (in.contains("purpose")) {
      entry.purpose = text(in, "purpose");
      require_known("purpose", entry.purpose, purposes());
    }
    return entry;
  }
  entry.terms = read_terms(in);
  if (entry.type == EntryType::amend) {
    entry.amends = text(in, "amends");
    require_hash(entry.amends, "amends");
  }
  return entry;
}

}  // namespace surg::consent
