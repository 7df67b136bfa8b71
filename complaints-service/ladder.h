// ladder.h — a complaint's life as pure state transitions.
//
// Each function changes a `v1::Complaint` in memory and returns the events the
// change produces (to the timeline and the outbox); storage, authorisation and
// directory lookups are the caller's. So every rule of the ladder is testable
// without a server:
//
//   Action act{"people/off-x", absl::CivilDay(2027, 1, 4), absl::Now()};
//   absl::StatusOr<Events> events = Acknowledge(act, &complaint);
//
// Errors name the clause where a protocol rule refuses (FAILED_PRECONDITION)
// and the field where input is wrong (INVALID_ARGUMENT); on error the
// complaint is left unchanged.
#ifndef COUNCIL_COMPLAINTS_SERVICE_LADDER_H_
#define COUNCIL_COMPLAINTS_SERVICE_LADDER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/calendar/working_day_calendar.h"
#include "complaints-service/routing.h"
#include "council/complaints/v1/complaints_service.pb.h"
#include "council/profile/v1/profile.pb.h"

namespace council::complaints {

using Events = std::vector<v1::ComplaintEvent>;

// Who acts, on which council day, at what instant.
struct Action {
  std::string actor;  // "people/{id}" or "services/complaints-service"
  absl::CivilDay day;
  absl::Time now;
};

inline constexpr char kSweeper[] = "services/complaints-service";

// FindRoute
//
// The profile's route for `kind`, or null.
const profile::v1::ComplaintRoute* FindRoute(const profile::v1::CouncilProfile& profile,
                                             profile::v1::ComplaintKind kind);

// StageIndex
//
// The index of `stage_id` in `route`, or -1.
int StageIndex(const profile::v1::ComplaintRoute& route, absl::string_view stage_id);

// EnterStage
//
// Opens stage `stage_index` of `route` on `act.day` with `assignment`: appends
// its StageRecord (deadlines counted from that day), makes it current, adds
// its people to the participants and returns the FILED or ESCALATED event
// (with `entry_detail`) plus a NOTIFIED event per person to be told.
Events EnterStage(const profile::v1::ComplaintRoute& route, int stage_index,
                  const StageAssignment& assignment, const calendar::WorkingDayCalendar& calendar,
                  const Action& act, absl::string_view entry_detail, v1::Complaint* complaint);

// Acknowledge
//
// The handler acknowledges the current stage on `act.day`.
absl::StatusOr<Events> Acknowledge(const Action& act, v1::Complaint* complaint);

// RecordHoldingNotice
//
// The handler tells the complainant when the response will come. With
// `sets_response_date` (South Somerset 16.3) the promised date becomes the
// respond deadline and is required.
absl::StatusOr<Events> RecordHoldingNotice(const Action& act, const profile::v1::ComplaintStage& stage,
                                           std::optional<absl::CivilDay> expected,
                                           absl::string_view text, v1::Complaint* complaint);

// Respond
//
// The handler responds at the current stage. Meets the respond, holding-notice
// and acknowledge deadlines still open. Where the stage keeps a record of the
// salient points (Sheffield 15) at least one is required.
absl::StatusOr<Events> Respond(const Action& act, const profile::v1::ComplaintStage& stage,
                               absl::string_view text, const std::vector<std::string>& salient,
                               const std::vector<std::string>& actions, v1::Complaint* complaint);

// CheckCanEscalate
//
// OK if the complaint is open and its route has a stage after the current
// one; otherwise FAILED_PRECONDITION naming the last stage's clause.
absl::Status CheckCanEscalate(const profile::v1::ComplaintRoute& route,
                              const v1::Complaint& complaint);

// Escalate
//
// Leaves the current stage (`reason` recorded) and enters the next with
// `assignment`. `automatic` marks the sweeper's escalations.
// `trade_union_consulted` records that the complainant consulted their trade
// union representative first (a TRADE_UNION_CONSULTED event citing the next
// stage's `trade_union_consultation_clause`, South Somerset 17.4).
absl::StatusOr<Events> Escalate(const Action& act, const profile::v1::ComplaintRoute& route,
                                const StageAssignment& assignment,
                                const calendar::WorkingDayCalendar& calendar,
                                absl::string_view reason, bool automatic, v1::Complaint* complaint,
                                bool trade_union_consulted = false);

// Close
//
// Records the outcome and closes the complaint. Required changes schedule the
// follow-up check on `follow_up_date` if given, else `rule.months` after the
// outcome (moved to the next working day); none if neither applies.
absl::StatusOr<Events> Close(const Action& act, const profile::v1::ComplaintRoute& route,
                             const profile::v1::FollowUpRule& rule,
                             const calendar::WorkingDayCalendar& calendar, v1::Outcome outcome,
                             std::optional<absl::CivilDay> follow_up_date,
                             v1::Complaint* complaint);

// RecordBreach
//
// Records a breach found after an upheld (or partly upheld) outcome and where
// it goes.
absl::StatusOr<Events> RecordBreach(const Action& act, v1::BreachReferral referral,
                                    v1::Complaint* complaint);

// RecordFormalAction
//
// Records the decision on formal action (once).
absl::StatusOr<Events> RecordFormalAction(const Action& act, v1::FormalActionDecision decision,
                                          v1::Complaint* complaint);

// CompleteFollowUp
//
// Records the follow-up check as done.
absl::StatusOr<Events> CompleteFollowUp(const Action& act, bool implemented, bool content,
                                        absl::string_view notes, v1::Complaint* complaint);

// RecomputeOpenDeadlines
//
// Recomputes the current stage's open deadlines and a pending follow-up on
// `calendar`; returns a DEADLINES_RECOMPUTED event per changed complaint
// (none if nothing moved) and adds the number of moved dates to `changed`.
Events RecomputeOpenDeadlines(const Action& act, const calendar::WorkingDayCalendar& calendar,
                              absl::string_view reason, v1::Complaint* complaint, int* changed);

// DecorateForRead
//
// Fills the output-only states as of `today`: every deadline's state and the
// follow-up's.
void DecorateForRead(absl::CivilDay today, v1::Complaint* complaint);

// CurrentStage
//
// The current stage's record, or null when none.
v1::StageRecord* CurrentStage(v1::Complaint* complaint);
const v1::StageRecord* CurrentStage(const v1::Complaint& complaint);

// IsHandler
//
// True if `person` handles (or jointly handles) the current stage.
bool IsHandler(const v1::Complaint& complaint, absl::string_view person);

// What someone does at the current stage.
enum class StageAct { kAcknowledge, kHoldingNotice, kRespond, kClose };

// StageActors
//
// Who may take `step` at the current stage: its handler and joint handlers;
// for the response, the stage's respondent instead where it has one
// (Southwark 69: the chief executive; Sheffield 15: the investigating
// Executive Director). At a stage without a handler the respondent also
// acknowledges and sends holding notices, and the complainant closes
// (content with the response).
std::vector<std::string> StageActors(const v1::Complaint& complaint, StageAct step);

// MayAct
//
// True if `person` is among `StageActors(complaint, step)`.
bool MayAct(const v1::Complaint& complaint, absl::string_view person, StageAct step);

// IsParticipant
//
// True if `person` takes part in the complaint in any role.
bool IsParticipant(const v1::Complaint& complaint, absl::string_view person);

// WarningRecipients
//
// The people warned when the current stage misses a limit: its handlers and
// the handler's manager.
std::vector<std::string> WarningRecipients(const v1::Complaint& complaint);

}  // namespace council::complaints

#endif  // COUNCIL_COMPLAINTS_SERVICE_LADDER_H_
