// Tests for complaints-service/rules_check.h: the start-up checks of the
// complaints rules the shared profile loader does not know, as issue 18 added
// them (facilitator, investigator, respondent, direct handler, the route's
// formal-action decider). Each row names the clause its profile rule models.

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/profile/profile_loader.h"
#include "complaints-service/ladder.h"
#include "complaints-service/rules_check.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council::complaints {
namespace {

using ::testing::HasSubstr;

CouncilProfile Shipped(const std::string& id) {
  auto profile = LoadProfile(absl::StrCat(COUNCIL_SOURCE_DIR, "/profiles/", id, ".textproto"));
  EXPECT_TRUE(profile.ok()) << profile.status();
  return profile.ok() ? **profile : CouncilProfile();
}

profile::v1::ComplaintStage* StageOf(CouncilProfile* profile, profile::v1::ComplaintKind kind,
                                     int index) {
  for (auto& route : *profile->mutable_complaints()->mutable_routes())
    if (route.kind() == kind) return route.mutable_stages(index);
  return nullptr;
}

TEST(RulesCheckTest, EveryShippedProfilePasses) {
  for (const char* id :
       {"southwark", "sheffield", "middlesbrough", "south-somerset", "parish-template"}) {
    const std::string path = absl::StrCat(COUNCIL_SOURCE_DIR, "/profiles/", id, ".textproto");
    EXPECT_TRUE(CheckComplaintRules(Shipped(id), path).ok()) << id;
  }
}

TEST(RulesCheckTest, TheSubjectIsNeverAHandler) {
  // Southwark 69 models the chief executive's response with `respondent`;
  // naming the subject as a handler is refused: nobody handles a complaint
  // about themselves.
  CouncilProfile profile = Shipped("southwark");
  auto* stage = StageOf(&profile, profile::v1::COMPLAINT_KIND_MEMBER_ABOUT_CHIEF_EXECUTIVE, 0);
  ASSERT_NE(stage, nullptr);
  stage->mutable_handler()->set_relative(profile::v1::RELATIVE_SUBJECT);
  absl::Status status = CheckComplaintRules(profile, "");
  EXPECT_TRUE(absl::IsInvalidArgument(status));
  EXPECT_THAT(std::string(status.message()), HasSubstr("RELATIVE_SUBJECT is only for notifications"));
}

TEST(RulesCheckTest, OnlyAStageTheSubjectAnswersMayHaveNoHandler) {
  // Southwark 69: the stage has no handler because the subject responds;
  // without `respondent` the missing handler is a mistake.
  CouncilProfile profile = Shipped("southwark");
  auto* stage = StageOf(&profile, profile::v1::COMPLAINT_KIND_MEMBER_ABOUT_CHIEF_EXECUTIVE, 0);
  ASSERT_NE(stage, nullptr);
  EXPECT_FALSE(stage->has_handler());
  stage->set_respondent(profile::v1::STAGE_RESPONDENT_UNSPECIFIED);
  absl::Status status = CheckComplaintRules(profile, "");
  EXPECT_THAT(std::string(status.message()), HasSubstr("handler is not set"));
}

TEST(RulesCheckTest, EachNewPartCitesItsClause) {
  // Sheffield 15 (investigator and respondent) and South Somerset 17.4
  // (direct handler): a part without its clause stops start-up.
  CouncilProfile sheffield = Shipped("sheffield");
  auto* investigation =
      StageOf(&sheffield, profile::v1::COMPLAINT_KIND_MEMBER_ABOUT_OFFICER, 1);
  ASSERT_NE(investigation, nullptr);
  investigation->clear_investigator_clause();
  investigation->clear_respondent_clause();
  absl::Status status = CheckComplaintRules(sheffield, "");
  EXPECT_THAT(std::string(status.message()), HasSubstr("investigator must cite its clause"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("respondent must cite its clause"));

  investigation->clear_investigator();
  investigation->mutable_respondent_clause()->set_clause("Sheffield 15");
  status = CheckComplaintRules(sheffield, "");
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("STAGE_RESPONDENT_INVESTIGATOR needs an `investigator`"));

  CouncilProfile somerset = Shipped("south-somerset");
  auto* formal = StageOf(&somerset, profile::v1::COMPLAINT_KIND_OFFICER_ABOUT_MEMBER, 1);
  ASSERT_NE(formal, nullptr);
  formal->clear_direct_handler_clause();
  status = CheckComplaintRules(somerset, "");
  EXPECT_THAT(std::string(status.message()), HasSubstr("direct_handler must cite its clause"));
}

TEST(RulesCheckTest, TheFormalActionDeciderMustExistAndCiteItsClause) {
  // Southwark 70: the Leader of the Council decides; a decider naming an
  // undefined designation, or citing nothing, stops start-up.
  CouncilProfile profile = Shipped("southwark");
  for (auto& route : *profile.mutable_complaints()->mutable_routes())
    if (route.has_formal_action_decider()) {
      route.mutable_formal_action_decider()->mutable_decider()->set_designation_id("no-such");
      route.mutable_formal_action_decider()->clear_clause();
    }
  absl::Status status = CheckComplaintRules(profile, "");
  EXPECT_THAT(std::string(status.message()), HasSubstr("\"no-such\" is not defined"));
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("formal_action_decider must cite its clause"));
}

}  // namespace
}  // namespace council::complaints
