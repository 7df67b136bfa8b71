// clause_coverage.h — how a profile accounts for its protocol's numbered
// clauses: each clause is either cited by the profile's rules or listed in
// `coverage.not_encoded` with the reason no rule follows (issue 18).
//
// The rules are found by walking the profile: every `ClauseCitation` in it
// (outside a rule switched off with `enabled: false`), named by its path
// ("document_access.need_to_know.clause"). A citation "<prefix> <number>"
// (the profile's `coverage.citation_prefix`) must name a clause of the
// protocol; one that cites statute ("Localism Act 2011 s30(1)") is listed
// apart. Problems: a citation of a number the protocol does not have (or of a
// heading), a clause in neither list or in both, a reason missing.
//
//   ProfileCoverage coverage = CoverProfile(profile, "profiles/x.textproto", text);
//   for (const std::string& problem : coverage.problems) ...
//   std::string markdown = RenderCoverageReport({coverage, ...});
#ifndef COUNCIL_TOOLS_COUNCILCTL_CLAUSE_COVERAGE_H_
#define COUNCIL_TOOLS_COUNCILCTL_CLAUSE_COVERAGE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "council/profile/v1/profile.pb.h"
#include "tools/councilctl/protocol_clauses.h"

namespace council::ctl {

struct ClauseCoverage {
  ProtocolClause clause;
  // Paths of the rules citing it, in profile order.
  std::vector<std::string> encoded_by;
  // Why no rule does, from `coverage.not_encoded`.
  std::string not_encoded_reason;
};

struct ProfileCoverage {
  // Where the profile came from, as shown ("profiles/southwark.textproto").
  std::string profile_label;
  std::string display_name;
  std::string protocol_source;
  std::string citation_prefix;
  // The protocol's clauses (headings left out), in the protocol's order.
  std::vector<ClauseCoverage> clauses;
  // Statute the profile cites besides its protocol, each once, in order.
  std::vector<std::string> statute_citations;
  // What makes the coverage incomplete or wrong; empty when it is whole.
  std::vector<std::string> problems;
};

// CoverProfile
//
// Matches `profile`'s citations and `coverage.not_encoded` against the
// numbered clauses of `protocol_text`.
ProfileCoverage CoverProfile(const profile::v1::CouncilProfile& profile,
                             absl::string_view profile_label, absl::string_view protocol_text);

// RenderCoverageReport
//
// docs/clause-coverage.md: a table per profile, clause by clause.
std::string RenderCoverageReport(const std::vector<ProfileCoverage>& profiles);

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_CLAUSE_COVERAGE_H_
