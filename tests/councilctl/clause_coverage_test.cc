// Tests for the protocol clause extractor and the clause coverage report
// (issue 18). The extractor reads only shipped files, so it is unit tested
// here on the forms the shipped protocols use, not fuzzed. The last test keeps
// docs/clause-coverage.md current and every shipped profile's coverage whole.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/profile/profile_loader.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/councilctl/clause_coverage.h"
#include "tools/councilctl/coverage_commands.h"
#include "tools/councilctl/protocol_clauses.h"

namespace council::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// "number" or "number (note)" for each clause, headings as "H number".
std::vector<std::string> Read(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& clause : ExtractProtocolClauses(text))
    out.push_back(absl::StrCat(clause.heading ? "H " : "", clause.number,
                               clause.note.empty() ? "" : absl::StrCat(" (", clause.note, ")")));
  return out;
}

TEST(ProtocolClausesTest, ReadsNumbersAfterHeadingMarksBulletsAndBold) {
  EXPECT_THAT(Read("## 1. DEFINITIONS\n"
                   "- 1.1 Members are members.\n"
                   "  - 1.2. Officers are officers.\n"
                   "#### 2. **ROLES**\n"
                   "2.1.Council exists to serve.\n"
                   "4. **Complaints**\n"),
              ElementsAre("H 1", "1.1", "1.2", "H 2", "2.1", "3 (number lost in the text (before 4))",
                          "4"));
}

TEST(ProtocolClausesTest, ANumberWithChildrenIsAClauseWhenItsTextIsASentence) {
  EXPECT_THAT(Read("1. THE POLITICAL RELATIONSHIP\n"
                   "- 1.1 Officers must be politically neutral.\n"
                   "  - 1.1.1 Each group is treated fairly.\n"
                   "2. A section with no paragraphs\n"),
              ElementsAre("H 1", "1.1", "1.1.1", "2"));
}

TEST(ProtocolClausesTest, InfersNumbersTheTextLost) {
  // Southwark: the first paragraph and the statutory officers table have no
  // number; the numbering resumes at 2 and after the table.
  EXPECT_THAT(Read("- The purpose of this protocol.\n- 2. Guidance.\n3. Officers.\n"
                   "Post\tDesignation\n5. Favours.\n"),
              ElementsAre("1 (number lost in the text (before 2))", "2", "3",
                          "4 (number lost in the text (before 5))", "5"));
}

TEST(ProtocolClausesTest, ReadsAMisprintedNumberAsTheSiblingItStandsFor) {
  // Middlesbrough: "1.2" printed between 13.1 and 13.3.
  EXPECT_THAT(Read("1. Definitions\n- 1.1 A.\n- 1.2 B.\n2. Local members\n"
                   "- 2.1 C.\n- 1.2. This need is particularly important:\n- 2.3 D.\n"),
              ElementsAre("H 1", "1.1", "1.2", "H 2", "2.1", "2.2 (printed as 1.2)", "2.3"));
}

TEST(ProtocolClausesTest, ReadsAnInsertedParagraphWithALetter) {
  // Middlesbrough 16.1A, between 16.1 and 16.2.
  EXPECT_THAT(Read("1. Correspondence\n- 1.1. Respect it.\n- 1.1A Or else.\n- 1.2. Letters.\n"
                   "- 1.5B Not after 1.2.\n"),
              ElementsAre("H 1", "1.1", "1.1A", "1.2"));
}

TEST(ProtocolClausesTest, FiguresThatDoNotContinueTheNumberingAreText) {
  EXPECT_THAT(Read("1. Mutual respect.\n"
                   "2026 was a year.\n"           // four digits: a year
                   "72 above is cited here.\n"    // far out of sequence
                   "1.5 million pounds.\n"        // a child of 1 that skips 1.1
                   "12.30pm is not a clause.\n"   // no boundary after the number
                   "2. Harassment.\n"
                   "Page 6 of 19\n"),
              ElementsAre("1", "2"));
}

TEST(ProtocolClausesTest, KeepsTheLineAndTheFirstWords) {
  auto clauses = ExtractProtocolClauses(
      "Intro\n\n- 1. **Members** and <u>officers</u>   work *together*.\n");
  ASSERT_EQ(clauses.size(), 1u);
  EXPECT_EQ(clauses[0].line, 3);
  EXPECT_EQ(clauses[0].excerpt, "Members and officers work together.");
}

// A small profile and protocol for the coverage rules.
constexpr char kProtocol[] =
    "1. Aims.\n"
    "2. Documents\n"
    "- 2.1 Members may inspect documents.\n"
    "- 2.2 The Clerk decides disputes.\n";

profile::v1::CouncilProfile SmallProfile() {
  profile::v1::CouncilProfile profile;
  profile.set_display_name("Test Council");
  profile.set_protocol_source("test.txt");
  profile.mutable_coverage()->set_citation_prefix("Test");
  auto* need = profile.mutable_document_access()->mutable_need_to_know();
  need->set_enabled(true);
  need->mutable_clause()->set_clause("Test 2.1");
  profile.mutable_document_access()->mutable_dispute_clause()->set_clause("Test 2.2");
  profile.mutable_declarations()->mutable_interest_registration_clause()->set_clause(
      "Localism Act 2011 s30(1)");
  auto* aims = profile.mutable_coverage()->add_not_encoded();
  aims->add_clauses("Test 1");
  aims->set_reason("States the council's aims; no decision follows.");
  return profile;
}

TEST(ClauseCoverageTest, AWholeCoverageNamesTheRulesAndTheReasons) {
  ProfileCoverage coverage = CoverProfile(SmallProfile(), "test.textproto", kProtocol);
  EXPECT_THAT(coverage.problems, IsEmpty());
  ASSERT_EQ(coverage.clauses.size(), 3u);  // 2 is a heading
  EXPECT_THAT(coverage.clauses[0].not_encoded_reason, HasSubstr("aims"));
  EXPECT_THAT(coverage.clauses[1].encoded_by, ElementsAre("document_access.need_to_know.clause"));
  EXPECT_THAT(coverage.clauses[2].encoded_by, ElementsAre("document_access.dispute_clause"));
  EXPECT_THAT(coverage.statute_citations, ElementsAre("Localism Act 2011 s30(1)"));
  std::string report = RenderCoverageReport({coverage});
  EXPECT_THAT(report, HasSubstr("| 2.1 | Members may inspect documents. | "
                                "`document_access.need_to_know.clause` |  |"));
  EXPECT_THAT(report, HasSubstr("3 numbered clauses: 2 encoded by rules, 1 not encoded"));
}

TEST(ClauseCoverageTest, ACitationOfAClauseTheProtocolLacksIsAProblem) {
  auto profile = SmallProfile();
  profile.mutable_document_access()->mutable_dispute_clause()->set_clause("Test 2.3");
  ProfileCoverage coverage = CoverProfile(profile, "test.textproto", kProtocol);
  EXPECT_THAT(coverage.problems,
              ElementsAre(HasSubstr("\"Test 2.3\" is not a numbered clause of test.txt"),
                          HasSubstr("\"Test 2.2\" is neither cited by a rule nor listed")));
}

TEST(ClauseCoverageTest, CitingAHeadingOrAnotherProtocolIsAProblem) {
  auto profile = SmallProfile();
  profile.mutable_document_access()->mutable_dispute_clause()->set_clause("Test 2");
  profile.mutable_complaints()->mutable_confidentiality_clause()->set_clause("Sheffield 15");
  ProfileCoverage coverage = CoverProfile(profile, "test.textproto", kProtocol);
  EXPECT_THAT(coverage.problems,
              ElementsAre(HasSubstr("\"Test 2\" names a heading of test.txt"),
                          HasSubstr("\"Sheffield 15\" does not begin \"Test \""),
                          HasSubstr("\"Test 2.2\" is neither cited")));
}

TEST(ClauseCoverageTest, AClauseInBothListsOrTwiceOrWithoutAReasonIsAProblem) {
  auto profile = SmallProfile();
  auto* both = profile.mutable_coverage()->add_not_encoded();
  both->add_clauses("Test 2.1");
  both->add_clauses("Test 1");
  both->set_reason("A reason.");
  profile.mutable_coverage()->add_not_encoded()->add_clauses("Test 9");
  ProfileCoverage coverage = CoverProfile(profile, "test.textproto", kProtocol);
  EXPECT_THAT(coverage.problems,
              ElementsAre(HasSubstr("not_encoded[1] lists \"Test 2.1\", which "
                                    "document_access.need_to_know.clause encodes"),
                          HasSubstr("not_encoded[1] lists \"Test 1\" a second time"),
                          HasSubstr("not_encoded[2] has no reason"),
                          HasSubstr("not_encoded[2] \"Test 9\" is not a numbered clause")));
}

TEST(ClauseCoverageTest, ASwitchedOffRuleEncodesNothing) {
  auto profile = SmallProfile();
  profile.mutable_document_access()->mutable_need_to_know()->set_enabled(false);
  ProfileCoverage coverage = CoverProfile(profile, "test.textproto", kProtocol);
  EXPECT_THAT(coverage.problems,
              ElementsAre(HasSubstr("\"Test 2.1\" is neither cited by a rule nor listed")));
}

TEST(ClauseCoverageTest, ProfileWithoutACitationPrefixIsAProblem) {
  auto profile = SmallProfile();
  profile.clear_coverage();
  EXPECT_THAT(CoverProfile(profile, "test.textproto", kProtocol).problems,
              ElementsAre(HasSubstr("coverage.citation_prefix is required")));
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The shipped profiles cover every clause of their protocols, and
// docs/clause-coverage.md says so as they stand now. To refresh the document:
//   build/tools/councilctl coverage report --out=docs/clause-coverage.md
TEST(ClauseCoverageTest, ShippedReportIsCurrent) {
  const std::string root = COUNCIL_SOURCE_DIR;
  auto covered = CoverShippedProfiles(root + "/profiles", root + "/protocols");
  ASSERT_TRUE(covered.ok()) << covered.status();
  ASSERT_EQ(covered->size(), 5u);
  for (const auto& profile : *covered) EXPECT_THAT(profile.problems, IsEmpty());
  EXPECT_EQ(ReadFile(root + "/docs/clause-coverage.md"), RenderCoverageReport(*covered))
      << "docs/clause-coverage.md is stale: build/tools/councilctl coverage report "
         "--out=docs/clause-coverage.md";
}

// protocols/ holds copies of ../shared/protocols/: where that exists, they match.
TEST(ClauseCoverageTest, ProtocolCopiesEqualTheSharedTexts) {
  const std::string root = COUNCIL_SOURCE_DIR;
  const std::string shared = root + "/../shared/protocols";
  if (!std::filesystem::is_directory(shared)) GTEST_SKIP() << "no " << shared << " here";
  int compared = 0;
  for (const auto& entry : std::filesystem::directory_iterator(shared)) {
    EXPECT_EQ(ReadFile(entry.path()), ReadFile(root + "/protocols/" + entry.path().filename().string()))
        << entry.path().filename();
    ++compared;
  }
  EXPECT_EQ(compared, 5);
}

}  // namespace
}  // namespace council::ctl
