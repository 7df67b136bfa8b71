#include "complaints-service/deadlines.h"

#include "absl/strings/str_cat.h"
#include "common/util/resource_names.h"
#include "openssl/sha.h"

namespace council::complaints {
namespace {

void FillSkipped(const calendar::WorkingDayCalendar& calendar, absl::CivilDay from,
                 absl::CivilDay due, v1::Deadline* deadline) {
  deadline->clear_skipped_days();
  for (const auto& skipped : calendar.NonWorkingDaysBetween(from, due))
    deadline->add_skipped_days(absl::StrCat(FormatDay(skipped.day), " ", skipped.reason));
}

}  // namespace

calendar::WorkingDayCalendar CouncilCalendar(const profile::v1::CouncilProfile& profile) {
  calendar::Nation nation = calendar::Nation::kEnglandAndWales;
  if (profile.nation() == profile::v1::NATION_SCOTLAND) nation = calendar::Nation::kScotland;
  if (profile.nation() == profile::v1::NATION_NORTHERN_IRELAND)
    nation = calendar::Nation::kNorthernIreland;
  std::vector<calendar::ClosureDay> closures;
  for (const auto& closure : profile.council_configuration().closure_days())
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
    deadline.set_stage(stage.id());
    deadline.set_working_days(limit.working_days());
    *deadline.mutable_counted_from() = ToProtoDate(opened);
    const absl::CivilDay due = calendar.AddWorkingDays(opened, limit.working_days());
    *deadline.mutable_due_date() = ToProtoDate(due);
    *deadline.mutable_clause() = limit.clause();
    deadline.set_calendar(std::string(calendar.description()));
    FillSkipped(calendar, opened, due, &deadline);
    deadlines.push_back(std::move(deadline));
  };
  add("acknowledge", stage.acknowledge());
  add("holding-notice", stage.holding_notice());
  add("respond", stage.respond());
  return deadlines;
}

bool RecomputeDeadline(const calendar::WorkingDayCalendar& calendar, v1::Deadline* deadline) {
  if (deadline->working_days() <= 0 || !deadline->has_counted_from()) return false;
  auto from = ToCivilDay(deadline->counted_from(), "counted_from");
  if (!from.ok()) return false;
  const absl::CivilDay due = calendar.AddWorkingDays(*from, deadline->working_days());
  const bool changed = FormatDay(due) != FormatDay(absl::CivilDay(deadline->due_date().year(),
                                                                  deadline->due_date().month(),
                                                                  deadline->due_date().day()));
  *deadline->mutable_due_date() = ToProtoDate(due);
  deadline->set_calendar(std::string(calendar.description()));
  FillSkipped(calendar, *from, due, deadline);
  return changed;
}

v1::DeadlineState StateOn(const v1::Deadline& deadline, std::optional<absl::CivilDay> stage_left,
                          absl::CivilDay today) {
  const auto& d = deadline.due_date();
  const absl::CivilDay due(d.year(), d.month(), d.day());
  if (deadline.has_met_date()) {
    const auto& m = deadline.met_date();
    return absl::CivilDay(m.year(), m.month(), m.day()) <= due ? v1::DEADLINE_STATE_MET
                                                               : v1::DEADLINE_STATE_MET_LATE;
  }
  if (stage_left.has_value()) {
    return *stage_left <= due ? v1::DEADLINE_STATE_LAPSED : v1::DEADLINE_STATE_OVERDUE;
  }
  if (today > due) return v1::DEADLINE_STATE_OVERDUE;
  if (today == due) return v1::DEADLINE_STATE_DUE_TODAY;
  return v1::DEADLINE_STATE_PENDING;
}

std::string CalendarFingerprint(const calendar::WorkingDayCalendar& calendar, absl::CivilDay from,
                                absl::CivilDay to) {
  std::string text(calendar.description());
  for (const auto& day : calendar.NonWorkingDaysBetween(from, to))
    if (day.reason != "Saturday" && day.reason != "Sunday")
      absl::StrAppend(&text, "\n", FormatDay(day.day), " ", day.reason);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  std::string hex;
  for (int i = 0; i < 8; ++i) absl::StrAppend(&hex, absl::Hex(digest[i], absl::kZeroPad2));
  return absl::StrCat(std::string(calendar.description()), " #", hex);
}

int64_t DayNumber(absl::CivilDay day) { return day - absl::CivilDay(1970, 1, 1); }

absl::CivilDay FromDayNumber(int64_t number) { return absl::CivilDay(1970, 1, 1) + number; }

absl::CivilDay AddMonths(absl::CivilDay day, int months) {
  const absl::CivilMonth month = absl::CivilMonth(day) + months;
  const absl::CivilDay first(month);
  const int days_in_month = static_cast<int>((absl::CivilDay(month + 1) - first));
  return absl::CivilDay(month.year(), month.month(), std::min(day.day(), days_in_month));
}

}  // namespace council::complaints
