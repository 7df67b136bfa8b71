// workflow.h — complaints-service's operations that combine the directory,
// the ladder and the store: filing, escalation (by a person or by the
// sweeper), breach routing, formal action, the sweep and deadline
// recomputation.
//
// The gRPC layer (complaints_server.h) authenticates, validates input and
// decides who may act; this layer gathers directory facts as of the right day,
// applies the pure ladder (ladder.h) and writes through the store, with the
// clock injected so tests can drive "today":
//
//   Workflow workflow(store, profile, [&](const std::string& for_person) {
//     return std::make_unique<RelationsDirectory>(stub, &key, for_person);
//   }, Clock::System());
//   absl::StatusOr<v1::Complaint> filed = workflow.File(request, caller, day);
//   absl::StatusOr<v1::RunSweepResponse> swept = workflow.Sweep(day);
#ifndef COUNCIL_COMPLAINTS_SERVICE_WORKFLOW_H_
#define COUNCIL_COMPLAINTS_SERVICE_WORKFLOW_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/calendar/working_day_calendar.h"
#include "complaints-service/complaints_store.h"
#include "complaints-service/directory.h"
#include "complaints-service/ladder.h"
#include "council/complaints/v1/complaints_service.pb.h"
#include "council/profile/v1/profile.pb.h"

namespace council::complaints {

// Today and now, injectable.
struct Clock {
  std::function<absl::CivilDay()> today;
  std::function<absl::Time()> now;

  // System
  //
  // Today in Europe/London and the real time.
  static Clock System();
};

// What the complainant chooses when escalating (South Somerset 17.4).
struct EscalationChoices {
  // They consulted their trade union representative first.
  bool trade_union_consulted = false;
  // They raise the matter directly with the next stage's direct handler.
  bool raise_directly = false;
};

// Makes a directory acting for a person ("" for the service itself).
using DirectoryFactory = std::function<std::unique_ptr<Directory>(const std::string& for_person)>;

class Workflow {
 public:
  Workflow(ComplaintsStore* store, std::shared_ptr<const profile::v1::CouncilProfile> profile,
           DirectoryFactory directories, Clock clock);

  // File
  //
  // Classifies `request` (its `kind`, if set, must agree), chooses the first
  // stage's handler as of `filed`, computes its deadlines and stores the new
  // complaint. Errors: INVALID_ARGUMENT (complaint.subject, complaint.kind),
  // NOT_FOUND (an unknown subject), FAILED_PRECONDITION (no procedure for
  // this kind, nobody eligible to handle), UNAVAILABLE (relations-service).
  //
  // `complainant_kind`, when the caller's roles already say it, saves a
  // directory lookup.
  absl::StatusOr<v1::Complaint> File(
      const v1::Complaint& request, const std::string& complainant, absl::CivilDay filed,
      std::optional<relations::v1::PersonKind> complainant_kind = std::nullopt);

  // Escalate
  //
  // Moves complaint `id` to its next stage on `day`, choosing that stage's
  // handler as of `day`. FAILED_PRECONDITION past the last stage (naming the
  // clause) or when nobody eligible can handle the next stage.
  // INVALID_ARGUMENT (naming `trade_union_consulted` or `raise_directly`)
  // when `choices` are made by anyone but the complainant, or the next stage
  // has no such route in the profile.
  absl::StatusOr<v1::Complaint> Escalate(absl::string_view id, const std::string& actor,
                                         absl::string_view reason, absl::CivilDay day,
                                         bool automatic, const EscalationChoices& choices = {});

  // RecordBreachFinding
  //
  // Routes a breach by `breached_by` (a party to complaint `id`) found by
  // `actor` under the profile's breach routes.
  absl::StatusOr<v1::Complaint> RecordBreachFinding(absl::string_view id, const std::string& actor,
                                                    const std::string& breached_by,
                                                    absl::string_view finding);

  // DecideFormalAction
  //
  // Records a decision on formal action against the officer complained
  // about. Where the route names a `formal_action_decider` (Southwark 70, the
  // Leader of the Council; Sheffield 15, the Monitoring Officer on the
  // manager's referral) only its acting holder decides, citing its clause;
  // otherwise refused (FAILED_PRECONDITION, citing the profile's
  // formal_action_clause) for members and for people outside the officer's
  // management chain. Always refused without consulting the profile's HR
  // designation.
  absl::StatusOr<v1::Complaint> DecideFormalAction(absl::string_view id, const std::string& actor,
                                                   bool formal_action,
                                                   const std::string& hr_consulted,
                                                   absl::string_view reasons);

  // Sweep
  //
  // Reports steps due `today`, warns of missed limits and escalates where the
  // stage says so; every report is an event in the outbox.
  absl::StatusOr<v1::RunSweepResponse> Sweep(absl::CivilDay today);

  // Recompute
  //
  // Recomputes every open complaint's open deadlines on the current calendar,
  // recording each change.
  absl::StatusOr<v1::RecomputeDeadlinesResponse> Recompute(absl::string_view reason,
                                                           const std::string& actor);

  // RecomputeIfCalendarChanged
  //
  // At start-up: if the calendar (bank holidays, closure days) differs from
  // the one the stored deadlines were computed with, recomputes them and
  // records the new calendar. Returns the number of deadlines moved.
  absl::StatusOr<int> RecomputeIfCalendarChanged();

  const profile::v1::CouncilProfile& profile() const { return *profile_; }
  const calendar::WorkingDayCalendar& calendar() const { return calendar_; }
  ComplaintsStore* store() const { return store_; }
  const Clock& clock() const { return clock_; }
  std::unique_ptr<Directory> DirectoryFor(const std::string& person) const {
    return directories_(person);
  }

 private:
  ComplaintsStore* store_;
  std::shared_ptr<const profile::v1::CouncilProfile> profile_;
  calendar::WorkingDayCalendar calendar_;
  DirectoryFactory directories_;
  Clock clock_;
};

// NewComplaintId
//
// A fresh complaint id: "c-" + 12 hex digits of Unix milliseconds + "-" + 8
// random hex digits, so ids sort by filing time.
std::string NewComplaintId(absl::Time now);

}  // namespace council::complaints

#endif  // COUNCIL_COMPLAINTS_SERVICE_WORKFLOW_H_
