// Tests for complaints-service/deadlines.h.
//
// Expected dates are worked out by hand from the England and Wales bank
// holidays (Banking and Financial Dealings Act 1971 Sch 1 and the yearly
// proclamations): Christmas Day Fri 25 Dec 2026; Boxing Day falls on Sat 26 Dec
// so its substitute is Mon 28 Dec 2026; New Year's Day Fri 1 Jan 2027 (2 Jan is
// a Scottish holiday only); Easter Sunday 28 Mar 2027, so Good Friday 26 Mar
// and Easter Monday 29 Mar 2027. South Somerset's profile adds closure days
// 29-31 Dec 2026. A limit of N working days falls due on the N-th working day
// after the day the stage opened.

#include "complaints-service/deadlines.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/profile/profile_loader.h"
#include "common/util/resource_names.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council::complaints {
namespace {

using ::council::profile::v1::COMPLAINT_KIND_MEMBER_ABOUT_OFFICER;
using ::council::profile::v1::COMPLAINT_KIND_MEMBER_CASEWORK;
using ::council::profile::v1::ComplaintKind;
using ::council::profile::v1::ComplaintStage;
using ::council::profile::v1::CouncilProfile;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kClosure[] =
    "Council closure: Offices closed between Christmas and New Year (example closure days "
    "for the demo)";

std::shared_ptr<const CouncilProfile> Shipped(const std::string& id) {
  auto profile = LoadProfile(absl::StrCat(COUNCIL_SOURCE_DIR, "/profiles/", id, ".textproto"));
  EXPECT_TRUE(profile.ok()) << profile.status();
  return profile.ok() ? *profile : nullptr;
}

// The stage `stage_id` of the route for `kind`; a default stage (and a test
// failure) if the profile has none.
ComplaintStage StageOf(const CouncilProfile& profile, ComplaintKind kind,
                       const std::string& stage_id) {
  for (const auto& route : profile.complaints().routes())
    if (route.kind() == kind)
      for (const auto& stage : route.stages())
        if (stage.id() == stage_id) return stage;
  ADD_FAILURE() << profile.id() << " has no stage " << stage_id;
  return ComplaintStage();
}

std::string Due(const v1::Deadline& deadline) {
  const auto& d = deadline.due_date();
  return absl::StrCat(d.year(), "-", d.month() < 10 ? "0" : "", d.month(), "-",
                      d.day() < 10 ? "0" : "", d.day());
}

std::vector<std::string> Steps(const std::vector<v1::Deadline>& deadlines) {
  std::vector<std::string> steps;
  for (const auto& deadline : deadlines) steps.push_back(deadline.step());
  return steps;
}

// South Somerset 16.3: the manager "will report on the outcome to the
// Councillor concerned within 10 working days. If such timescale is not
// possible the Councillor will be informed within 5 working days of receipt of
// the complaint as to when an outcome notification will be received."
class SouthSomersetInformalStageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    profile_ = Shipped("south-somerset");
    ASSERT_NE(profile_, nullptr);
    stage_ = StageOf(*profile_, COMPLAINT_KIND_MEMBER_ABOUT_OFFICER, "informal");
  }

  std::vector<v1::Deadline> Filed(absl::CivilDay day) const {
    return StageDeadlines(stage_, day, CouncilCalendar(*profile_));
  }

  std::shared_ptr<const CouncilProfile> profile_;
  ComplaintStage stage_;
};

TEST_F(SouthSomersetInformalStageTest, OnlyTheLimitsTheProtocolSetsBecomeDeadlines) {
  // South Somerset 16.3 sets a holding notice (5) and a response (10), but no
  // acknowledgement limit.
  const auto deadlines = Filed(absl::CivilDay(2027, 2, 1));
  EXPECT_THAT(Steps(deadlines), ElementsAre("holding-notice", "respond"))
      << "South Somerset 16.3 sets 5 and 10 working days and no acknowledgement limit";
  ASSERT_EQ(deadlines.size(), 2u);
  EXPECT_EQ(deadlines[0].working_days(), 5);
  EXPECT_EQ(deadlines[1].working_days(), 10);
  EXPECT_EQ(deadlines[0].clause().clause(), "South Somerset 16.3");
  EXPECT_EQ(deadlines[1].clause().clause(), "South Somerset 16.3");
}

TEST_F(SouthSomersetInformalStageTest, OrdinaryFortnightCountsOnlyWeekends) {
  // South Somerset 16.3. Filed Mon 1 Feb 2027: day 5 is Mon 8 Feb, day 10 is
  // Mon 15 Feb; only the weekends are skipped.
  const auto deadlines = Filed(absl::CivilDay(2027, 2, 1));
  ASSERT_EQ(deadlines.size(), 2u);
  EXPECT_EQ(Due(deadlines[0]), "2027-02-08") << "South Somerset 16.3: 5 working days";
  EXPECT_EQ(Due(deadlines[1]), "2027-02-15") << "South Somerset 16.3: 10 working days";
  EXPECT_THAT(deadlines[1].skipped_days(),
              ElementsAre("2027-02-06 Saturday", "2027-02-07 Sunday", "2027-02-13 Saturday",
                          "2027-02-14 Sunday"));
}

TEST_F(SouthSomersetInformalStageTest, ChristmasHolidaysAndClosureDaysAreSkippedAndExplained) {
  // South Somerset 16.3, filed Fri 18 Dec 2026. Working days: Mon 21 (1), Tue 22
  // (2), Wed 23 (3), Thu 24 (4); then Christmas Day, the weekend, the Boxing Day
  // substitute (Mon 28), the closure days 29-31 Dec, New Year's Day and the
  // weekend; Mon 4 Jan 2027 (5): the holding notice is due. Then 5, 6, 7, 8 Jan
  // (6-9), the weekend, Mon 11 Jan (10): the response is due.
  const auto deadlines = Filed(absl::CivilDay(2026, 12, 18));
  ASSERT_EQ(deadlines.size(), 2u);
  const v1::Deadline& holding = deadlines[0];
  const v1::Deadline& respond = deadlines[1];

  EXPECT_EQ(Due(holding), "2027-01-04")
      << "South Somerset 16.3: 5 working days, skipping bank holidays and closure days";
  EXPECT_THAT(holding.skipped_days(),
              ElementsAre("2026-12-19 Saturday", "2026-12-20 Sunday",
                          "2026-12-25 Christmas Day (bank holiday in England and Wales)",
                          "2026-12-26 Saturday", "2026-12-27 Sunday",
                          "2026-12-28 Boxing Day (substitute day) (bank holiday in England "
                          "and Wales)",
                          absl::StrCat("2026-12-29 ", kClosure),
                          absl::StrCat("2026-12-30 ", kClosure),
                          absl::StrCat("2026-12-31 ", kClosure),
                          "2027-01-01 New Year's Day (bank holiday in England and Wales)",
                          "2027-01-02 Saturday", "2027-01-03 Sunday"))
      << "every deadline shows the days it skipped and why";

  EXPECT_EQ(Due(respond), "2027-01-11")
      << "South Somerset 16.3: 10 working days, skipping bank holidays and closure days";
  ASSERT_EQ(respond.skipped_days_size(), 14);
  EXPECT_EQ(respond.skipped_days(12), "2027-01-09 Saturday");
  EXPECT_EQ(respond.skipped_days(13), "2027-01-10 Sunday");
}

TEST_F(SouthSomersetInformalStageTest, EasterBankHolidaysAreSkipped) {
  // South Somerset 16.3, filed Thu 25 Mar 2027. Good Friday (26 Mar), the
  // weekend and Easter Monday (29 Mar) are skipped: Tue 30 (1), Wed 31 (2),
  // Thu 1 Apr (3), Fri 2 (4), Mon 5 (5): holding notice; Tue 6 - Fri 9 (6-9),
  // Mon 12 Apr (10): response.
  const auto deadlines = Filed(absl::CivilDay(2027, 3, 25));
  ASSERT_EQ(deadlines.size(), 2u);
  EXPECT_EQ(Due(deadlines[0]), "2027-04-05") << "South Somerset 16.3: 5 working days";
  EXPECT_EQ(Due(deadlines[1]), "2027-04-12") << "South Somerset 16.3: 10 working days";
  EXPECT_THAT(deadlines[0].skipped_days(),
              ElementsAre("2027-03-26 Good Friday (bank holiday in England and Wales)",
                          "2027-03-27 Saturday", "2027-03-28 Sunday",
                          "2027-03-29 Easter Monday (bank holiday in England and Wales)",
                          "2027-04-03 Saturday", "2027-04-04 Sunday"));
}

TEST(SheffieldCaseworkTest, AcknowledgeIn3AndRespondIn10WorkingDaysWithoutClosureDays) {
  // Sheffield 10.3.1: "acknowledge the enquiry and if possible provide a
  // response within 3 working days ... the response is to be available within
  // 10 working days". Filed Fri 18 Dec 2026, the same day as the South Somerset
  // case above: Sheffield lists no closure days, so 29-31 Dec are working days.
  // Mon 21 (1), Tue 22 (2), Wed 23 (3): acknowledge and holding notice; Thu 24
  // (4), [25 Christmas, weekend, 28 Boxing Day substitute], 29 (5), 30 (6), 31
  // (7), [1 Jan New Year's Day, weekend], Mon 4 (8), Tue 5 (9), Wed 6 Jan 2027
  // (10): response.
  auto profile = Shipped("sheffield");
  ASSERT_NE(profile, nullptr);
  const ComplaintStage stage = StageOf(*profile, COMPLAINT_KIND_MEMBER_CASEWORK, "director");
  const auto deadlines =
      StageDeadlines(stage, absl::CivilDay(2026, 12, 18), CouncilCalendar(*profile));
  ASSERT_THAT(Steps(deadlines), ElementsAre("acknowledge", "holding-notice", "respond"))
      << "Sheffield 10.3.1 sets all three limits";
  EXPECT_EQ(Due(deadlines[0]), "2026-12-23") << "Sheffield 10.3.1: acknowledge in 3";
  EXPECT_EQ(Due(deadlines[1]), "2026-12-23") << "Sheffield 10.3.1: tell the member in 3";
  EXPECT_EQ(Due(deadlines[2]), "2027-01-06") << "Sheffield 10.3.1: respond in 10";
  for (const auto& deadline : deadlines) {
    EXPECT_EQ(deadline.clause().clause(), "Sheffield 10.3.1") << deadline.step();
  }
  EXPECT_THAT(deadlines[2].skipped_days(),
              ElementsAre("2026-12-19 Saturday", "2026-12-20 Sunday",
                          "2026-12-25 Christmas Day (bank holiday in England and Wales)",
                          "2026-12-26 Saturday", "2026-12-27 Sunday",
                          "2026-12-28 Boxing Day (substitute day) (bank holiday in England "
                          "and Wales)",
                          "2027-01-01 New Year's Day (bank holiday in England and Wales)",
                          "2027-01-02 Saturday", "2027-01-03 Sunday"));
}

TEST(StageDeadlinesTest, StageWithNoLimitsHasNoDeadlines) {
  // Sheffield 10.3.2 (escalation to the Chief Executive) sets no timescale, so
  // its limits are 0: there is nothing to be late for.
  auto profile = Shipped("sheffield");
  ASSERT_NE(profile, nullptr);
  const ComplaintStage stage = StageOf(*profile, COMPLAINT_KIND_MEMBER_CASEWORK, "escalation");
  EXPECT_EQ(stage.clause().clause(), "Sheffield 10.3.2");
  EXPECT_THAT(StageDeadlines(stage, absl::CivilDay(2026, 12, 18), CouncilCalendar(*profile)),
              IsEmpty())
      << "Sheffield 10.3.2 sets no limit, so no deadline";
}

TEST(CouncilCalendarTest, UsesTheProfilesClosureDays) {
  // South Somerset's profile closes the offices 29-31 Dec 2026; Sheffield's
  // does not.
  auto south_somerset = Shipped("south-somerset");
  auto sheffield = Shipped("sheffield");
  ASSERT_NE(south_somerset, nullptr);
  ASSERT_NE(sheffield, nullptr);
  EXPECT_FALSE(CouncilCalendar(*south_somerset).IsWorkingDay(absl::CivilDay(2026, 12, 30)));
  EXPECT_TRUE(CouncilCalendar(*sheffield).IsWorkingDay(absl::CivilDay(2026, 12, 30)));
  EXPECT_EQ(CouncilCalendar(*south_somerset).description(),
            "England and Wales + 3 council closure days");
}


// A Scottish council: the same South Somerset ladder, but Scotland's bank
// holidays (Banking and Financial Dealings Act 1971 Sch 1 para 2, and the
// proclamations). St Andrew's Day, Mon 30 Nov 2026, and the 2026 World Cup
// holiday, Mon 15 Jun 2026 (proclaimed for Scotland only), are skipped in
// Scotland and not in England.
class ScottishCouncilTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto shipped = Shipped("south-somerset");
    ASSERT_NE(shipped, nullptr);
    english_ = *shipped;
    english_.mutable_council_configuration()->clear_closure_days();
    scottish_ = english_;
    scottish_.set_id("scottish-variant");
    scottish_.set_nation(profile::v1::NATION_SCOTLAND);
    stage_ = StageOf(english_, COMPLAINT_KIND_MEMBER_ABOUT_OFFICER, "informal");
  }
  std::vector<v1::Deadline> Filed(const CouncilProfile& profile, absl::CivilDay day) const {
    return StageDeadlines(stage_, day, CouncilCalendar(profile));
  }
  CouncilProfile english_;
  CouncilProfile scottish_;
  ComplaintStage stage_;
};

TEST_F(ScottishCouncilTest, StAndrewsDayIsSkippedOnlyInScotland) {
  // Filed Fri 27 Nov 2026. England: Mon 30 Nov (1) ... Fri 4 Dec (5).
  // Scotland: Mon 30 Nov is St Andrew's Day: Tue 1 Dec (1) ... Mon 7 Dec (5).
  const auto english = Filed(english_, absl::CivilDay(2026, 11, 27));
  const auto scottish = Filed(scottish_, absl::CivilDay(2026, 11, 27));
  ASSERT_EQ(english.size(), 2u);
  ASSERT_EQ(scottish.size(), 2u);
  EXPECT_EQ(Due(english[0]), "2026-12-04");
  EXPECT_EQ(Due(scottish[0]), "2026-12-07") << "South Somerset 16.3 on a Scottish calendar";
  EXPECT_THAT(scottish[0].skipped_days(),
              ::testing::Contains("2026-11-30 St Andrew's Day (bank holiday in Scotland)"));
  EXPECT_EQ(scottish[0].calendar(), "Scotland");
}

TEST_F(ScottishCouncilTest, TheScottishOnly2026WorldCupHolidayMovesOnlyScottishDeadlines) {
  // Filed Fri 12 Jun 2026. England: Fri 19 Jun (5). Scotland: Mon 15 Jun is
  // the World Cup bank holiday: Mon 22 Jun (5).
  const auto english = Filed(english_, absl::CivilDay(2026, 6, 12));
  const auto scottish = Filed(scottish_, absl::CivilDay(2026, 6, 12));
  EXPECT_EQ(Due(english[0]), "2026-06-19");
  EXPECT_EQ(Due(scottish[0]), "2026-06-22");
  EXPECT_THAT(scottish[0].skipped_days(),
              ::testing::Contains("2026-06-15 World Cup bank holiday (bank holiday in Scotland)"));
}

TEST_F(ScottishCouncilTest, TheSecondOfJanuaryIsAScottishHoliday) {
  // Filed Wed 30 Dec 2026: England Thu 31 Dec (1), [1 Jan], Mon 4 (2), ...
  // Thu 7 Jan (5); Scotland also skips the 2 January substitute, Mon 4 Jan:
  // Thu 31 (1), Tue 5 (2) ... Fri 8 Jan (5).
  EXPECT_EQ(Due(Filed(english_, absl::CivilDay(2026, 12, 30))[0]), "2027-01-07");
  EXPECT_EQ(Due(Filed(scottish_, absl::CivilDay(2026, 12, 30))[0]), "2027-01-08");
}

TEST(RecomputeDeadlineTest, ANewClosureDayMovesTheDueDateAndIsExplained) {
  auto profile = Shipped("sheffield");
  ASSERT_NE(profile, nullptr);
  const ComplaintStage stage = StageOf(*profile, COMPLAINT_KIND_MEMBER_CASEWORK, "director");
  auto deadlines = StageDeadlines(stage, absl::CivilDay(2027, 2, 1), CouncilCalendar(*profile));
  ASSERT_EQ(deadlines.size(), 3u);
  EXPECT_EQ(Due(deadlines[0]), "2027-02-04");
  CouncilProfile closed = *profile;
  auto* closure = closed.mutable_council_configuration()->add_closure_days();
  *closure->mutable_date() = ToProtoDate(absl::CivilDay(2027, 2, 3));
  closure->set_reason("Office move");
  EXPECT_TRUE(RecomputeDeadline(CouncilCalendar(closed), &deadlines[0]));
  EXPECT_EQ(Due(deadlines[0]), "2027-02-05");
  EXPECT_THAT(deadlines[0].skipped_days(),
              ::testing::Contains("2027-02-03 Council closure: Office move"));
  EXPECT_FALSE(RecomputeDeadline(CouncilCalendar(closed), &deadlines[0])) << "idempotent";
}

TEST(DeadlineStateTest, MetLateOverdueLapsedAndPending) {
  v1::Deadline d;
  *d.mutable_due_date() = ToProtoDate(absl::CivilDay(2027, 2, 8));
  EXPECT_EQ(StateOn(d, std::nullopt, absl::CivilDay(2027, 2, 7)), v1::DEADLINE_STATE_PENDING);
  EXPECT_EQ(StateOn(d, std::nullopt, absl::CivilDay(2027, 2, 8)), v1::DEADLINE_STATE_DUE_TODAY);
  EXPECT_EQ(StateOn(d, std::nullopt, absl::CivilDay(2027, 2, 9)), v1::DEADLINE_STATE_OVERDUE);
  EXPECT_EQ(StateOn(d, absl::CivilDay(2027, 2, 5), absl::CivilDay(2027, 3, 1)),
            v1::DEADLINE_STATE_LAPSED);
  EXPECT_EQ(StateOn(d, absl::CivilDay(2027, 2, 10), absl::CivilDay(2027, 3, 1)),
            v1::DEADLINE_STATE_OVERDUE) << "missed before the stage ended";
  *d.mutable_met_date() = ToProtoDate(absl::CivilDay(2027, 2, 9));
  EXPECT_EQ(StateOn(d, std::nullopt, absl::CivilDay(2027, 3, 1)), v1::DEADLINE_STATE_MET_LATE);
}

TEST(AddMonthsTest, ClampsToTheEndOfAShorterMonth) {
  EXPECT_EQ(FormatDay(AddMonths(absl::CivilDay(2027, 8, 31), 6)), "2028-02-29");
  EXPECT_EQ(FormatDay(AddMonths(absl::CivilDay(2027, 1, 11), 6)), "2027-07-11");
}

}  // namespace
}  // namespace council::complaints
