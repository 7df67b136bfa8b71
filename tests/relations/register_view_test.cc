// Tests for relations-service/register_view.h: one table over every view of
// a member's register of interests (today, as of an earlier day, each stored
// revision, the overdue export and the answer to a write), for every history
// a sensitive flag can have, public and full. Localism Act 2011 s32(2): the
// public sees only that an interest is withheld; issue 17 defect 4 was the
// as-of view showing a revision recorded before the interest was agreed to be
// sensitive. A second table checks the register's one clock (issue 18): which
// revision, if any, stood at the end of a day is decided by the day each was
// recorded, never by the `registered_on` it claims.

#include "relations-service/register_view.h"

#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"

namespace council::relations {
namespace {

using ::testing::IsEmpty;

constexpr char kName[] = "people/cllr-ada-okafor/interests/int-home";
constexpr char kDetails[] = "Home: 14 Quay Street, Eastmere";

// The interest's history: two revisions at most, recorded at noon UTC on
// 1 March and 1 June 2025; registered on 20 February 2025.
enum class History {
  kNeverSensitive,        // one revision, not sensitive
  kSensitiveFromTheStart,  // one revision, sensitive
  kMarkedSensitiveLater,   // not sensitive, then sensitive (defect 4)
  kNoLongerSensitive,      // sensitive, then not (s32(3))
};

enum class View {
  kToday,                 // GetRegister, no as_of (1 July 2025)
  kAsOfBetweenRevisions,  // GetRegister as of 1 April 2025: the first revision stood
  kFirstRevision,         // a stored revision given out: the first
  kLatestRevision,        // ... the latest
  kExport,                // ListOverdueInterests, the answer to Create/UpdateInterest
};

const char* Name(History h) {
  switch (h) {
    case History::kNeverSensitive: return "NeverSensitive";
    case History::kSensitiveFromTheStart: return "SensitiveFromTheStart";
    case History::kMarkedSensitiveLater: return "MarkedSensitiveLater";
    case History::kNoLongerSensitive: return "NoLongerSensitive";
  }
  return "?";
}

const char* Name(View v) {
  switch (v) {
    case View::kToday: return "Today";
    case View::kAsOfBetweenRevisions: return "AsOfBetweenRevisions";
    case View::kFirstRevision: return "FirstRevision";
    case View::kLatestRevision: return "LatestRevision";
    case View::kExport: return "Export";
  }
  return "?";
}

v1::Interest Revision(int number, bool sensitive, int month) {
  v1::Interest interest;
  interest.set_name(kName);
  interest.set_category(v1::INTEREST_CATEGORY_LAND);
  interest.set_description(number == 1 ? kDetails : absl::StrCat(kDetails, " (and garage)"));
  interest.set_holder(v1::INTEREST_HOLDER_MEMBER);
  interest.mutable_arose_on()->set_year(2025);
  interest.mutable_arose_on()->set_month(2);
  interest.mutable_arose_on()->set_day(10);
  interest.mutable_registered_on()->set_year(2025);
  interest.mutable_registered_on()->set_month(2);
  interest.mutable_registered_on()->set_day(20);
  interest.set_sensitive(sensitive);
  interest.add_matters("matter-quay-street-parking");
  interest.set_revision(number);
  *interest.mutable_update_time() = google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
      absl::ToUnixNanos(absl::FromCivil(absl::CivilHour(2025, month, 1, 12), absl::UTCTimeZone())));
  return interest;
}

std::vector<v1::Interest> Revisions(History h) {
  switch (h) {
    case History::kNeverSensitive: return {Revision(1, false, 3)};
    case History::kSensitiveFromTheStart: return {Revision(1, true, 3)};
    case History::kMarkedSensitiveLater: return {Revision(1, false, 3), Revision(2, true, 6)};
    case History::kNoLongerSensitive: return {Revision(1, true, 3), Revision(2, false, 6)};
  }
  return {};
}

// What `view` shows of `revisions` to `audience` (nullopt: not on the register).
std::optional<v1::Interest> Show(const std::vector<v1::Interest>& revisions, View view,
                                 RegisterAudience audience, bool* withheld) {
  switch (view) {
    case View::kToday:
      return RegisterEntryAsOf(revisions, absl::CivilDay(2025, 7, 1), audience, withheld);
    case View::kAsOfBetweenRevisions:
      return RegisterEntryAsOf(revisions, absl::CivilDay(2025, 4, 1), audience, withheld);
    case View::kFirstRevision:
      return Redact(revisions.front(), revisions.back(), audience, withheld);
    case View::kLatestRevision:
      return Redact(revisions.back(), revisions.back(), audience, withheld);
    case View::kExport:
      return ExportEntry(revisions.back(), audience, withheld);
  }
  return std::nullopt;
}

// The revision `view` is of (before redaction).
const v1::Interest& Underlying(const std::vector<v1::Interest>& revisions, View view) {
  switch (view) {
    case View::kAsOfBetweenRevisions:
    case View::kFirstRevision:
      return revisions.front();
    default:
      return revisions.back();
  }
}

struct Row {
  History history;
  View view;
  // Withheld from the public view? (The full view never withholds.)
  bool withheld;
  // Why, with the clause.
  std::string reason;
};

void PrintTo(const Row& row, std::ostream* os) {
  *os << Name(row.history) << "/" << Name(row.view);
}

constexpr char kNotSensitive[] = "never sensitive: the register shows it in full (s29)";
constexpr char kSensitive[] = "sensitive: details withheld from the public (s32(2))";
constexpr char kLatestSensitive[] =
    "sensitive now: its earlier revisions are withheld too, in every view (s32(2); defect 4)";
constexpr char kStoppedToday[] =
    "no longer sensitive: the register shows the current revision again (s32(3))";
constexpr char kStoppedHistory[] =
    "the revision shown was sensitive: it stays withheld in history (s32(2))";

const std::vector<Row>& Table() {
  using H = History;
  using V = View;
  static const auto* const rows = new std::vector<Row>{
      {H::kNeverSensitive, V::kToday, false, kNotSensitive},
      {H::kNeverSensitive, V::kAsOfBetweenRevisions, false, kNotSensitive},
      {H::kNeverSensitive, V::kFirstRevision, false, kNotSensitive},
      {H::kNeverSensitive, V::kLatestRevision, false, kNotSensitive},
      {H::kNeverSensitive, V::kExport, false, kNotSensitive},

      {H::kSensitiveFromTheStart, V::kToday, true, kSensitive},
      {H::kSensitiveFromTheStart, V::kAsOfBetweenRevisions, true, kSensitive},
      {H::kSensitiveFromTheStart, V::kFirstRevision, true, kSensitive},
      {H::kSensitiveFromTheStart, V::kLatestRevision, true, kSensitive},
      {H::kSensitiveFromTheStart, V::kExport, true, kSensitive},

      {H::kMarkedSensitiveLater, V::kToday, true, kSensitive},
      {H::kMarkedSensitiveLater, V::kAsOfBetweenRevisions, true, kLatestSensitive},
      {H::kMarkedSensitiveLater, V::kFirstRevision, true, kLatestSensitive},
      {H::kMarkedSensitiveLater, V::kLatestRevision, true, kSensitive},
      {H::kMarkedSensitiveLater, V::kExport, true, kSensitive},

      {H::kNoLongerSensitive, V::kToday, false, kStoppedToday},
      {H::kNoLongerSensitive, V::kAsOfBetweenRevisions, true, kStoppedHistory},
      {H::kNoLongerSensitive, V::kFirstRevision, true, kStoppedHistory},
      {H::kNoLongerSensitive, V::kLatestRevision, false, kStoppedToday},
      {H::kNoLongerSensitive, V::kExport, false, kStoppedToday},
  };
  return *rows;
}

class RegisterViewTableTest : public ::testing::TestWithParam<Row> {};

TEST_P(RegisterViewTableTest, PublicViewWithholdsExactlyTheSensitiveAndTheFullViewNothing) {
  const Row& row = GetParam();
  const std::vector<v1::Interest> revisions = Revisions(row.history);
  const v1::Interest& underlying = Underlying(revisions, row.view);

  bool withheld = false;
  std::optional<v1::Interest> shown =
      Show(revisions, row.view, RegisterAudience::kPublic, &withheld);
  ASSERT_TRUE(shown.has_value()) << "every view here has the interest on the register";
  EXPECT_EQ(withheld, row.withheld) << row.reason;
  EXPECT_EQ(shown->name(), kName);
  EXPECT_EQ(shown->category(), underlying.category()) << "the category stays (s32(2))";
  EXPECT_EQ(shown->revision(), underlying.revision());
  if (row.withheld) {
    EXPECT_EQ(shown->description(), kWithheldDescription) << row.reason;
    EXPECT_THAT(shown->matters(), IsEmpty()) << row.reason;
    EXPECT_TRUE(shown->sensitive()) << row.reason;
  } else {
    EXPECT_EQ(shown->description(), underlying.description()) << row.reason;
    EXPECT_EQ(shown->matters_size(), 1) << row.reason;
  }

  bool full_withheld = false;
  std::optional<v1::Interest> full =
      Show(revisions, row.view, RegisterAudience::kFull, &full_withheld);
  ASSERT_TRUE(full.has_value());
  EXPECT_FALSE(full_withheld);
  EXPECT_EQ(full->description(), underlying.description()) << "the monitoring officer's view";
  EXPECT_EQ(full->matters_size(), 1);
}

INSTANTIATE_TEST_SUITE_P(EveryViewOfEveryHistory, RegisterViewTableTest,
                         ::testing::ValuesIn(Table()),
                         [](const ::testing::TestParamInfo<Row>& info) {
                           return std::string(Name(info.param.history)) + "_" +
                                  Name(info.param.view);
                         });

TEST(RegisterViewTest, TheTableCoversEveryViewOfEveryHistory) {
  std::set<std::pair<int, int>> covered;
  for (const Row& row : Table())
    covered.insert({static_cast<int>(row.history), static_cast<int>(row.view)});
  EXPECT_EQ(covered.size(), 4u * 5u);
}

// --- One clock: the day each revision was recorded (issue 18) ---------------------------

// A history for the clock table: revision 1 recorded at noon UTC on 1 March
// 2025, revision 2 (if any) on 1 June 2025; what each says about registration
// and its end.
enum class Timeline {
  kRegisteredBeforeRecorded,  // registered 20 Feb (an import, or a late entry); changed 1 June
  kRegisteredLaterBackdated,  // recorded unregistered; 1 June: registered_on set to 10 March
  kEndedLaterBackdated,       // registered 20 Feb; 1 June: end_date set to 30 April
  kRegisteredAfterRecorded,   // recorded 1 March with registered_on 10 March
};

const char* Name(Timeline t) {
  switch (t) {
    case Timeline::kRegisteredBeforeRecorded: return "RegisteredBeforeRecorded";
    case Timeline::kRegisteredLaterBackdated: return "RegisteredLaterBackdated";
    case Timeline::kEndedLaterBackdated: return "EndedLaterBackdated";
    case Timeline::kRegisteredAfterRecorded: return "RegisteredAfterRecorded";
  }
  return "?";
}

common::v1::Date DateOf(int year, int month, int day) {
  common::v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

std::vector<v1::Interest> Revisions(Timeline t) {
  std::vector<v1::Interest> revisions = {Revision(1, false, 3), Revision(2, false, 6)};
  switch (t) {
    case Timeline::kRegisteredBeforeRecorded:
      break;
    case Timeline::kRegisteredLaterBackdated:
      revisions[0].clear_registered_on();
      *revisions[1].mutable_registered_on() = DateOf(2025, 3, 10);
      break;
    case Timeline::kEndedLaterBackdated:
      *revisions[1].mutable_end_date() = DateOf(2025, 4, 30);
      break;
    case Timeline::kRegisteredAfterRecorded:
      *revisions[0].mutable_registered_on() = DateOf(2025, 3, 10);
      revisions.pop_back();
      break;
  }
  return revisions;
}

struct ClockRow {
  Timeline timeline;
  absl::CivilDay day;
  // The revision on the register at the end of `day`; 0 for none.
  int revision;
  std::string reason;
};

void PrintTo(const ClockRow& row, std::ostream* os) {
  *os << Name(row.timeline) << "/" << row.day;
}

const std::vector<ClockRow>& ClockTable() {
  using T = Timeline;
  using D = absl::CivilDay;
  static const auto* const rows = new std::vector<ClockRow>{
      {T::kRegisteredBeforeRecorded, D(2025, 2, 25), 0,
       "registered_on 20 Feb, but nothing was recorded here until 1 March: a registration "
       "dated back does not rewrite the register of an earlier day"},
      {T::kRegisteredBeforeRecorded, D(2025, 2, 28), 0, "the day before it was recorded"},
      {T::kRegisteredBeforeRecorded, D(2025, 3, 1), 1, "recorded that day (noon UTC)"},
      {T::kRegisteredBeforeRecorded, D(2025, 5, 31), 1, "the change was recorded on 1 June"},
      {T::kRegisteredBeforeRecorded, D(2025, 6, 1), 2, "the change, from the day recorded"},
      {T::kRegisteredLaterBackdated, D(2025, 3, 15), 0,
       "as it stood on 15 March the entry was not registered: the registered_on of 10 March "
       "was recorded on 1 June"},
      {T::kRegisteredLaterBackdated, D(2025, 6, 1), 2, "registered as recorded on 1 June"},
      {T::kEndedLaterBackdated, D(2025, 5, 15), 1,
       "the end (30 April) was recorded on 1 June: the register of 15 May still had it"},
      {T::kEndedLaterBackdated, D(2025, 6, 1), 0, "ended, as recorded on 1 June"},
      {T::kRegisteredAfterRecorded, D(2025, 3, 5), 0,
       "recorded on 1 March, registered only from 10 March"},
      {T::kRegisteredAfterRecorded, D(2025, 3, 10), 1, "registered that day"},
  };
  return *rows;
}

class RegisterClockTableTest : public ::testing::TestWithParam<ClockRow> {};

TEST_P(RegisterClockTableTest, TheRevisionShownIsTheLastRecordedByThatDay) {
  const ClockRow& row = GetParam();
  const std::optional<v1::Interest> entry =
      RegisterEntryAsOf(Revisions(row.timeline), row.day, RegisterAudience::kFull);
  if (row.revision == 0) {
    EXPECT_FALSE(entry.has_value())
        << row.reason << "; shown: " << (entry ? entry->ShortDebugString() : "");
  } else {
    ASSERT_TRUE(entry.has_value()) << row.reason;
    EXPECT_EQ(entry->revision(), row.revision) << row.reason;
  }
}

INSTANTIATE_TEST_SUITE_P(OneClock, RegisterClockTableTest, ::testing::ValuesIn(ClockTable()),
                         [](const ::testing::TestParamInfo<ClockRow>& info) {
                           return absl::StrCat(Name(info.param.timeline), "_",
                                               absl::FormatCivilTime(info.param.day).substr(0, 4),
                                               absl::FormatCivilTime(info.param.day).substr(5, 2),
                                               absl::FormatCivilTime(info.param.day).substr(8, 2));
                         });

TEST(RegisterViewTest, NoRevisionStoodBeforeTheFirstWasRecorded) {
  EXPECT_EQ(RevisionAsOf(Revisions(History::kNeverSensitive), absl::CivilDay(2025, 2, 28)),
            nullptr);
  EXPECT_EQ(RevisionAsOf({}, absl::CivilDay(2025, 7, 1)), nullptr);
}

TEST(RegisterViewTest, InterestNotYetRegisteredOrEndedIsNotOnTheRegister) {
  std::vector<v1::Interest> revisions = Revisions(History::kSensitiveFromTheStart);
  // Registered 20 February 2025: not on the register of the 19th.
  EXPECT_FALSE(RegisterEntryAsOf(revisions, absl::CivilDay(2025, 2, 19), RegisterAudience::kFull)
                   .has_value());
  revisions.back().mutable_end_date()->set_year(2025);
  revisions.back().mutable_end_date()->set_month(5);
  revisions.back().mutable_end_date()->set_day(31);
  EXPECT_FALSE(RegisterEntryAsOf(revisions, absl::CivilDay(2025, 7, 1), RegisterAudience::kFull)
                   .has_value());
  revisions.back().clear_registered_on();
  EXPECT_FALSE(RegisterEntryAsOf(revisions, absl::CivilDay(2025, 7, 1), RegisterAudience::kFull)
                   .has_value());
  EXPECT_FALSE(RegisterEntryAsOf({}, absl::CivilDay(2025, 7, 1), RegisterAudience::kFull)
                   .has_value());
}

TEST(RegisterViewTest, OnlyTheMonitoringOfficerAndTheSuitesServicesSeeWithheldDetails) {
  struct Case {
    Caller caller;
    bool sees;
  };
  const std::vector<Case> cases = {
      {{"people/off-mo", {"officer", "monitoring-officer"}, ""}, true},
      {{"services/access-service", {}, "people/cllr-ada-okafor"}, true},
      {{"people/audit-reader", {"officer", "auditor"}, ""}, false},
      {{"people/it-admin", {"officer", "administrator"}, ""}, false},
      {{"people/cllr-ada-okafor", {"member"}, ""}, false},
      {{"people/off-chief-executive", {"officer", "head-of-paid-service"}, ""}, false},
      {{"services/hr-sync", {"hr-integration"}, ""}, false},
  };
  for (const Case& c : cases)
    EXPECT_EQ(SeesWithheldDetails(c.caller), c.sees) << c.caller.principal;
}

}  // namespace
}  // namespace council::relations
