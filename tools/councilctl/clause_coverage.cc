// clause_coverage.cc — see clause_coverage.h.
#include "tools/councilctl/clause_coverage.h"

#include <map>
#include <regex>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace council::ctl {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

struct Citation {
  std::string path;
  std::string clause;
};

// How an element of a repeated field is named in a path: by its `id`, or its
// `kind` ("routes[COMPLAINT_KIND_MEMBER_ABOUT_OFFICER]"), else its index.
std::string ElementName(const Message& element, int index) {
  const auto* d = element.GetDescriptor();
  const Reflection* r = element.GetReflection();
  if (const FieldDescriptor* id = d->FindFieldByName("id");
      id != nullptr && id->type() == FieldDescriptor::TYPE_STRING && !id->is_repeated() &&
      !r->GetString(element, id).empty())
    return r->GetString(element, id);
  if (const FieldDescriptor* kind = d->FindFieldByName("kind");
      kind != nullptr && kind->type() == FieldDescriptor::TYPE_ENUM && !kind->is_repeated())
    return r->GetEnum(element, kind)->name();
  return absl::StrCat(index);
}

// A rule switched off (`enabled: false`) encodes nothing, whatever it cites.
bool SwitchedOff(const Message& message) {
  const FieldDescriptor* enabled = message.GetDescriptor()->FindFieldByName("enabled");
  return enabled != nullptr && enabled->type() == FieldDescriptor::TYPE_BOOL &&
         !enabled->is_repeated() && !message.GetReflection()->GetBool(message, enabled);
}

void CollectCitations(const Message& message, const std::string& path,
                      std::vector<Citation>* out) {
  const auto* d = message.GetDescriptor();
  if (d->full_name() == "council.common.v1.ClauseCitation") {
    const FieldDescriptor* clause = d->FindFieldByName("clause");
    const std::string text = message.GetReflection()->GetString(message, clause);
    if (!text.empty()) out->push_back({path, text});
    return;
  }
  if (SwitchedOff(message)) return;
  const Reflection* r = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    const std::string base = path.empty() ? field->name() : absl::StrCat(path, ".", field->name());
    if (field->is_repeated()) {
      for (int i = 0; i < r->FieldSize(message, field); ++i) {
        const Message& element = r->GetRepeatedMessage(message, field, i);
        CollectCitations(element, absl::StrCat(base, "[", ElementName(element, i), "]"), out);
      }
    } else {
      CollectCitations(r->GetMessage(message, field), base, out);
    }
  }
}

// Statute is cited by its title and year ("Localism Act 2011 s30(1)").
bool CitesStatute(const std::string& clause) {
  static const std::regex statute(R"(\b(Act|Regulations|Order) \d{4}\b)");
  return std::regex_search(clause, statute);
}

std::string CellText(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"|", "\\|"}, {"\n", " "}});
}

}  // namespace

ProfileCoverage CoverProfile(const profile::v1::CouncilProfile& profile,
                             absl::string_view profile_label, absl::string_view protocol_text) {
  ProfileCoverage coverage;
  coverage.profile_label = std::string(profile_label);
  coverage.display_name = profile.display_name();
  coverage.protocol_source = profile.protocol_source();
  coverage.citation_prefix = profile.coverage().citation_prefix();
  auto problem = [&](std::string text) {
    coverage.problems.push_back(absl::StrCat(profile_label, ": ", text));
  };
  if (coverage.citation_prefix.empty()) {
    problem("coverage.citation_prefix is required (the words before the paragraph number)");
    return coverage;
  }
  const std::string prefix = absl::StrCat(coverage.citation_prefix, " ");

  std::map<std::string, size_t> clause_at;  // number -> index in coverage.clauses
  std::set<std::string> headings;
  for (const ProtocolClause& clause : ExtractProtocolClauses(protocol_text)) {
    if (clause.heading) {
      headings.insert(clause.number);
      continue;
    }
    clause_at[clause.number] = coverage.clauses.size();
    coverage.clauses.push_back({clause, {}, ""});
  }
  if (coverage.clauses.empty()) {
    problem(absl::StrCat(profile.protocol_source(), " has no numbered clauses"));
    return coverage;
  }
  // The number a citation names, or "" after saying what is wrong with it.
  auto number_of = [&](const std::string& clause, const std::string& where) -> std::string {
    absl::string_view number = clause;
    if (!absl::ConsumePrefix(&number, prefix)) {
      problem(absl::StrCat(where, " \"", clause, "\" does not begin \"", prefix, "\""));
      return "";
    }
    if (headings.count(std::string(number)))
      problem(absl::StrCat(where, " \"", clause, "\" names a heading of ",
                           profile.protocol_source(), ": cite its paragraphs"));
    else if (!clause_at.count(std::string(number)))
      problem(absl::StrCat(where, " \"", clause, "\" is not a numbered clause of ",
                           profile.protocol_source()));
    else
      return std::string(number);
    return "";
  };

  std::vector<Citation> citations;
  CollectCitations(profile, "", &citations);
  std::set<std::string> statute;
  for (const Citation& citation : citations) {
    if (!absl::StartsWith(citation.clause, prefix) && CitesStatute(citation.clause)) {
      if (statute.insert(citation.clause).second)
        coverage.statute_citations.push_back(citation.clause);
      continue;
    }
    const std::string number = number_of(citation.clause, citation.path);
    if (number.empty()) continue;
    auto& encoded_by = coverage.clauses[clause_at[number]].encoded_by;
    if (std::find(encoded_by.begin(), encoded_by.end(), citation.path) == encoded_by.end())
      encoded_by.push_back(citation.path);
  }

  const auto& not_encoded = profile.coverage().not_encoded();
  for (int i = 0; i < not_encoded.size(); ++i) {
    const std::string where = absl::StrCat("coverage.not_encoded[", i, "]");
    const std::string reason(absl::StripAsciiWhitespace(not_encoded[i].reason()));
    if (reason.empty()) problem(absl::StrCat(where, " has no reason"));
    for (const std::string& clause : not_encoded[i].clauses()) {
      const std::string number = number_of(clause, where);
      if (number.empty()) continue;
      ClauseCoverage& entry = coverage.clauses[clause_at[number]];
      if (!entry.encoded_by.empty())
        problem(absl::StrCat(where, " lists \"", clause, "\", which ",
                             entry.encoded_by.front(), " encodes"));
      else if (!entry.not_encoded_reason.empty())
        problem(absl::StrCat(where, " lists \"", clause, "\" a second time"));
      else
        entry.not_encoded_reason = reason.empty() ? "(no reason)" : reason;
    }
  }
  for (const ClauseCoverage& entry : coverage.clauses)
    if (entry.encoded_by.empty() && entry.not_encoded_reason.empty())
      problem(absl::StrCat("\"", prefix, entry.clause.number,
                           "\" is neither cited by a rule nor listed in coverage.not_encoded"));
  return coverage;
}

std::string RenderCoverageReport(const std::vector<ProfileCoverage>& profiles) {
  std::string out =
      "# Clause coverage\n\n"
      "Generated by `councilctl coverage report --out=docs/clause-coverage.md` from\n"
      "`profiles/*.textproto` and the protocol texts in `protocols/`; do not edit by\n"
      "hand. The councilctl test `ClauseCoverageTest.ShippedReportIsCurrent` fails\n"
      "when this file is stale, when a profile cites a clause its protocol does not\n"
      "have, and when a clause is neither cited by a rule nor listed, with its reason,\n"
      "in the profile's `coverage.not_encoded`.\n\n"
      "A clause is a number that opens a line of the protocol and continues its\n"
      "numbering (`tools/councilctl/protocol_clauses.h`). A number with numbered\n"
      "children is a heading, not a clause, unless its own text is a sentence. Two\n"
      "repairs are noted beside the clause: a number the text lost is inferred from\n"
      "the gap, and a misprinted number where the next sibling belongs is read as\n"
      "that sibling. A rule switched off (`enabled: false`) encodes nothing. The\n"
      "parish template's profile is covered against the template text itself: a\n"
      "parish adopting it copies the profile and its `not_encoded` list, and\n"
      "re-checks both against the text it adopted.\n";
  for (const ProfileCoverage& p : profiles) {
    int encoded = 0;
    for (const auto& entry : p.clauses) encoded += entry.encoded_by.empty() ? 0 : 1;
    absl::StrAppend(&out, "\n## ", p.display_name, "\n\n", "Profile `", p.profile_label,
                    "`, protocol `protocols/", p.protocol_source, "`, cited as \"",
                    p.citation_prefix, " N\". ", p.clauses.size(), " numbered clauses: ",
                    encoded, " encoded by rules, ", p.clauses.size() - encoded,
                    " not encoded, each with its reason.");
    if (!p.statute_citations.empty())
      absl::StrAppend(&out, " Statute also cited: ", absl::StrJoin(p.statute_citations, "; "),
                      ".");
    absl::StrAppend(&out, "\n\n| Clause | Begins | Encoded by | Not a rule because |\n",
                    "|---|---|---|---|\n");
    for (const auto& entry : p.clauses) {
      std::string clause = entry.clause.number;
      if (!entry.clause.note.empty()) absl::StrAppend(&clause, " (", entry.clause.note, ")");
      std::vector<std::string> rules;
      for (const auto& path : entry.encoded_by) rules.push_back(absl::StrCat("`", path, "`"));
      absl::StrAppend(&out, "| ", CellText(clause), " | ", CellText(entry.clause.excerpt), " | ",
                      absl::StrJoin(rules, "<br>"), " | ", CellText(entry.not_encoded_reason),
                      " |\n");
    }
  }
  return out;
}

}  // namespace council::ctl
