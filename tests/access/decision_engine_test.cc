// Tests for access-service/decision_engine.h, over the five shipped profiles.
//
// One table holds every (profile, situation) pair, so the differences between
// councils are visible side by side: the outcome, who a referral goes to, and
// the clauses the decision cites in the order it applied them (the rule order
// is documented in decision_engine.h). After the table, behaviour a table row
// cannot show: FOI due dates over Christmas, political assistants, the
// requester's own advice, interest categories, profile validation, and that
// the fast path used for listings never disagrees with a full decision.

#include "access-service/decision_engine.h"

#include <map>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/civil_time.h"
#include "common/profile/profile_loader.h"
#include "common/util/resource_names.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council::access {
namespace {

using ::council::access::v1::AccessDecision;
using ::council::access::v1::Document;
using ::council::access::v1::Outcome;
using ::council::access::v1::OUTCOME_GRANTED;
using ::council::access::v1::OUTCOME_HANDLED_AS_FOI;
using ::council::access::v1::OUTCOME_NEEDS_JUSTIFICATION;
using ::council::access::v1::OUTCOME_REFERRED;
using ::council::access::v1::OUTCOME_REFUSED;
using ::council::profile::v1::CouncilProfile;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The decision day: Friday 4 December 2026.
const absl::CivilDay kToday(2026, 12, 4);

// The chief officer whose department holds every test document.
constexpr char kHoldingChiefOfficer[] = "people/director-of-place";
constexpr char kRequester[] = "people/cllr-ada-okafor";
constexpr char kOtherMember[] = "people/cllr-jun-zhang";
constexpr char kMatter[] = "matter-eastmere-retail-park";

std::shared_ptr<const CouncilProfile> LoadShipped(const std::string& id) {
  static auto* const cache = new std::map<std::string, std::shared_ptr<const CouncilProfile>>;
  auto& slot = (*cache)[id];
  if (slot == nullptr) {
    auto loaded = LoadProfile(absl::StrCat(COUNCIL_SOURCE_DIR, "/profiles/", id, ".textproto"));
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.status();
      slot = std::make_shared<CouncilProfile>();
    } else {
      slot = *loaded;
    }
  }
  return slot;
}

const DecisionEngine& Engine(const std::string& id) {
  static auto* const cache = new std::map<std::string, std::unique_ptr<const DecisionEngine>>;
  auto& slot = (*cache)[id];
  if (slot == nullptr) {
    auto engine = DecisionEngine::Create(LoadShipped(id));
    if (!engine.ok()) {
      ADD_FAILURE() << id << ": " << engine.status();
      engine = DecisionEngine::Create(std::make_shared<CouncilProfile>());
    }
    slot = std::move(*engine);
  }
  return *slot;
}

// --- Documents and requesters -----------------------------------------------------

Document CommitteePaper(v1::DocumentStatus status) {
  Document document;
  document.set_name("documents/planning-2027-01-12-item-7");
  document.set_title("Application 26/01234: land at Mill Lane");
  document.set_owning_service("planning");
  document.set_holding_chief_officer(kHoldingChiefOfficer);
  document.set_body("bodies/planning-committee");
  document.mutable_meeting_date()->set_year(2027);
  document.mutable_meeting_date()->set_month(1);
  document.mutable_meeting_date()->set_day(12);
  document.set_agenda_item("7");
  document.set_status(status);
  return document;
}

Document ServiceFile(v1::DocumentStatus status) {
  Document document;
  document.set_name("documents/highways-resurfacing-programme");
  document.set_title("Resurfacing programme 2027/28");
  document.set_owning_service("highways");
  document.set_holding_chief_officer(kHoldingChiefOfficer);
  document.set_status(status);
  return document;
}

RequesterFacts Member() {
  RequesterFacts facts;
  facts.person = kRequester;
  facts.kind = RequesterKind::kMember;
  facts.ward = "wards/abbey";
  facts.party_group = "groups/eastmere-labour";
  facts.as_of = kToday;
  return facts;
}

// --- Situations -----------------------------------------------------------------

enum class Situation {
  // Sits on the planning committee; open paper for its next meeting; no purpose.
  kBodyMemberOpenPaperNoPurpose,
  // As above but the paper is confidential.
  kBodyMemberConfidentialPaperNoPurpose,
  // Not on the committee; open paper for its meeting; no purpose.
  kNonMemberOpenPaperNoPurpose,
  // Not on the committee; confidential paper for its meeting; a purpose.
  kNonMemberConfidentialPaperWithPurpose,
  // An open service file unrelated to any meeting; no purpose.
  kNonMemberServiceFileNoPurpose,
  // As above with a purpose.
  kNonMemberServiceFileWithPurpose,
  // Not on the committee; paper exempt under Schedule 12A paragraph 7 only; a
  // purpose (South Somerset relies on paragraphs 1-6, 9, 11, 12 and 14).
  kNonMemberExemptParagraph7PaperWithPurpose,
  // Another party group's internal document (marked Not for Publication); a
  // purpose.
  kOtherGroupsInternalDocumentWithPurpose,
  // Sits on the committee, whose open paper concerns a matter in which the
  // requester has a declared employment interest; no purpose.
  kBodyMemberWithInterestInTheMatter,
  // Advice another member asked an officer for; a purpose.
  kAdviceAnotherMemberAskedForWithPurpose,
  // Not on the committee; open paper holding third parties' personal data; a
  // purpose but no justification.
  kNonMemberPersonalDataPaperWithPurpose,
  // As above with a justification in specific terms.
  kNonMemberPersonalDataPaperJustified,
  // Ward member acting for a constituent; a service file about their ward; no
  // purpose.
  kWardMemberForAConstituent,
  // Holds the portfolio covering highways; the highways service file; no purpose.
  kPortfolioHolderServiceFile,
  // Sits on the committee; its open paper holds third parties' personal data;
  // no purpose, no justification (Sheffield 14.6 asks for one even so).
  kBodyMemberPersonalDataPaperNoJustification,
  // As above with a justification in specific terms.
  kBodyMemberPersonalDataPaperJustified,
  // Not on the committee; paper exempt under paragraph 7 and marked "Not for
  // Publication" (South Somerset 10 and 11: both at once); a purpose.
  kNonMemberExemptNotForPublicationPaperWithPurpose,
};

const char* SituationName(Situation situation) {
  switch (situation) {
    case Situation::kBodyMemberOpenPaperNoPurpose: return "BodyMemberOpenPaperNoPurpose";
    case Situation::kBodyMemberConfidentialPaperNoPurpose: return "BodyMemberConfidentialPaperNoPurpose";
    case Situation::kNonMemberOpenPaperNoPurpose: return "NonMemberOpenPaperNoPurpose";
    case Situation::kNonMemberConfidentialPaperWithPurpose: return "NonMemberConfidentialPaperWithPurpose";
    case Situation::kNonMemberServiceFileNoPurpose: return "NonMemberServiceFileNoPurpose";
    case Situation::kNonMemberServiceFileWithPurpose: return "NonMemberServiceFileWithPurpose";
    case Situation::kNonMemberExemptParagraph7PaperWithPurpose: return "NonMemberExemptParagraph7PaperWithPurpose";
    case Situation::kOtherGroupsInternalDocumentWithPurpose: return "OtherGroupsInternalDocumentWithPurpose";
    case Situation::kBodyMemberWithInterestInTheMatter: return "BodyMemberWithInterestInTheMatter";
    case Situation::kAdviceAnotherMemberAskedForWithPurpose: return "AdviceAnotherMemberAskedForWithPurpose";
    case Situation::kNonMemberPersonalDataPaperWithPurpose: return "NonMemberPersonalDataPaperWithPurpose";
    case Situation::kNonMemberPersonalDataPaperJustified: return "NonMemberPersonalDataPaperJustified";
    case Situation::kWardMemberForAConstituent: return "WardMemberForAConstituent";
    case Situation::kPortfolioHolderServiceFile: return "PortfolioHolderServiceFile";
    case Situation::kBodyMemberPersonalDataPaperNoJustification: return "BodyMemberPersonalDataPaperNoJustification";
    case Situation::kBodyMemberPersonalDataPaperJustified: return "BodyMemberPersonalDataPaperJustified";
    case Situation::kNonMemberExemptNotForPublicationPaperWithPurpose: return "NonMemberExemptNotForPublicationPaperWithPurpose";
  }
  return "?";
}

constexpr Situation kAllSituations[] = {
    Situation::kBodyMemberOpenPaperNoPurpose,
    Situation::kBodyMemberConfidentialPaperNoPurpose,
    Situation::kNonMemberOpenPaperNoPurpose,
    Situation::kNonMemberConfidentialPaperWithPurpose,
    Situation::kNonMemberServiceFileNoPurpose,
    Situation::kNonMemberServiceFileWithPurpose,
    Situation::kNonMemberExemptParagraph7PaperWithPurpose,
    Situation::kOtherGroupsInternalDocumentWithPurpose,
    Situation::kBodyMemberWithInterestInTheMatter,
    Situation::kAdviceAnotherMemberAskedForWithPurpose,
    Situation::kNonMemberPersonalDataPaperWithPurpose,
    Situation::kNonMemberPersonalDataPaperJustified,
    Situation::kWardMemberForAConstituent,
    Situation::kPortfolioHolderServiceFile,
    Situation::kBodyMemberPersonalDataPaperNoJustification,
    Situation::kBodyMemberPersonalDataPaperJustified,
    Situation::kNonMemberExemptNotForPublicationPaperWithPurpose,
};

struct Case {
  Document document;
  v1::AccessRequest request;
  RequesterFacts facts;
};

constexpr char kPurpose[] =
    "A constituent objects to the proposal; I need the officers' assessment to advise them.";

Case Build(Situation situation) {
  using S = Situation;
  Case c;
  c.facts = Member();
  c.request.set_requester(kRequester);
  c.request.set_capacity(v1::CAPACITY_OTHER);
  switch (situation) {
    case S::kBodyMemberOpenPaperNoPurpose:
      c.facts.bodies.insert("bodies/planning-committee");
      c.request.set_capacity(v1::CAPACITY_BODY_MEMBER);
      c.document = CommitteePaper(v1::DOCUMENT_STATUS_OPEN);
      break;
    case S::kBodyMemberConfidentialPaperNoPurpose:
      c.facts.bodies.insert("bodies/planning-committee");
      c.request.set_capacity(v1::CAPACITY_BODY_MEMBER);
      c.document = CommitteePaper(v1::DOCUMENT_STATUS_CONFIDENTIAL);
      break;
    case S::kNonMemberOpenPaperNoPurpose:
      c.document = CommitteePaper(v1::DOCUMENT_STATUS_OPEN);
      break;
    case S::kNonMemberConfidentialPaperWithPurpose:
      c.document = CommitteePaper(v1::DOCUMENT_STATUS_CONFIDENTIAL);
      c.request.set_purpose(kPurpose);
      break;
    case S::kNonMemberServiceFileNoPurpose:
      c.document = ServiceFile(v1::DOCUMENT_STATUS_OPEN);
      break;
    case S::kNonMemberServiceFileWithPurpose:
      c.document = ServiceFile(v1::DOCUMENT_STATUS_OPEN);
      c.request.set_purpose("Residents report the road is dangerous; I need the programme to "
                            "take it up with the service.");
      break;
    case S::kNonMemberExemptParagraph7PaperWithPurpose:
      c.document = CommitteePaper(v1::DOCUMENT_STATUS_EXEMPT);
      c.document.add_exempt_paragraphs(7);
      c.request.set_purpose(kPurpose);
      break;
    case S::kOtherGroupsInternalDocumentWithPurpose:
      c.document = ServiceFile(v1::DOCUMENT_STATUS_OPEN);
      c.document.set_not_for_publication(true);
      c.document.set_name("documents/conservative-group-budget-strategy");
      c.document.set_owning_service("democratic-services");
      c.document.set_party_group("groups/eastmere-conservative");
      c.request.set_purpose("I want to know what the opposition will propose.");
      break;
    case S::kBodyMemberWithInterestInTheMatter:
      c.facts.bodies.insert("bodies/planning-committee");
      c.facts.interests_by_matter[kMatter].push_back(
          {absl::StrCat(kRequester, "/interests/int-001"), "employment"});
      c.request.set_capacity(v1::CAPACITY_BODY_MEMBER);
      c.document = CommitteePaper(v1::DOCUMENT_STATUS_OPEN);
      c.document.add_matters(kMatter);
      break;
    case S::kAdviceAnotherMemberAskedForWithPurpose:
      c.document = ServiceFile(v1::DOCUMENT_STATUS_OPEN);
      c.document.set_name("documents/advice-on-licensing-objection");
      c.document.set_owning_service("legal");
      c.document.set_requested_advice_for(kOtherMember);
      c.request.set_purpose(kPurpose);
      break;
    case S::kNonMemberPersonalDataPaperWithPurpose:
    case S::kNonMemberPersonalDataPaperJustified:
      c.document = CommitteePaper(v1::DOCUMENT_STATUS_OPEN);
      c.document.set_third_party_personal_data(true);
      c.request.set_purpose(kPurpose);
      if (situation == S::kNonMemberPersonalDataPaperJustified)
        c.request.set_justification(
            "The objector is my constituent and has asked me in writing to check how the "
            "officers summarised their letter of 3 November.");
      break;
    case S::kWardMemberForAConstituent:
      c.document = ServiceFile(v1::DOCUMENT_STATUS_OPEN);
      c.document.add_wards("wards/abbey");
      c.request.set_capacity(v1::CAPACITY_WARD_MEMBER);
      break;
    case S::kPortfolioHolderServiceFile:
      c.facts.portfolios.insert("portfolios/environment-and-transport");
      c.facts.portfolio_services.insert("highways");
      c.facts.portfolio_services.insert("waste");
      c.request.set_capacity(v1::CAPACITY_PORTFOLIO_HOLDER);
      c.document = ServiceFile(v1::DOCUMENT_STATUS_OPEN);
      break;
    case S::kBodyMemberPersonalDataPaperNoJustification:
    case S::kBodyMemberPersonalDataPaperJustified:
      c.facts.bodies.insert("bodies/planning-committee");
      c.request.set_capacity(v1::CAPACITY_BODY_MEMBER);
      c.document = CommitteePaper(v1::DOCUMENT_STATUS_OPEN);
      c.document.set_third_party_personal_data(true);
      if (situation == S::kBodyMemberPersonalDataPaperJustified)
        c.request.set_justification(
            "The committee decides the objector's own application; I need their letter of 3 "
            "November to weigh the grounds they raise.");
      break;
    case S::kNonMemberExemptNotForPublicationPaperWithPurpose:
      c.document = CommitteePaper(v1::DOCUMENT_STATUS_EXEMPT);
      c.document.add_exempt_paragraphs(7);
      c.document.set_not_for_publication(true);
      c.request.set_purpose(kPurpose);
      break;
  }
  c.request.set_document(c.document.name());
  return c;
}

// --- The table ------------------------------------------------------------------

struct Row {
  std::string profile;
  Situation situation;
  Outcome outcome;
  // Who decides a referral; empty for any other outcome.
  std::string referred_to;
  // DecisionReason citations, in the order applied.
  std::vector<std::string> clauses;
};

void PrintTo(const Row& row, std::ostream* os) {
  *os << row.profile << "/" << SituationName(row.situation);
}

// Each council's grant conditions, cited after the rule that granted.
const std::vector<std::string> kSouthwarkConditions = {"Southwark 55", "Southwark 54"};
const std::vector<std::string> kSheffieldConditions = {"Sheffield 14.10", "Sheffield 14.10",
                                                       "Sheffield 14.9"};
const std::vector<std::string> kMiddlesbroughConditions = {"Middlesbrough 14.7",
                                                           "Middlesbrough 14.9"};

std::vector<std::string> Then(std::vector<std::string> first,
                              const std::vector<std::string>& rest) {
  first.insert(first.end(), rest.begin(), rest.end());
  return first;
}

const std::vector<Row>& Table() {
  using S = Situation;
  static const auto* const rows = new std::vector<Row>{
      // Southwark: presumptions for body members, portfolio holders and ward
      // members acting for a constituent (53); no meeting-business right;
      // documents unrelated to any meeting go to FOI (60); confidential or
      // exempt and third parties' personal data need more (53); need to know
      // decided by the document-holding chief officer with Monitoring Officer
      // advice (52). No party-group, interest or advice rules.
      {"southwark", S::kBodyMemberOpenPaperNoPurpose, OUTCOME_GRANTED, "",
       Then({"Southwark 53"}, kSouthwarkConditions)},
      {"southwark", S::kBodyMemberConfidentialPaperNoPurpose, OUTCOME_GRANTED, "",
       Then({"Southwark 53"}, kSouthwarkConditions)},
      {"southwark", S::kNonMemberOpenPaperNoPurpose, OUTCOME_REFUSED, "", {"Southwark 52"}},
      {"southwark", S::kNonMemberConfidentialPaperWithPurpose, OUTCOME_REFERRED,
       kHoldingChiefOfficer, {"Southwark 53", "Southwark 52"}},
      {"southwark", S::kNonMemberServiceFileNoPurpose, OUTCOME_HANDLED_AS_FOI, "",
       {"Southwark 60"}},
      {"southwark", S::kNonMemberServiceFileWithPurpose, OUTCOME_HANDLED_AS_FOI, "",
       {"Southwark 60"}},
      {"southwark", S::kNonMemberExemptParagraph7PaperWithPurpose, OUTCOME_REFERRED,
       kHoldingChiefOfficer, {"Southwark 53", "Southwark 52"}},
      {"southwark", S::kOtherGroupsInternalDocumentWithPurpose, OUTCOME_HANDLED_AS_FOI, "",
       {"Southwark 60"}},
      {"southwark", S::kBodyMemberWithInterestInTheMatter, OUTCOME_GRANTED, "",
       Then({"Southwark 53"}, kSouthwarkConditions)},
      {"southwark", S::kAdviceAnotherMemberAskedForWithPurpose, OUTCOME_HANDLED_AS_FOI, "",
       {"Southwark 60"}},
      {"southwark", S::kNonMemberPersonalDataPaperWithPurpose, OUTCOME_NEEDS_JUSTIFICATION, "",
       {"Southwark 53"}},
      {"southwark", S::kNonMemberPersonalDataPaperJustified, OUTCOME_REFERRED,
       kHoldingChiefOfficer, {"Southwark 53", "Southwark 52", "Southwark 52"}},
      {"southwark", S::kWardMemberForAConstituent, OUTCOME_GRANTED, "",
       Then({"Southwark 53"}, kSouthwarkConditions)},
      {"southwark", S::kPortfolioHolderServiceFile, OUTCOME_GRANTED, "",
       Then({"Southwark 53"}, kSouthwarkConditions)},
      // Southwark 53 asks for a justification "in other circumstances" only.
      {"southwark", S::kBodyMemberPersonalDataPaperNoJustification, OUTCOME_GRANTED, "",
       Then({"Southwark 53"}, kSouthwarkConditions)},
      {"southwark", S::kBodyMemberPersonalDataPaperJustified, OUTCOME_GRANTED, "",
       Then({"Southwark 53"}, kSouthwarkConditions)},
      {"southwark", S::kNonMemberExemptNotForPublicationPaperWithPurpose, OUTCOME_REFERRED,
       kHoldingChiefOfficer, {"Southwark 53", "Southwark 52"}},

      // Sheffield: presumption for body members (14.6); statutory right to
      // meeting business unless confidential (14.3); no bar on confidential
      // documents beyond that; another group's internal documents never (14.7);
      // third parties' personal data justified in specific terms (14.6);
      // correspondence not normally copied to other members (10.1.1); need to
      // know (14.5) decided by the Head of Service or Executive Director (14.8).
      {"sheffield", S::kBodyMemberOpenPaperNoPurpose, OUTCOME_GRANTED, "",
       Then({"Sheffield 14.6"}, kSheffieldConditions)},
      {"sheffield", S::kBodyMemberConfidentialPaperNoPurpose, OUTCOME_GRANTED, "",
       Then({"Sheffield 14.6"}, kSheffieldConditions)},
      {"sheffield", S::kNonMemberOpenPaperNoPurpose, OUTCOME_GRANTED, "",
       Then({"Sheffield 14.3"}, kSheffieldConditions)},
      {"sheffield", S::kNonMemberConfidentialPaperWithPurpose, OUTCOME_REFERRED,
       kHoldingChiefOfficer, {"Sheffield 14.3", "Sheffield 14.5", "Sheffield 14.8"}},
      {"sheffield", S::kNonMemberServiceFileNoPurpose, OUTCOME_REFUSED, "", {"Sheffield 14.5"}},
      {"sheffield", S::kNonMemberServiceFileWithPurpose, OUTCOME_REFERRED, kHoldingChiefOfficer,
       {"Sheffield 14.5", "Sheffield 14.8"}},
      {"sheffield", S::kNonMemberExemptParagraph7PaperWithPurpose, OUTCOME_REFERRED,
       kHoldingChiefOfficer, {"Sheffield 14.3", "Sheffield 14.5", "Sheffield 14.8"}},
      {"sheffield", S::kOtherGroupsInternalDocumentWithPurpose, OUTCOME_REFUSED, "",
       {"Sheffield 14.7"}},
      {"sheffield", S::kBodyMemberWithInterestInTheMatter, OUTCOME_GRANTED, "",
       Then({"Sheffield 14.6"}, kSheffieldConditions)},
      {"sheffield", S::kAdviceAnotherMemberAskedForWithPurpose, OUTCOME_REFERRED,
       kHoldingChiefOfficer, {"Sheffield 10.1.1", "Sheffield 14.8"}},
      // Sheffield 14.6: personal information about third parties is justified
      // in specific terms by every member, and being exempt it is outside the
      // statutory right to meeting papers (14.3): justified, it is a need to
      // know like any other (14.5, 14.8).
      {"sheffield", S::kNonMemberPersonalDataPaperWithPurpose, OUTCOME_NEEDS_JUSTIFICATION, "",
       {"Sheffield 14.6"}},
      {"sheffield", S::kNonMemberPersonalDataPaperJustified, OUTCOME_REFERRED,
       kHoldingChiefOfficer,
       {"Sheffield 14.6", "Sheffield 14.3", "Sheffield 14.5", "Sheffield 14.8"}},
      {"sheffield", S::kWardMemberForAConstituent, OUTCOME_REFUSED, "", {"Sheffield 14.5"}},
      {"sheffield", S::kPortfolioHolderServiceFile, OUTCOME_REFUSED, "", {"Sheffield 14.5"}},
      // Even the body's own member justifies it (14.6), then is presumed (14.6).
      {"sheffield", S::kBodyMemberPersonalDataPaperNoJustification, OUTCOME_NEEDS_JUSTIFICATION,
       "", {"Sheffield 14.6"}},
      {"sheffield", S::kBodyMemberPersonalDataPaperJustified, OUTCOME_GRANTED, "",
       Then({"Sheffield 14.6", "Sheffield 14.6"}, kSheffieldConditions)},
      {"sheffield", S::kNonMemberExemptNotForPublicationPaperWithPurpose, OUTCOME_REFERRED,
       kHoldingChiefOfficer, {"Sheffield 14.3", "Sheffield 14.5", "Sheffield 14.8"}},

      // Middlesbrough: right to one's own body's documents (14.3); others need
      // a need to know and no confidential or exempt content (14.4);
      // Monitoring Officer advice first for personal data and interests
      // (14.6); another group's internal documents never (14.8); requested
      // advice kept from other members (14.10); the Monitoring Officer
      // determines disputes (14.5).
      {"middlesbrough", S::kBodyMemberOpenPaperNoPurpose, OUTCOME_GRANTED, "",
       Then({"Middlesbrough 14.3"}, kMiddlesbroughConditions)},
      {"middlesbrough", S::kBodyMemberConfidentialPaperNoPurpose, OUTCOME_GRANTED, "",
       Then({"Middlesbrough 14.3"}, kMiddlesbroughConditions)},
      {"middlesbrough", S::kNonMemberOpenPaperNoPurpose, OUTCOME_REFUSED, "",
       {"Middlesbrough 14.4"}},
      {"middlesbrough", S::kNonMemberConfidentialPaperWithPurpose, OUTCOME_REFUSED, "",
       {"Middlesbrough 14.4"}},
      {"middlesbrough", S::kNonMemberServiceFileNoPurpose, OUTCOME_REFUSED, "",
       {"Middlesbrough 14.4"}},
      {"middlesbrough", S::kNonMemberServiceFileWithPurpose, OUTCOME_REFERRED,
       "designations/monitoring-officer", {"Middlesbrough 14.4", "Middlesbrough 14.5"}},
      {"middlesbrough", S::kNonMemberExemptParagraph7PaperWithPurpose, OUTCOME_REFUSED, "",
       {"Middlesbrough 14.4"}},
      {"middlesbrough", S::kOtherGroupsInternalDocumentWithPurpose, OUTCOME_REFUSED, "",
       {"Middlesbrough 14.8"}},
      {"middlesbrough", S::kBodyMemberWithInterestInTheMatter, OUTCOME_REFERRED,
       "designations/monitoring-officer", {"Middlesbrough 14.6", "Middlesbrough 14.5"}},
      {"middlesbrough", S::kAdviceAnotherMemberAskedForWithPurpose, OUTCOME_REFUSED, "",
       {"Middlesbrough 14.10"}},
      {"middlesbrough", S::kNonMemberPersonalDataPaperWithPurpose, OUTCOME_REFERRED,
       "designations/monitoring-officer", {"Middlesbrough 14.6", "Middlesbrough 14.5"}},
      {"middlesbrough", S::kNonMemberPersonalDataPaperJustified, OUTCOME_REFERRED,
       "designations/monitoring-officer",
       {"Middlesbrough 14.6", "Middlesbrough 14.4", "Middlesbrough 14.5"}},
      {"middlesbrough", S::kWardMemberForAConstituent, OUTCOME_REFUSED, "",
       {"Middlesbrough 14.4"}},
      {"middlesbrough", S::kPortfolioHolderServiceFile, OUTCOME_REFUSED, "",
       {"Middlesbrough 14.4"}},
      {"middlesbrough", S::kBodyMemberPersonalDataPaperNoJustification, OUTCOME_GRANTED, "",
       Then({"Middlesbrough 14.3"}, kMiddlesbroughConditions)},
      {"middlesbrough", S::kBodyMemberPersonalDataPaperJustified, OUTCOME_GRANTED, "",
       Then({"Middlesbrough 14.3"}, kMiddlesbroughConditions)},
      {"middlesbrough", S::kNonMemberExemptNotForPublicationPaperWithPurpose, OUTCOME_REFUSED,
       "", {"Middlesbrough 14.4"}},

      // Parish template: no presumptions; need to know and the bar on
      // confidential items (5.1); the Clerk decides (5.3); every refusal gives
      // reasons (5.2). Silent on groups, interests, personal data and advice.
      {"parish-template", S::kBodyMemberOpenPaperNoPurpose, OUTCOME_REFUSED, "",
       {"Parish template 5.1", "Parish template 5.2"}},
      {"parish-template", S::kBodyMemberConfidentialPaperNoPurpose, OUTCOME_REFUSED, "",
       {"Parish template 5.1", "Parish template 5.2"}},
      {"parish-template", S::kNonMemberOpenPaperNoPurpose, OUTCOME_REFUSED, "",
       {"Parish template 5.1", "Parish template 5.2"}},
      {"parish-template", S::kNonMemberConfidentialPaperWithPurpose, OUTCOME_REFUSED, "",
       {"Parish template 5.1", "Parish template 5.2"}},
      {"parish-template", S::kNonMemberServiceFileNoPurpose, OUTCOME_REFUSED, "",
       {"Parish template 5.1", "Parish template 5.2"}},
      {"parish-template", S::kNonMemberServiceFileWithPurpose, OUTCOME_REFERRED,
       "designations/clerk", {"Parish template 5.1", "Parish template 5.3"}},
      {"parish-template", S::kNonMemberExemptParagraph7PaperWithPurpose, OUTCOME_REFUSED, "",
       {"Parish template 5.1", "Parish template 5.2"}},
      {"parish-template", S::kOtherGroupsInternalDocumentWithPurpose, OUTCOME_REFERRED,
       "designations/clerk", {"Parish template 5.1", "Parish template 5.3"}},
      {"parish-template", S::kBodyMemberWithInterestInTheMatter, OUTCOME_REFUSED, "",
       {"Parish template 5.1", "Parish template 5.2"}},
      {"parish-template", S::kAdviceAnotherMemberAskedForWithPurpose, OUTCOME_REFERRED,
       "designations/clerk", {"Parish template 5.1", "Parish template 5.3"}},
      {"parish-template", S::kNonMemberPersonalDataPaperWithPurpose, OUTCOME_REFERRED,
       "designations/clerk", {"Parish template 5.1", "Parish template 5.3"}},
      {"parish-template", S::kNonMemberPersonalDataPaperJustified, OUTCOME_REFERRED,
       "designations/clerk", {"Parish template 5.1", "Parish template 5.3"}},
      {"parish-template", S::kWardMemberForAConstituent, OUTCOME_REFUSED, "",
       {"Parish template 5.1", "Parish template 5.2"}},
      {"parish-template", S::kPortfolioHolderServiceFile, OUTCOME_REFUSED, "",
       {"Parish template 5.1", "Parish template 5.2"}},
      {"parish-template", S::kBodyMemberPersonalDataPaperNoJustification, OUTCOME_REFUSED, "",
       {"Parish template 5.1", "Parish template 5.2"}},
      {"parish-template", S::kBodyMemberPersonalDataPaperJustified, OUTCOME_REFUSED, "",
       {"Parish template 5.1", "Parish template 5.2"}},
      {"parish-template", S::kNonMemberExemptNotForPublicationPaperWithPurpose, OUTCOME_REFUSED,
       "", {"Parish template 5.1", "Parish template 5.2"}},

      // South Somerset: any member may inspect what their duties require (8);
      // never where they have a pecuniary or professional interest (9); the
      // Proper Officer may decline exempt information within the listed
      // pre-2006 paragraphs (10); "Not for Publication" is for the member
      // alone (11).
      {"south-somerset", S::kBodyMemberOpenPaperNoPurpose, OUTCOME_REFUSED, "",
       {"South Somerset 8"}},
      {"south-somerset", S::kBodyMemberConfidentialPaperNoPurpose, OUTCOME_REFERRED,
       "designations/proper-officer", {"South Somerset 10", "South Somerset 10"}},
      {"south-somerset", S::kNonMemberOpenPaperNoPurpose, OUTCOME_REFUSED, "",
       {"South Somerset 8"}},
      {"south-somerset", S::kNonMemberConfidentialPaperWithPurpose, OUTCOME_REFERRED,
       "designations/proper-officer", {"South Somerset 10", "South Somerset 10"}},
      {"south-somerset", S::kNonMemberServiceFileNoPurpose, OUTCOME_REFUSED, "",
       {"South Somerset 8"}},
      {"south-somerset", S::kNonMemberServiceFileWithPurpose, OUTCOME_GRANTED, "",
       {"South Somerset 8"}},
      {"south-somerset", S::kNonMemberExemptParagraph7PaperWithPurpose, OUTCOME_GRANTED, "",
       {"South Somerset 10", "South Somerset 8"}},
      {"south-somerset", S::kOtherGroupsInternalDocumentWithPurpose, OUTCOME_GRANTED, "",
       {"South Somerset 8", "South Somerset 11"}},
      {"south-somerset", S::kBodyMemberWithInterestInTheMatter, OUTCOME_REFUSED, "",
       {"South Somerset 9"}},
      {"south-somerset", S::kAdviceAnotherMemberAskedForWithPurpose, OUTCOME_GRANTED, "",
       {"South Somerset 8"}},
      {"south-somerset", S::kNonMemberPersonalDataPaperWithPurpose, OUTCOME_GRANTED, "",
       {"South Somerset 8"}},
      {"south-somerset", S::kNonMemberPersonalDataPaperJustified, OUTCOME_GRANTED, "",
       {"South Somerset 8"}},
      {"south-somerset", S::kWardMemberForAConstituent, OUTCOME_REFUSED, "",
       {"South Somerset 8"}},
      {"south-somerset", S::kPortfolioHolderServiceFile, OUTCOME_REFUSED, "",
       {"South Somerset 8"}},
      {"south-somerset", S::kBodyMemberPersonalDataPaperNoJustification, OUTCOME_REFUSED, "",
       {"South Somerset 8"}},
      {"south-somerset", S::kBodyMemberPersonalDataPaperJustified, OUTCOME_REFUSED, "",
       {"South Somerset 8"}},
      // Exempt (under a paragraph 10 does not rely on) and "Not for
      // Publication" at once: granted (8) with the 11 condition.
      {"south-somerset", S::kNonMemberExemptNotForPublicationPaperWithPurpose, OUTCOME_GRANTED,
       "", {"South Somerset 10", "South Somerset 8", "South Somerset 11"}},
  };
  return *rows;
}

std::vector<std::string> Citations(const AccessDecision& decision) {
  std::vector<std::string> clauses;
  for (const auto& reason : decision.reasons()) clauses.push_back(reason.citation().clause());
  return clauses;
}

absl::CivilDay Day(const common::v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

class DecisionTableTest : public ::testing::TestWithParam<Row> {};

TEST_P(DecisionTableTest, OutcomeAndCitedClausesFollowTheCouncilsProtocol) {
  const Row& row = GetParam();
  const Case c = Build(row.situation);
  const DecisionEngine& engine = Engine(row.profile);
  const AccessDecision decision = engine.Decide(c.document, Ask::From(c.request), c.facts, kToday);
  EXPECT_EQ(decision.profile(), row.profile);
  EXPECT_EQ(decision.decided_by(), "services/access-service");
  EXPECT_EQ(decision.outcome(), row.outcome)
      << v1::Outcome_Name(decision.outcome()) << " under "
      << absl::StrJoin(Citations(decision), ", ") << "; the table cites "
      << absl::StrJoin(row.clauses, ", ");
  EXPECT_EQ(decision.referred_to(), row.referred_to)
      << "a referral goes to the profile's dispute decider ("
      << absl::StrJoin(row.clauses, ", ") << ")";
  EXPECT_THAT(Citations(decision), ElementsAreArray(row.clauses))
      << "every decision returns the clauses it applied, in order";
  for (const auto& reason : decision.reasons()) {
    EXPECT_FALSE(reason.finding().empty()) << reason.citation().clause();
  }
  EXPECT_EQ(decision.has_foi_due_date(), row.outcome == OUTCOME_HANDLED_AS_FOI)
      << "only an FOI routing has a due date";
  EXPECT_EQ(decision.conditions().empty(), row.outcome != OUTCOME_GRANTED ||
                                               (row.profile == "south-somerset" &&
                                                !c.document.not_for_publication()))
      << "grants carry the council's conditions; nothing else does";
  EXPECT_EQ(engine.Grants(c.document, Ask::From(c.request), c.facts, kToday),
            row.outcome == OUTCOME_GRANTED)
      << "the listing's fast path must agree with the full decision";
}

INSTANTIATE_TEST_SUITE_P(
    FiveCouncils, DecisionTableTest, ::testing::ValuesIn(Table()),
    [](const ::testing::TestParamInfo<Row>& info) {
      return absl::StrCat(absl::StrReplaceAll(info.param.profile, {{"-", "_"}}), "_",
                          SituationName(info.param.situation));
    });

TEST(DecisionTableCoverageTest, TableCoversEverySituationForEveryCouncil) {
  // So a difference between councils cannot hide behind a missing row.
  for (const char* id :
       {"southwark", "sheffield", "middlesbrough", "parish-template", "south-somerset"}) {
    for (Situation situation : kAllSituations) {
      int rows = 0;
      for (const Row& row : Table()) rows += row.profile == id && row.situation == situation;
      EXPECT_EQ(rows, 1) << id << "/" << SituationName(situation);
    }
  }
}

// --- Behaviour the table does not show --------------------------------------

TEST(DecideTest, RefusalWithoutPurposeSaysNoRovingCommission) {
  // Southwark 52: a member has no right to "a roving commission"; Sheffield
  // 14.5: no "fishing expedition", "mere curiosity is not sufficient"; likewise
  // Middlesbrough 14.4, parish template 5.1.
  for (const char* id : {"southwark", "sheffield", "middlesbrough", "parish-template"}) {
    SCOPED_TRACE(id);
    const Case c = Build(Situation::kNonMemberOpenPaperNoPurpose);
    const AccessDecision decision =
        Engine(id).Decide(c.document, Ask::From(c.request), c.facts, kToday);
    if (std::string(id) == "sheffield") {
      EXPECT_EQ(decision.outcome(), OUTCOME_GRANTED) << "Sheffield 14.3 opens meeting papers";
      continue;
    }
    ASSERT_EQ(decision.outcome(), OUTCOME_REFUSED);
    ASSERT_GE(decision.reasons_size(), 1);
    EXPECT_THAT(decision.reasons(0).finding(), HasSubstr("no roving commission"));
    EXPECT_THAT(decision.reasons(0).finding(), HasSubstr("no fishing expedition"));
    EXPECT_THAT(decision.conditions(), IsEmpty());
  }
}

TEST(DecideTest, WhitespaceIsNoPurpose) {
  Case c = Build(Situation::kNonMemberServiceFileWithPurpose);
  c.request.set_purpose("   \n\t");
  EXPECT_EQ(Engine("sheffield").Decide(c.document, Ask::From(c.request), c.facts, kToday).outcome(),
            OUTCOME_REFUSED)
      << "Sheffield 14.5: a need to know must be demonstrated";
}

TEST(DecideTest, ParishRefusalCitesTheReasonsClauseLast) {
  // Parish template 5.2: the officer "will inform the member and will give
  // reasons why disclosure would not be appropriate".
  const Case c = Build(Situation::kNonMemberConfidentialPaperWithPurpose);
  const AccessDecision decision =
      Engine("parish-template").Decide(c.document, Ask::From(c.request), c.facts, kToday);
  ASSERT_EQ(decision.outcome(), OUTCOME_REFUSED);
  ASSERT_EQ(decision.reasons_size(), 2);
  EXPECT_EQ(decision.reasons(1).citation().clause(), "Parish template 5.2");
}

TEST(DecideTest, GrantCarriesTheCouncilsConditionsWithTheirClauses) {
  // Middlesbrough 14.7: information "must only be used for the purpose for which
  // it was requested"; 14.9: not disclosed without consent.
  const Case c = Build(Situation::kBodyMemberOpenPaperNoPurpose);
  const AccessDecision decision =
      Engine("middlesbrough").Decide(c.document, Ask::From(c.request), c.facts, kToday);
  ASSERT_EQ(decision.outcome(), OUTCOME_GRANTED);
  EXPECT_THAT(decision.conditions(),
              ElementsAre(HasSubstr("(Middlesbrough 14.7)"), HasSubstr("(Middlesbrough 14.9)")));
}

TEST(DecideTest, SouthSomersetNotForPublicationIsForTheMemberAlone) {
  Case c = Build(Situation::kNonMemberServiceFileWithPurpose);
  c.document.set_not_for_publication(true);
  const AccessDecision decision =
      Engine("south-somerset").Decide(c.document, Ask::From(c.request), c.facts, kToday);
  ASSERT_EQ(decision.outcome(), OUTCOME_GRANTED);
  EXPECT_THAT(Citations(decision), ElementsAre("South Somerset 8", "South Somerset 11"));
  EXPECT_THAT(decision.conditions(), ElementsAre(HasSubstr("(South Somerset 11)")));
  // The deprecated status value still means the mark (data not yet migrated
  // cannot lose the condition).
  c.document.set_not_for_publication(false);
  c.document.set_status(v1::DOCUMENT_STATUS_NOT_FOR_PUBLICATION);
  EXPECT_THAT(Citations(Engine("south-somerset")
                            .Decide(c.document, Ask::From(c.request), c.facts, kToday)),
              ElementsAre("South Somerset 8", "South Somerset 11"));
}

TEST(DecideTest, SouthSomersetDeclinesOnlyTheParagraphsItReliesOn) {
  // South Somerset 10 (pre-2006 numbering): paragraphs 1-6, 9, 11, 12 and 14.
  Case c = Build(Situation::kNonMemberExemptParagraph7PaperWithPurpose);
  for (int paragraph : {1, 6, 9, 11, 12, 14}) {
    c.document.clear_exempt_paragraphs();
    c.document.add_exempt_paragraphs(paragraph);
    EXPECT_EQ(Engine("south-somerset")
                  .Decide(c.document, Ask::From(c.request), c.facts, kToday)
                  .outcome(),
              OUTCOME_REFERRED)
        << "paragraph " << paragraph;
  }
  for (int paragraph : {7, 8, 10, 13, 15}) {
    c.document.clear_exempt_paragraphs();
    c.document.add_exempt_paragraphs(paragraph);
    const AccessDecision decision =
        Engine("south-somerset").Decide(c.document, Ask::From(c.request), c.facts, kToday);
    EXPECT_EQ(decision.outcome(), OUTCOME_GRANTED) << "paragraph " << paragraph;
    EXPECT_THAT(decision.reasons(0).finding(), HasSubstr("does not rely on"));
  }
  EXPECT_EQ(Engine("south-somerset").MaxExemptParagraph(), 15) << "pre-2006 numbering";
  EXPECT_EQ(Engine("middlesbrough").MaxExemptParagraph(), 7) << "post-2006 numbering";
}

TEST(DecideTest, ReferralWithoutAHoldingChiefOfficerNamesTheRelative) {
  Case c = Build(Situation::kNonMemberServiceFileWithPurpose);
  c.document.clear_holding_chief_officer();
  const AccessDecision decision =
      Engine("sheffield").Decide(c.document, Ask::From(c.request), c.facts, kToday);
  ASSERT_EQ(decision.outcome(), OUTCOME_REFERRED);
  EXPECT_EQ(decision.referred_to(), "relative/RELATIVE_DOCUMENT_HOLDING_CHIEF_OFFICER");
}

TEST(DecideTest, SouthwarkReferralIsAdvisedByTheMonitoringOfficer) {
  // Southwark 52: decided by the chief officer "(with advice from the
  // monitoring officer)".
  const Case c = Build(Situation::kNonMemberConfidentialPaperWithPurpose);
  const AccessDecision decision =
      Engine("southwark").Decide(c.document, Ask::From(c.request), c.facts, kToday);
  ASSERT_EQ(decision.outcome(), OUTCOME_REFERRED);
  EXPECT_EQ(decision.advised_by(), "designations/monitoring-officer");
  EXPECT_THAT(decision.reasons().rbegin()->finding(),
              HasSubstr("with advice from designations/monitoring-officer"));
}

TEST(DecideTest, FoiRoutingIsDueOnTheTwentiethFoiWorkingDayOverChristmas) {
  // Southwark 58-60 and FOI Act 2000 s10(1): 20 working days; s10(6): a working
  // day is not a bank holiday "in any part of the United Kingdom". Received Fri
  // 4 Dec 2026, the clock skips Christmas Day (Fri 25), the Boxing Day
  // substitute (Mon 28), New Year's Day (Fri 1 Jan) and Scotland's 2 January
  // substitute (Mon 4 Jan 2027): due Thu 7 Jan 2027, not the 6th an
  // England-only calendar would give.
  const Case c = Build(Situation::kNonMemberServiceFileWithPurpose);
  const AccessDecision decision =
      Engine("southwark").Decide(c.document, Ask::From(c.request), c.facts, kToday);
  ASSERT_EQ(decision.outcome(), OUTCOME_HANDLED_AS_FOI);
  ASSERT_TRUE(decision.has_foi_due_date());
  EXPECT_EQ(Day(decision.foi_due_date()), absl::CivilDay(2027, 1, 7));
  EXPECT_THAT(Citations(decision), ElementsAre("Southwark 60"));
  EXPECT_THAT(decision.reasons(0).finding(), HasSubstr("unrelated to any council meeting"));
  EXPECT_THAT(decision.reasons(0).finding(), HasSubstr("due 2027-01-07"));
  EXPECT_TRUE(decision.referred_to().empty());
  std::vector<std::string> skipped;
  for (const auto& day : decision.foi_skipped_days())
    if (day.reason().find("Saturday") == std::string::npos &&
        day.reason().find("Sunday") == std::string::npos)
      skipped.push_back(FormatDay(Day(day.date())));
  EXPECT_THAT(skipped, ElementsAre("2026-12-25", "2026-12-28", "2027-01-01", "2027-01-04"))
      << "the decision shows the days the FOI clock skipped";
}

TEST(DecideTest, FoiRequestReceivedOnASaturdayCountsFromTheNextWorkingDay) {
  const Case c = Build(Situation::kNonMemberServiceFileWithPurpose);
  const AccessDecision decision = Engine("southwark").Decide(
      c.document, Ask::From(c.request), c.facts, absl::CivilDay(2026, 12, 5));
  ASSERT_EQ(decision.outcome(), OUTCOME_HANDLED_AS_FOI);
  EXPECT_EQ(Day(decision.foi_due_date()), absl::CivilDay(2027, 1, 8));
}

TEST(DecideTest, SouthwarkSendsANonWardMemberToFoiForAWardMatterOfAMeeting) {
  // Southwark 60: "or where the member requesting the information is not the
  // ward member".
  Case c = Build(Situation::kNonMemberOpenPaperNoPurpose);
  c.document.add_wards("wards/harbour");
  const AccessDecision decision =
      Engine("southwark").Decide(c.document, Ask::From(c.request), c.facts, kToday);
  ASSERT_EQ(decision.outcome(), OUTCOME_HANDLED_AS_FOI);
  EXPECT_THAT(decision.reasons(0).finding(),
              HasSubstr("concerns wards/harbour and the requester is not the ward member"));
  // The ward member asking about the same paper stays on the need-to-know route.
  c.facts.ward = "wards/harbour";
  EXPECT_EQ(Engine("southwark").Decide(c.document, Ask::From(c.request), c.facts, kToday).outcome(),
            OUTCOME_REFUSED)
      << "Southwark 52: the ward member stated no need";
}

TEST(DecideTest, WardMemberCapacityForAnotherWardGivesNoPresumption) {
  Case c = Build(Situation::kWardMemberForAConstituent);
  c.document.set_wards(0, "wards/harbour");
  const AccessDecision decision =
      Engine("southwark").Decide(c.document, Ask::From(c.request), c.facts, kToday);
  EXPECT_EQ(decision.outcome(), OUTCOME_HANDLED_AS_FOI);
  ASSERT_GE(decision.reasons_size(), 2);
  EXPECT_EQ(decision.reasons(0).citation().clause(), "Southwark 53");
  EXPECT_THAT(decision.reasons(0).finding(), HasSubstr("no presumption"));
}

TEST(DecideTest, PoliticalAssistantHasMembersAccessForTheirGroupOnly) {
  // Middlesbrough 12.5: "The level of access to Council documents and
  // information shall be that enjoyed by members"; 14.8 still bars another
  // group's internal documents.
  RequesterFacts assistant;
  assistant.person = "people/pa-chloe-wright";
  assistant.kind = RequesterKind::kPoliticalAssistant;
  assistant.party_group = "groups/eastmere-labour";
  Case c = Build(Situation::kOtherGroupsInternalDocumentWithPurpose);
  AccessDecision decision =
      Engine("middlesbrough").Decide(c.document, Ask::From(c.request), assistant, kToday);
  EXPECT_EQ(decision.outcome(), OUTCOME_REFUSED);
  EXPECT_THAT(Citations(decision), ElementsAre("Middlesbrough 12.5", "Middlesbrough 14.8"));
  // Their own group's document goes the ordinary way (need to know, 14.4).
  c.document.set_party_group("groups/eastmere-labour");
  decision = Engine("middlesbrough").Decide(c.document, Ask::From(c.request), assistant, kToday);
  EXPECT_EQ(decision.outcome(), OUTCOME_REFERRED);
  EXPECT_THAT(Citations(decision),
              ElementsAre("Middlesbrough 12.5", "Middlesbrough 14.4", "Middlesbrough 14.5"));
}

TEST(DecideTest, TheMemberWhoAskedForAdviceMaySeeIt) {
  // Middlesbrough 14.10 keeps advice "from other members", not from the member
  // who asked for it.
  Case c = Build(Situation::kAdviceAnotherMemberAskedForWithPurpose);
  c.document.set_requested_advice_for(kRequester);
  const AccessDecision decision =
      Engine("middlesbrough").Decide(c.document, Ask::From(c.request), c.facts, kToday);
  EXPECT_EQ(decision.outcome(), OUTCOME_GRANTED);
  EXPECT_THAT(Citations(decision), ElementsAre("Middlesbrough 14.10", "Middlesbrough 14.7",
                                               "Middlesbrough 14.9"));
}

TEST(DecideTest, InterestBarFollowsTheProfilesCategories) {
  // South Somerset 9: pecuniary or professional interests only; Middlesbrough
  // 14.6: any personal interest.
  Case c = Build(Situation::kBodyMemberWithInterestInTheMatter);
  c.facts.interests_by_matter[kMatter] = {
      {absl::StrCat(kRequester, "/interests/int-009"), "other"}};
  EXPECT_EQ(Engine("south-somerset")
                .Decide(c.document, Ask::From(c.request), c.facts, kToday)
                .reasons(0)
                .citation()
                .clause(),
            "South Somerset 8")
      << "a non-pecuniary interest does not bar under South Somerset 9";
  EXPECT_EQ(Engine("middlesbrough").Decide(c.document, Ask::From(c.request), c.facts, kToday).outcome(),
            OUTCOME_REFERRED);
  // The interest bar applies even where the member's duties would otherwise
  // let them see the document (South Somerset 8 with a stated purpose).
  c.request.set_purpose(kPurpose);
  c.facts.interests_by_matter[kMatter] = {{absl::StrCat(kRequester, "/interests/int-001"), "land"}};
  const AccessDecision decision =
      Engine("south-somerset").Decide(c.document, Ask::From(c.request), c.facts, kToday);
  EXPECT_EQ(decision.outcome(), OUTCOME_REFUSED);
  EXPECT_THAT(decision.reasons(0).finding(), HasSubstr("int-001"));
  EXPECT_THAT(decision.reasons(0).finding(), HasSubstr(kMatter));
}

TEST(DecideTest, FittingCapacityIsWardMemberOnlyForTheMembersWard) {
  RequesterFacts facts = Member();
  Document document = ServiceFile(v1::DOCUMENT_STATUS_OPEN);
  EXPECT_EQ(DecisionEngine::FittingCapacity(document, facts), v1::CAPACITY_OTHER);
  document.add_wards("wards/harbour");
  EXPECT_EQ(DecisionEngine::FittingCapacity(document, facts), v1::CAPACITY_OTHER);
  document.add_wards("wards/abbey");
  EXPECT_EQ(DecisionEngine::FittingCapacity(document, facts), v1::CAPACITY_WARD_MEMBER);
  facts.ward.clear();
  EXPECT_EQ(DecisionEngine::FittingCapacity(document, facts), v1::CAPACITY_OTHER);
}

TEST(DecideTest, DisputeDeciderGrantGetsTheSameConditions) {
  const Case c = Build(Situation::kOtherGroupsInternalDocumentWithPurpose);
  AccessDecision resolution;
  Engine("south-somerset").AddGrantConditions(c.document, &resolution);
  EXPECT_THAT(Citations(resolution), ElementsAre("South Somerset 11"));
  AccessDecision refusal;
  Engine("parish-template").AddRefusalReasons(&refusal);
  EXPECT_THAT(Citations(refusal), ElementsAre("Parish template 5.2"));
}

// --- The fast path never disagrees ----------------------------------------------

TEST(GrantsAgreesWithDecideTest, OverRandomDocumentsRequestsAndRequesters) {
  std::mt19937 random(20261204);
  auto pick = [&](int n) { return static_cast<int>(random() % n); };
  const char* const bodies[] = {"", "bodies/planning-committee", "bodies/executive"};
  const char* const wards[] = {"wards/abbey", "wards/harbour", "wards/millbrook"};
  const char* const groups[] = {"", "groups/eastmere-labour", "groups/eastmere-conservative"};
  const v1::DocumentStatus statuses[] = {
      v1::DOCUMENT_STATUS_OPEN, v1::DOCUMENT_STATUS_CONFIDENTIAL, v1::DOCUMENT_STATUS_EXEMPT,
      v1::DOCUMENT_STATUS_NOT_FOR_PUBLICATION};
  int checked = 0, granted = 0;
  for (const char* id :
       {"southwark", "sheffield", "middlesbrough", "parish-template", "south-somerset"}) {
    const DecisionEngine& engine = Engine(id);
    for (int i = 0; i < 2000; ++i) {
      Document d = ServiceFile(statuses[pick(4)]);
      d.set_body(bodies[pick(3)]);
      if (!d.body().empty() && pick(2)) *d.mutable_meeting_date() = CommitteePaper(d.status()).meeting_date();
      for (int w = pick(3); w > 0; --w) d.add_wards(wards[pick(3)]);
      d.set_party_group(groups[pick(3)]);
      if (pick(3) == 0) d.add_matters(kMatter);
      d.set_third_party_personal_data(pick(3) == 0);
      d.set_not_for_publication(pick(4) == 0);
      if (pick(5) == 0) d.set_requested_advice_for(pick(2) ? kRequester : kOtherMember);
      if (d.status() == v1::DOCUMENT_STATUS_EXEMPT) d.add_exempt_paragraphs(1 + pick(7));
      if (pick(4) == 0) d.set_owning_service("waste");
      RequesterFacts facts = Member();
      facts.kind = pick(4) == 0 ? RequesterKind::kPoliticalAssistant : RequesterKind::kMember;
      facts.ward = wards[pick(3)];
      facts.party_group = groups[pick(3)];
      if (pick(2)) facts.bodies.insert("bodies/planning-committee");
      if (pick(3) == 0) facts.portfolio_services.insert("waste");
      if (pick(3) == 0) facts.interests_by_matter[kMatter].push_back({"people/x/interests/i", pick(2) ? "land" : "other"});
      v1::AccessRequest request;
      request.set_capacity(static_cast<v1::Capacity>(1 + pick(5)));
      if (pick(2)) request.set_purpose(kPurpose);
      if (pick(2)) request.set_justification("Specific terms.");
      const Ask ask = Ask::From(request);
      const AccessDecision decision = engine.Decide(d, ask, facts, kToday);
      ASSERT_EQ(engine.Grants(d, ask, facts, kToday), decision.outcome() == OUTCOME_GRANTED)
          << id << " " << d.ShortDebugString() << " " << request.ShortDebugString();
      ASSERT_FALSE(decision.reasons().empty()) << "every decision cites a clause";
      ++checked;
      granted += decision.outcome() == OUTCOME_GRANTED;
    }
  }
  EXPECT_EQ(checked, 10000);
  EXPECT_GT(granted, 500) << "the sample must include grants";
}

// --- Profile validation ----------------------------------------------------------

TEST(DecisionEngineCreateTest, RejectsWhatOnlyThisServiceReads) {
  CouncilProfile profile = *LoadShipped("south-somerset");
  profile.mutable_document_access()->mutable_exempt_information()->set_numbering("2010");
  EXPECT_THAT(DecisionEngine::Create(std::make_shared<CouncilProfile>(profile)).status().message(),
              HasSubstr("exempt_information.numbering"));

  profile = *LoadShipped("middlesbrough");
  profile.mutable_document_access()->mutable_exempt_information()->add_paragraphs(9);
  EXPECT_THAT(DecisionEngine::Create(std::make_shared<CouncilProfile>(profile)).status().message(),
              HasSubstr("9 is not a Schedule 12A Part 1 paragraph in the post-2006 numbering"));

  profile = *LoadShipped("south-somerset");
  profile.mutable_document_access()->add_interest_categories("gifts");
  EXPECT_THAT(DecisionEngine::Create(std::make_shared<CouncilProfile>(profile)).status().message(),
              HasSubstr("\"gifts\""));

  profile = *LoadShipped("southwark");
  profile.mutable_document_access()->clear_record_readers_clause();
  EXPECT_THAT(DecisionEngine::Create(std::make_shared<CouncilProfile>(profile)).status().message(),
              HasSubstr("record_readers_clause"));
}

TEST(DecisionEngineCreateTest, RecordReadersComeFromTheProfile) {
  EXPECT_TRUE(Engine("middlesbrough").IsRecordReader({"member", "monitoring-officer"}));
  EXPECT_TRUE(Engine("middlesbrough").IsRecordReader({"auditor"}));
  EXPECT_FALSE(Engine("middlesbrough").IsRecordReader({"member", "officer"}));
  EXPECT_TRUE(Engine("parish-template").IsRecordReader({"clerk"}));
  EXPECT_FALSE(Engine("parish-template").IsRecordReader({"monitoring-officer"}));
}

TEST(DecisionEngineCreateTest, EveryShippedProfileCompiles) {
  for (const char* id :
       {"southwark", "sheffield", "middlesbrough", "parish-template", "south-somerset"})
    EXPECT_TRUE(DecisionEngine::Create(LoadShipped(id)).ok()) << id;
}

TEST(InterestCategoryNameTest, MatchesTheProfileSpelling) {
  EXPECT_EQ(InterestCategoryName(1), "employment");
  EXPECT_EQ(InterestCategoryName(6), "corporate-tenancies");
  EXPECT_EQ(InterestCategoryName(0), "");
  EXPECT_EQ(InterestCategoryName(99), "");
}

}  // namespace
}  // namespace council::access
