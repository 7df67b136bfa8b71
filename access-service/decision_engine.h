// decision_engine.h — decides a member's request to inspect a document.
//
// A pure function of the council's profile, the document's metadata, the
// request and the facts gathered about the requester, so real decisions,
// "explain" and "what may this member see" run the same code and can never
// disagree. Built once from the profile and shared:
//
//   auto engine = DecisionEngine::Create(profile);          // validates the profile
//   v1::AccessDecision d = (*engine)->Decide(document, ask, facts, today);
//   bool granted = (*engine)->Grants(document, ask, facts, today);  // no strings built
//
// Rules apply in this fixed order; each step that matters is recorded with its
// clause, and the last reason is the one that decided:
//
//   0. a political assistant asks with members' level of access for their
//      group (Middlesbrough 12.5)
//   1. bars that no presumption overrides:
//      a. another party group's internal document (Middlesbrough 14.8,
//         Sheffield 14.7)
//      b. advice another member asked for (Middlesbrough 14.10; Sheffield
//         10.1.1 refers instead)
//      c. a declared interest in one of the document's matters (South
//         Somerset 9 refuses; Middlesbrough 14.6 refers for Monitoring Officer
//         advice first)
//   2. the requester's own requested advice is theirs (Middlesbrough 14.10)
//   2b. where the profile says so, third parties' personal data must be
//      justified in specific terms even where a presumption would grant, and
//      it takes the document outside the meeting-business right (Sheffield
//      14.6 with 14.3)
//   3. presumptions: member of the document's body (Middlesbrough 14.3,
//      Sheffield 14.6, Southwark 53); portfolio holder for the portfolio or its
//      services (Southwark 53); ward member acting for a constituent for a
//      document about their ward (Southwark 53); meeting business open to
//      every member unless confidential or exempt (Sheffield 14.3)
//   4. Freedom of Information routing: unrelated to any meeting, or about a
//      ward the requester does not represent (Southwark 60), due in 20 FOI
//      working days
//   5. confidential, or exempt under a Schedule 12A paragraph the council
//      relies on: not on need to know alone (Middlesbrough 14.4, South
//      Somerset 10, Southwark 53, parish 5.1)
//   6. need to know: no stated need, no access ("no roving commission", "no
//      fishing expedition": Southwark 52, Sheffield 14.5, Middlesbrough 14.4,
//      parish 5.1)
//   7. third parties' personal data must be justified in specific terms
//      (Sheffield 14.6, Southwark 53; Middlesbrough 14.6 refers)
//   8. a stated need: the profile's need_to_know effect (refer to the dispute
//      decider, grant under South Somerset 8, or FOI)
//   9. otherwise the dispute decider decides
//
// Every refusal then cites the profile's refusal-reasons clause (parish 5.2).
#ifndef COUNCIL_ACCESS_SERVICE_DECISION_ENGINE_H_
#define COUNCIL_ACCESS_SERVICE_DECISION_ENGINE_H_

#include <bitset>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/calendar/working_day_calendar.h"
#include "council/access/v1/access_service.pb.h"
#include "council/profile/v1/profile.pb.h"

namespace council::access {

// What the requester is, for access purposes.
enum class RequesterKind { kMember, kCoOptedMember, kPoliticalAssistant };

// A declared interest of the requester, as the engine matches it.
struct InterestFact {
  // `people/{p}/interests/{i}`.
  std::string name;
  // Lower-case category without prefix, for example "employment".
  std::string category;
};

// Everything known about the requester on the decision day, gathered from
// relations-service once per request (or listing) before the engine runs.
struct RequesterFacts {
  // `people/{person}`.
  std::string person;
  RequesterKind kind = RequesterKind::kMember;
  // `wards/{ward}` the member represents; empty for co-opted members and
  // political assistants.
  std::string ward;
  // `groups/{group}`; empty if none.
  std::string party_group;
  // `bodies/{body}` seats in force.
  absl::flat_hash_set<std::string> bodies;
  // `portfolios/{portfolio}` held.
  absl::flat_hash_set<std::string> portfolios;
  // Service ids the held portfolios cover.
  absl::flat_hash_set<std::string> portfolio_services;
  // Matter id -> the interests in force that concern it.
  absl::flat_hash_map<std::string, std::vector<InterestFact>> interests_by_matter;
  // The day the facts are for.
  absl::CivilDay as_of;
};

// The parts of a request the rules read. The texts are views: the request
// they come from must outlive the Ask.
struct Ask {
  v1::Capacity capacity = v1::CAPACITY_OTHER;
  absl::string_view purpose;
  absl::string_view justification;

  static Ask From(const v1::AccessRequest& request) {
    return {request.capacity(), request.purpose(), request.justification()};
  }
};

class DecisionEngine {
 public:
  // Create
  //
  // Compiles the profile's document-access rules. INVALID_ARGUMENT naming the
  // field if a part only this service reads is wrong (an unknown Schedule 12A
  // numbering, a paragraph outside it, an unknown interest category).
  static absl::StatusOr<std::unique_ptr<const DecisionEngine>> Create(
      std::shared_ptr<const profile::v1::CouncilProfile> profile);

  // Decide
  //
  // Returns the decision with every clause applied, in order. `today` is the
  // day of receipt for any FOI due date.
  v1::AccessDecision Decide(const v1::Document& document, const Ask& ask,
                            const RequesterFacts& facts, absl::CivilDay today) const;

  // Grants
  //
  // Returns whether Decide would grant, without building any reasons: the
  // same code path, for scanning the whole catalogue.
  bool Grants(const v1::Document& document, const Ask& ask, const RequesterFacts& facts,
              absl::CivilDay today) const;

  // AddGrantConditions
  //
  // Adds the profile's grant conditions (and "Not for Publication" where the
  // document is so marked) to a granted `decision`, each with its clause; the
  // same conditions a grant by the rules carries, for a dispute decider's grant.
  void AddGrantConditions(const v1::Document& document, v1::AccessDecision* decision) const;

  // AddRefusalReasons
  //
  // Cites the profile's refusal-reasons clause (parish 5.2), if any, on a
  // refused `decision`.
  void AddRefusalReasons(v1::AccessDecision* decision) const;

  // FittingCapacity
  //
  // The capacity a member would ask in when they do not say: ward member for
  // a document about the ward they represent, otherwise other.
  static v1::Capacity FittingCapacity(const v1::Document& document, const RequesterFacts& facts);

  // MaxExemptParagraph
  //
  // The highest Schedule 12A paragraph in the profile's numbering (7 after
  // 2006, 15 before); documents are validated against it.
  int MaxExemptParagraph() const { return max_exempt_paragraph_; }

  // IsRecordReader
  //
  // Returns true if one of `roles` may read the record (profile
  // `record_reader_roles`).
  bool IsRecordReader(const std::vector<std::string>& roles) const;

  const profile::v1::CouncilProfile& profile() const { return *profile_; }

 private:
  class Trace;
  explicit DecisionEngine(std::shared_ptr<const profile::v1::CouncilProfile> profile);
  v1::Outcome Run(const v1::Document& document, const Ask& ask, const RequesterFacts& facts,
                  absl::CivilDay today, Trace* trace) const;
  // Whether the document is exempt under a paragraph the council relies on.
  bool ReliedOnExemption(const v1::Document& document) const;
  bool InterestCounts(const InterestFact& interest) const;

  std::shared_ptr<const profile::v1::CouncilProfile> profile_;
  const profile::v1::DocumentAccessRules& rules_;
  calendar::WorkingDayCalendar foi_calendar_;
  int max_exempt_paragraph_ = 7;
  // Paragraphs the council relies on; all when the profile lists none.
  std::bitset<16> relied_on_paragraphs_;
  absl::flat_hash_set<std::string> interest_categories_;  // empty: all
  absl::flat_hash_set<std::string> record_reader_roles_;
};

// InterestCategoryName
//
// "employment" for relations' INTEREST_CATEGORY_EMPLOYMENT and so on (the
// profile's spelling); empty for an unknown number.
std::string InterestCategoryName(int category);

}  // namespace council::access

#endif  // COUNCIL_ACCESS_SERVICE_DECISION_ENGINE_H_
