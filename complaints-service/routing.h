// routing.h — who handles a complaint, decided from the profile and a set of
// directory facts, with no I/O.
//
// The protocols route a complaint by who complains about whom (Southwark
// 66-70, Sheffield 10.3 and 15, Middlesbrough 19-20, South Somerset 16-17, the
// parish template 4.3 and 10.1). The profile names each stage's handler as a
// designation, a person relative to a party (line manager, head of service,
// chief officer, group leader or whip) or a body; this module turns that into
// a person, using facts gathered up front as of the filing date
// (routing_facts.h gathers them from relations-service):
//
//   RoutingFacts facts = ...;                      // the parties, chains, holders
//   StageAssignment a = AssignStage(profile, route, 0, facts);
//   if (!a.need_conflicts.empty()) { ... check those pairs, add them, retry ... }
//   else if (!a.error.ok()) return a.error;        // FAILED_PRECONDITION, clause named
//   else use a.handler;                            // with passed_over and reasons
//
// The rule that never bends: nobody handles a complaint about themselves, one
// they filed, or one about (or by) someone they have a declared relationship
// with. Each person passed over is recorded with why, and the next eligible
// person is taken: the deputy (through relations-service's acting holder), the
// next post up the management chain, the group's next officer, the body's
// vice-chair, then the profile's either-or alternatives.
#ifndef COUNCIL_COMPLAINTS_SERVICE_ROUTING_H_
#define COUNCIL_COMPLAINTS_SERVICE_ROUTING_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "council/complaints/v1/complaints_service.pb.h"
#include "council/profile/v1/profile.pb.h"
#include "council/relations/v1/relations_service.pb.h"

namespace council::complaints {

// A person as routing needs them.
struct PersonFacts {
  std::string name;  // "people/{id}"
  relations::v1::PersonKind kind = relations::v1::PERSON_KIND_UNSPECIFIED;
  std::string party_group;  // "groups/{id}" or empty
};

// A post in a management chain, with the holder on the routing date.
struct PostFacts {
  std::string post;    // "posts/{id}"
  std::string title;
  std::string holder;  // "people/{id}"; empty if vacant
  bool head_of_service = false;
  bool chief_officer = false;
};

// An officer's post and the posts above it, line manager first, up to the
// head of paid service.
struct ChainFacts {
  PostFacts own;
  std::vector<PostFacts> above;
};

// A party group's officers.
struct GroupFacts {
  std::string name;
  std::string leader;
  std::string deputy_leader;
  std::string whip;
};

// Who acts as a designation (relations-service's GetActingHolder, asked to
// exclude the complaint's parties and anyone related to them).
struct ActingFacts {
  absl::Status status;  // not OK: nobody can act (the message says why)
  std::string person;
  std::string designation;  // the designation actually held (may be a deputy's)
  std::vector<common::v1::DecisionReason> reasons;
  // Holders passed over for a deputy, in order (recorded in passed_over).
  std::vector<relations::v1::PassedOverHolder> passed_over;
};

// Whether a would-be handler is conflicted with a party.
struct ConflictFacts {
  bool conflicted = false;
  std::vector<std::string> relationships;
  std::vector<common::v1::DecisionReason> reasons;
};

// ConflictKey
//
// The key of `RoutingFacts::conflicts` for `person` handling a matter about
// or by `other`.
std::string ConflictKey(absl::string_view person, absl::string_view other);

// Everything routing may look at, as of one day.
struct RoutingFacts {
  absl::CivilDay as_of;
  PersonFacts complainant;
  // False when only the complainant's kind is known (from the caller's
  // roles); their party group is then looked up if a stage needs it.
  bool complainant_complete = true;
  // "people/{id}" or, for casework, "services/{id}".
  std::string subject;
  std::optional<PersonFacts> subject_person;
  // Designation ids the subject holds on `as_of`.
  std::vector<std::string> subject_designations;
  std::optional<ChainFacts> complainant_chain;
  std::optional<ChainFacts> subject_chain;
  // Casework: a chain from the service's most senior post within it upward.
  std::optional<ChainFacts> service_chain;
  std::optional<GroupFacts> complainant_group;
  std::optional<GroupFacts> subject_group;
  // Designation id -> acting holder.
  absl::flat_hash_map<std::string, ActingFacts> acting;
  // Body name -> its chair then vice-chair on `as_of`.
  absl::flat_hash_map<std::string, std::vector<std::string>> body_chairs;
  // ConflictKey(candidate, party) -> conflict.
  absl::flat_hash_map<std::string, ConflictFacts> conflicts;
  // Person -> their line manager on `as_of` ("" if none), for warnings.
  absl::flat_hash_map<std::string, std::string> managers;
};

// What one stage needs from the directory, so the gatherer asks only that.
struct FactNeeds {
  bool complainant_chain = false;
  bool subject_chain = false;
  bool service_chain = false;
  bool head_of_service_flags = false;
  bool complainant_group = false;
  bool subject_group = false;
  std::vector<std::string> designations;  // ids
  std::vector<std::string> bodies;        // names
};

// How a stage is entered.
struct StageOptions {
  // The complainant raises the matter directly with the stage's
  // `direct_handler` instead of its `handler` (South Somerset 17.4).
  bool direct = false;
};

// NeedsFor
//
// Returns the facts needed to assign every handler, joint handler, adviser,
// facilitator, investigator and notification of `stage` (and
// `route.notify_on_filing` for the first stage).
FactNeeds NeedsFor(const profile::v1::ComplaintRoute& route, int stage_index,
                   const StageOptions& options = {});

// NeedsForHandler
//
// Returns the facts needed to resolve one handler reference.
FactNeeds NeedsForHandler(const profile::v1::HandlerRef& handler);

// IsMemberSide / IsOfficerSide
//
// Members and co-opted members complain as members; officers and political
// assistants as officers.
bool IsMemberSide(relations::v1::PersonKind kind);
bool IsOfficerSide(relations::v1::PersonKind kind);

// IsSeniorOfficer
//
// Returns true if the subject counts as a senior officer under `rules`
// (defaults: chief officer posts, the monitoring officer and the chief
// finance officer), with the reason in `why`.
bool IsSeniorOfficer(const profile::v1::ComplaintRules& rules, const RoutingFacts& facts,
                     std::string* why);

// Classify
//
// Returns the kind of complaint the parties make it, with the reason:
// casework for a service; about the chief executive if the subject holds
// "head-of-paid-service"; about a senior officer per `IsSeniorOfficer`; about
// an officer; an officer's about a member. INVALID_ARGUMENT (naming
// complaint.subject) for a complaint the member/officer protocol does not
// cover (member about member, officer about officer, casework by an officer).
absl::StatusOr<profile::v1::ComplaintKind> Classify(const profile::v1::ComplaintRules& rules,
                                                    const RoutingFacts& facts, std::string* why);

// The people found for one stage.
struct StageAssignment {
  // OK, or FAILED_PRECONDITION naming the stage's clause when nobody eligible
  // can handle it (meaningful only once `need_conflicts` is empty).
  absl::Status error;
  // Conflict facts missing before a decision can be made: pairs
  // (candidate, party) for `ConflictKey`.
  std::vector<std::pair<std::string, std::string>> need_conflicts;
  // People whose line manager is needed (`RoutingFacts::managers`).
  std::vector<std::string> need_managers;
  v1::HandlerAssignment handler;
  std::vector<v1::HandlerAssignment> joint_handlers;
  std::vector<v1::HandlerAssignment> advisers;
  std::vector<v1::Notification> notifications;
  // Who may facilitate a meeting (Southwark 69); set when the stage names a
  // facilitator, with an empty person when nobody can.
  std::optional<v1::HandlerAssignment> facilitator;
  // Who investigates at the handler's arrangement (Sheffield 15).
  std::optional<v1::HandlerAssignment> investigator;
  // Who gives the response when not the handler (Southwark 69: the subject).
  std::optional<v1::HandlerAssignment> respondent;
  // Entered through the stage's direct handler (South Somerset 17.4).
  bool direct = false;
};

// AssignStage
//
// Chooses the handler (or, with `options.direct`, the direct handler), joint
// handlers, advisers, facilitator, investigator and respondent of stage
// `stage_index` of `route` and the people to be told (the route's
// `notify_on_filing` for the first stage, and the stage's `notify_on_entry`;
// the complainant is never "told" of their own complaint), from `facts`
// alone. A stage whose response comes from the subject may have no handler.
StageAssignment AssignStage(const profile::v1::CouncilProfile& profile,
                            const profile::v1::ComplaintRoute& route, int stage_index,
                            const RoutingFacts& facts, const StageOptions& options = {});

// AssignHandler
//
// Chooses a person for one handler reference (with its alternatives),
// excluding `parties` and anyone with a declared relationship with one of
// them, and `also_excluded` (people already handling). `clause` is cited when
// nobody is eligible.
StageAssignment AssignHandler(const profile::v1::HandlerRef& handler, const RoutingFacts& facts,
                              const std::vector<std::string>& parties,
                              const common::v1::ClauseCitation& clause,
                              const std::vector<std::string>& also_excluded = {});

// Parties
//
// The people a handler must not be or be related to: the complainant and, when
// a person, the subject.
std::vector<std::string> Parties(const RoutingFacts& facts);

// RelativeName
//
// "line manager", "head of service", ... for messages.
std::string RelativeName(profile::v1::Relative relative);

}  // namespace council::complaints

#endif  // COUNCIL_COMPLAINTS_SERVICE_ROUTING_H_
