#include "complaints-service/deadlines.h"

#include "absl/strings/str_cat.h"
#include "common/util/resource_names.h"

namespace council::complaints {

calendar::WorkingDayCalendar CouncilCalendar(const profile::v1::CouncilProfile& profile) {
  calendar::Nation nation = calendar::Nation::kEnglandAndWales;
  if (profile.nation() == profile::v1::NATION_SCOTLAND) nation = calendar::Nation::kScotland;
  if (profile.nation() == profile::v1::NATION_NORTHERN_IRELAND)
    nation = calendar::Nation::kNorthernIreland;
  std::vector<calendar::ClosureDay> closures;
  for (const auto& closure : profile.closure_days())
    closures.push_back({absl::CivilDay(closure.date().year(), closure.date().month(),
                                       closure.date().day()),
                        closure.reason()});
  return calendar::WorkingDayCalendar::ForCouncil(nation, std::move(closures));
}

std::vector<v1::Deadline> StageDeadlines(const profile::v1::ComplaintStage& stage,
                                         absl::CivilDay opened,
                                         const calendar::WorkingDayCalendar& calendar) {
  std::vector<v1::Deadline> deadlines;
  auto add = [&](const char* step, const profile::v1::WorkingDayLimit& limit) {
    if (limit.working_days() <= 0) return;
    v1::Deadline deadline;
    deadline.set_step(step);
    deadline.set_working_days(limit.working_days());
    const absl::CivilDay due = calendar.AddWorkingDays(opened, limit.working_days());
    *deadline.mutable_due_date() = ToProtoDate(due);
    *deadline.mutable_clause() = limit.clause();
    for (const auto& skipped : calendar.NonWorkingDaysBetween(opened, due))
      deadline.add_skipped_days(absl::StrCat(FormatDay(skipped.day), " ", skipped.reason));
    deadlines.push_back(std::move(deadline));
  };
  add("acknowledge", stage.acknowledge());
  add("holding-notice", stage.holding_notice());
  add("respond", stage.respond());
  return deadlines;
}

}  // namespace council::complaints
