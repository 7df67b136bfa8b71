// The authorization matrix (issue 17, "The role model, written down and
// tested"): every method of the three backends x every role x the resource
// relations that matter (own or another's complaint, request, declaration,
// interest; handler, decider, officer declared to), with the outcome the role
// model in docs/security.md expects and the clause or duty behind it, checked
// end to end through the gateway on the demo council under the Middlesbrough
// profile.
//
// The table is written per method and relation: one cell per role, each with
// its expected outcome (and, where it differs from the block's, its own
// reason). Expanded, it is one row per method x role x relation; the test
// checks that it covers every method the gateway fronts and, for each
// relation "none" or "another's", every role, then makes each call as the
// demo person holding the role and compares how it ended:
//
//   allow           OK
//   policy denies   PERMISSION_DENIED by the gateway (config/gateway-policy.textproto)
//   service denies  PERMISSION_DENIED by the service's rule on the resource
//   hidden          NOT_FOUND: the service does not tell them it exists
//   rule refuses    FAILED_PRECONDITION: allowed to ask; the protocol's rule or
//                   the resource's state refuses the step
//   row refused     INVALID_ARGUMENT naming the row (system roles in an import)
//
// The people holding system roles are officers by kind (demo/README.md), so
// their cells show what an officer may do as well: the matrix checks the
// model as a council runs it.
#include <atomic>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/errors/grpc_errors.h"
#include "common/util/resource_names.h"
#include "council/access/v1/access_service.grpc.pb.h"
#include "council/complaints/v1/complaints_service.grpc.pb.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "tests/e2e/error_contract.h"
#include "tests/e2e/suite_harness.h"

namespace council::e2e {
namespace {

using access::v1::AccessService;
using complaints::v1::ComplaintsService;
using relations::v1::RelationsService;

// --- Roles and the demo people who hold them --------------------------------------

enum class Role {
  kMember,
  kCoOptedMember,
  kOfficer,
  kMonitoringOfficer,
  kHeadOfPaidService,
  kPoliticalAssistant,
  kAdministrator,
  kAuditor,
  kHrIntegration,
  kRecordsIntegration,
};

struct Player {
  Role role;
  const char* label;
  const char* person;
};

// demo/council/people.csv, designations.csv, posts.csv.
constexpr Player kPlayers[] = {
    {Role::kMember, "member", "people/cllr-sophie-wright"},
    {Role::kCoOptedMember, "co-opted-member", "people/coopt-helen-lowe"},
    // Development Management Manager: line manager of the planning officers.
    {Role::kOfficer, "officer", "people/off-michael-marsh"},
    {Role::kMonitoringOfficer, "monitoring-officer", "people/off-hannah-liu"},
    {Role::kHeadOfPaidService, "head-of-paid-service", "people/off-james-whitaker"},
    {Role::kPoliticalAssistant, "political-assistant", "people/pa-chloe-wright"},
    {Role::kAdministrator, "administrator", "people/it-admin"},
    {Role::kAuditor, "auditor", "people/audit-reader"},
    {Role::kHrIntegration, "hr-integration", "people/off-vikram-dhillon"},
    {Role::kRecordsIntegration, "records-integration", "people/off-robert-holloway"},
};

const Player& PlayerOf(Role role) {
  for (const Player& p : kPlayers)
    if (p.role == role) return p;
  return kPlayers[0];
}

// Other demo people the fixtures use (none of them plays a role above).
constexpr char kPlanningOfficer[] = "people/off-matthew-barker";  // managed by off-michael-marsh
constexpr char kSeniorPlanningOfficer[] = "people/off-tomasz-mazur";
constexpr char kHousingOfficer[] = "people/off-hamza-akhtar";
constexpr char kOtherMember[] = "people/cllr-imran-ahmed";  // Labour; int-001 in the retail park
constexpr char kIndependentMember[] = "people/cllr-megan-baker";
constexpr char kOthersDeclaration[] = "relationships/rel-006";  // declared to the chief executive
constexpr char kOthersInterest[] = "people/cllr-imran-ahmed/interests/int-002";
constexpr char kAssistantsDocument[] = "documents/rec-000093";     // 12.5 grants it
constexpr char kRetailParkPaper[] = "documents/rec-000010";        // int-001: referred to the MO
constexpr char kOtherGroupsDocument[] = "documents/rec-000264";    // Conservative group's

// --- Relations and outcomes --------------------------------------------------------

enum class Rel {
  kNone,     // no resource of the caller's: directory, catalogue, listings, tools
  kOwn,      // the caller's own declaration, interest, request or complaint
  kOthers,   // someone else's (for the officer declared to, the dispute's decider or a
             // reader, that is what makes them one)
  kHandler,  // a complaint the caller handles
};

enum class Expect {
  kAllow,
  kPolicyDenies,
  kServiceDenies,
  kHidden,
  kRuleRefuses,
  kRowRefused,
};

const char* Name(Role role) { return PlayerOf(role).label; }

const char* Name(Rel rel) {
  switch (rel) {
    case Rel::kNone: return "none";
    case Rel::kOwn: return "own";
    case Rel::kOthers: return "another's";
    case Rel::kHandler: return "handled";
  }
  return "?";
}

const char* Name(Expect expect) {
  switch (expect) {
    case Expect::kAllow: return "allow";
    case Expect::kPolicyDenies: return "policy denies";
    case Expect::kServiceDenies: return "service denies";
    case Expect::kHidden: return "hidden";
    case Expect::kRuleRefuses: return "rule refuses";
    case Expect::kRowRefused: return "row refused";
  }
  return "?";
}

// --- The table ---------------------------------------------------------------------

// One cell: a role's expected outcome; `why` overrides the block's reason.
struct Cell {
  Role role;
  Expect expect;
  const char* why = nullptr;
};

// One method (and variant, "UpdateRelationship(advice)") and relation; one
// cell per role.
struct Block {
  std::string call;
  Rel rel;
  std::string why;
  std::vector<Cell> cells;
};

// One expanded row: method x role x relation.
struct Row {
  std::string call;
  Role role;
  Rel rel;
  Expect expect;
  std::string why;
};

constexpr Expect A = Expect::kAllow;
constexpr Expect P = Expect::kPolicyDenies;
constexpr Expect S = Expect::kServiceDenies;
constexpr Expect H = Expect::kHidden;
constexpr Expect R = Expect::kRuleRefuses;
constexpr Expect V = Expect::kRowRefused;

constexpr Role kMem = Role::kMember;
constexpr Role kCoo = Role::kCoOptedMember;
constexpr Role kOff = Role::kOfficer;
constexpr Role kMO = Role::kMonitoringOfficer;
constexpr Role kHoPS = Role::kHeadOfPaidService;
constexpr Role kPA = Role::kPoliticalAssistant;
constexpr Role kAdm = Role::kAdministrator;
constexpr Role kAud = Role::kAuditor;
constexpr Role kHR = Role::kHrIntegration;
constexpr Role kRec = Role::kRecordsIntegration;

// Every role alike.
std::vector<Cell> Every(Expect expect) {
  std::vector<Cell> cells;
  for (const Player& p : kPlayers) cells.push_back({p.role, expect});
  return cells;
}

// Reasons that recur.
constexpr char kOfficerByKind[] = "an officer by kind: what officers may";
constexpr char kNotInPolicy[] = "the policy does not list the role (deny by default)";
constexpr char kReaderMO[] =
    "the monitoring officer is a complaints reader (Middlesbrough profile readers_designation_ids)";
constexpr char kRecordReader[] =
    "a record reader (profile record_reader_roles; Middlesbrough 14.5)";

const std::vector<Block>& Blocks() {
  static const auto* const blocks = new std::vector<Block>{
      // ===== relations-service: the directory ===================================
      {"GetPerson", Rel::kNone, "council-internal reference data (policy: authenticated)", Every(A)},
      {"ListPeople", Rel::kNone, "as GetPerson", Every(A)},
      {"GetBody", Rel::kNone, "bodies are public information", Every(A)},
      {"ListBodies", Rel::kNone, "as GetBody", Every(A)},
      {"ListMemberships", Rel::kNone, "as GetBody", Every(A)},
      {"GetPost", Rel::kNone, "the management structure is council-internal", Every(A)},
      {"ListPosts", Rel::kNone, "as GetPost", Every(A)},
      {"GetManagementChain", Rel::kNone, "as GetPost", Every(A)},
      {"GetDesignation", Rel::kNone, "who holds statutory designations is public", Every(A)},
      {"GetActingHolder", Rel::kNone, "as GetDesignation", Every(A)},
      {"ListPartyGroups", Rel::kNone, "party groups are public", Every(A)},
      {"ListWards", Rel::kNone, "as ListPartyGroups", Every(A)},
      {"ListPortfolios", Rel::kNone, "as ListPartyGroups", Every(A)},
      {"CreatePerson", Rel::kNone, "HR owns the directory; administrators correct it",
       {{kMem, P}, {kCoo, P}, {kOff, P}, {kMO, P}, {kHoPS, P}, {kPA, P}, {kAdm, A}, {kAud, P},
        {kHR, A}, {kRec, P}}},
      {"CreatePerson(system role)", Rel::kNone,
       "only an administrator gives a system role (docs/security.md System roles; defect 3)",
       {{kMem, P}, {kCoo, P}, {kOff, P}, {kMO, P}, {kHoPS, P}, {kPA, P}, {kAdm, A}, {kAud, P},
        {kHR, S}, {kRec, P}}},
      {"CreateBody", Rel::kNone, "HR owns the directory",
       {{kMem, P}, {kCoo, P}, {kOff, P}, {kMO, P}, {kHoPS, P}, {kPA, P}, {kAdm, A}, {kAud, P},
        {kHR, A}, {kRec, P}}},
      {"CreateMembership", Rel::kNone, "HR owns the directory",
       {{kMem, P}, {kCoo, P}, {kOff, P}, {kMO, P}, {kHoPS, P}, {kPA, P}, {kAdm, A}, {kAud, P},
        {kHR, A}, {kRec, P}}},
      {"ImportDirectory", Rel::kNone, "the nightly HR sync",
       {{kMem, P}, {kCoo, P}, {kOff, P}, {kMO, P}, {kHoPS, P}, {kPA, P}, {kAdm, A}, {kAud, P},
        {kHR, A}, {kRec, P}}},
      {"ImportDirectory(grant administrator)", Rel::kNone,
       "only an administrator grants a system role; HR's row is refused, named (defect 3)",
       {{kMem, P}, {kCoo, P}, {kOff, P}, {kMO, P}, {kHoPS, P}, {kPA, P}, {kAdm, A}, {kAud, P},
        {kHR, V}, {kRec, P}}},
      {"StreamImportDirectory", Rel::kNone, "the nightly HR sync, streamed",
       {{kMem, P}, {kCoo, P}, {kOff, P}, {kMO, P}, {kHoPS, P}, {kPA, P}, {kAdm, A}, {kAud, P},
        {kHR, A}, {kRec, P}}},
      {"StreamImportDirectory(grant administrator)", Rel::kNone, "as ImportDirectory (defect 3)",
       {{kMem, P}, {kCoo, P}, {kOff, P}, {kMO, P}, {kHoPS, P}, {kPA, P}, {kAdm, A}, {kAud, P},
        {kHR, V}, {kRec, P}}},
      {"ResolvePrincipal", Rel::kNone,
       "for the suite's services only: a person must not learn another's roles", Every(P)},
      {"WatchDirectoryChanges", Rel::kNone, "for the suite's services only", Every(P)},

      // ===== relations-service: declarations (Middlesbrough 5.4) ================
      {"CreateRelationship", Rel::kOwn, "members and officers declare their own (5.4)",
       {{kMem, A}, {kCoo, A}, {kOff, A}, {kPA, A, "an employee: declares their own (5.4)"}}},
      {"CreateRelationship", Rel::kOthers,
       "recorded by a party, the officer declared to or an administrator loading the register",
       {{kMem, S}, {kCoo, S}, {kOff, S},
        {kMO, A, "holds a designation declarations are made to (5.4)"},
        {kHoPS, A, "declared to them (5.4)"}, {kPA, S},
        {kAdm, A, "loads the existing register at go-live (audited)"},
        {kAud, S, "auditors are read-only (defect 1)"},
        {kHR, S, "declarations are not made to HR (removed from the policy; officer by kind)"},
        {kRec, S}}},
      {"GetRelationship", Rel::kOwn, "a party reads their declaration",
       {{kMem, A}, {kCoo, A}, {kOff, A}, {kPA, A}}},
      {"GetRelationship", Rel::kOthers,
       "parties, the officers declared to and auditors read it; to others it does not exist",
       {{kMem, H}, {kCoo, H}, {kOff, H}, {kMO, A}, {kHoPS, A}, {kPA, H, "defect 2: not an officer"},
        {kAdm, H, "no duty needs declarations"}, {kAud, A, "auditors read every declaration"},
        {kHR, H}, {kRec, H}}},
      {"ListRelationships", Rel::kNone,
       "each lists what they may read (members, officers, assistants, auditors)",
       {{kMem, A}, {kCoo, A}, {kOff, A}, {kMO, A}, {kHoPS, A}, {kPA, A}, {kAdm, A, kOfficerByKind},
        {kAud, A}, {kHR, A, kOfficerByKind}, {kRec, A, kOfficerByKind}}},
      {"ListRelationshipRevisions", Rel::kOwn, "as GetRelationship",
       {{kMem, A}, {kCoo, A}, {kOff, A}, {kPA, A}}},
      {"ListRelationshipRevisions", Rel::kOthers, "as GetRelationship",
       {{kMem, H}, {kCoo, H}, {kOff, H}, {kMO, A}, {kHoPS, A}, {kPA, H}, {kAdm, H}, {kAud, A},
        {kHR, H}, {kRec, H}}},
      {"UpdateRelationship(advice)", Rel::kOwn, "a party does not advise on their own (Sheffield 4.6)",
       {{kMem, S}, {kCoo, S}, {kOff, S}, {kPA, S}}},
      {"UpdateRelationship(advice)", Rel::kOthers,
       "advice is recorded by the officer declared to (5.4; Sheffield 4.6)",
       {{kMem, H}, {kCoo, H}, {kOff, H}, {kMO, A}, {kHoPS, A}, {kPA, H},
        {kAdm, H, "administrators are no longer in the policy; an officer by kind, not a reader"},
        {kAud, S, "auditors are read-only (defect 1)"}, {kHR, H}, {kRec, H}}},
      {"UpdateRelationship(end)", Rel::kOwn, "a party records the end (5.4-5.5)",
       {{kMem, A}, {kCoo, A}, {kOff, A}, {kPA, A}}},
      {"UpdateRelationship(end)", Rel::kOthers, "the parties or the officer declared to",
       {{kMem, H}, {kCoo, H}, {kOff, H}, {kMO, A}, {kHoPS, A}, {kPA, H},
        {kAdm, H, "administrators are no longer in the policy; an officer by kind, not a reader"},
        {kAud, S, "auditors are read-only (defect 1)"}, {kHR, H}, {kRec, H}}},

      // ===== relations-service: interests (Localism Act 2011 s29-s32) ===========
      {"CreateInterest", Rel::kOwn, "a member registers their own (s30)",
       {{kMem, A}, {kCoo, A, "co-opted members are members for the register (s27(4))"}}},
      {"CreateInterest", Rel::kOthers,
       "the monitoring officer for them; administrators load the register",
       {{kMem, S}, {kCoo, S}, {kOff, P}, {kMO, A, "keeps the register (s29(1))"}, {kHoPS, P},
        {kPA, P}, {kAdm, A, "loads the existing register at go-live"}, {kAud, P}, {kHR, P},
        {kRec, P}}},
      {"UpdateInterest", Rel::kOwn, "a member changes their own (s30)", {{kMem, A}, {kCoo, A}}},
      {"UpdateInterest", Rel::kOthers, "the member or the monitoring officer (s29(1))",
       {{kMem, S}, {kCoo, S}, {kOff, P}, {kMO, A}, {kHoPS, P}, {kPA, P},
        {kAdm, P, "administrators no longer change the register"}, {kAud, P}, {kHR, P},
        {kRec, P}}},
      {"GetRegister", Rel::kOthers, "the public register is public (s29(5))", Every(A)},
      {"GetRegister(full)", Rel::kOthers,
       "the full register, with sensitive interests, is the monitoring officer's (s32)",
       {{kMem, S}, {kCoo, S}, {kOff, S}, {kMO, A}, {kHoPS, S}, {kPA, S}, {kAdm, S},
        {kAud, S}, {kHR, S}, {kRec, S}}},
      {"ListOverdueInterests", Rel::kNone, "compliance monitoring (s30(1))",
       {{kMem, P}, {kCoo, P}, {kOff, P}, {kMO, A}, {kHoPS, P}, {kPA, P},
        {kAdm, P, "administrators no longer in the policy"}, {kAud, A}, {kHR, P}, {kRec, P}}},
      {"CreateSecretMembership", Rel::kOwn,
       "Middlesbrough has no secret-society rule (Sheffield 13.1 only): refused by the protocol",
       {{kMem, R}, {kCoo, R}, {kOff, R}, {kMO, R}, {kHoPS, R}, {kPA, R}, {kAdm, R}, {kAud, R},
        {kHR, R}, {kRec, R}}},
      {"ListSecretMemberships", Rel::kOthers,
       "the designation the profile names only (Sheffield 13.1-13.2); Middlesbrough names none",
       {{kMem, P}, {kCoo, P}, {kOff, P}, {kMO, S}, {kHoPS, P}, {kPA, P}, {kAdm, P}, {kAud, P},
        {kHR, P}, {kRec, P}}},
      {"CheckConflict", Rel::kNone,
       "officers arranging bodies, panels and hearings (5.6, 6.4, 6.5); answers reveal "
       "declarations",
       {{kMem, P}, {kCoo, P}, {kOff, A}, {kMO, A}, {kHoPS, A},
        {kPA, P, "defect 2: political assistants are not officers"},
        {kAdm, A, kOfficerByKind}, {kAud, A}, {kHR, A, kOfficerByKind},
        {kRec, A, kOfficerByKind}}},

      // ===== access-service =======================================================
      {"GetDocument", Rel::kNone, "catalogue metadata: members' level of access (12.5)",
       {{kMem, A}, {kCoo, A}, {kOff, A}, {kMO, A}, {kHoPS, A}, {kPA, A}, {kAdm, A, kOfficerByKind},
        {kAud, A, kOfficerByKind}, {kHR, A, kOfficerByKind}, {kRec, A, kOfficerByKind}}},
      {"ListDocuments", Rel::kNone, "as GetDocument",
       {{kMem, A}, {kCoo, A}, {kOff, A}, {kMO, A}, {kHoPS, A}, {kPA, A}, {kAdm, A}, {kAud, A},
        {kHR, A}, {kRec, A}}},
      {"CreateDocument", Rel::kNone, "the records system owns the catalogue",
       {{kMem, P}, {kCoo, P}, {kOff, P}, {kMO, P}, {kHoPS, P}, {kPA, P}, {kAdm, A}, {kAud, P},
        {kHR, P}, {kRec, A}}},
      {"ImportDocuments", Rel::kNone, "the nightly records sync",
       {{kMem, P}, {kCoo, P}, {kOff, P}, {kMO, P}, {kHoPS, P}, {kPA, P}, {kAdm, A}, {kAud, P},
        {kHR, P}, {kRec, A}}},
      {"StreamImportDocuments", Rel::kNone, "the nightly records sync, streamed",
       {{kMem, P}, {kCoo, P}, {kOff, P}, {kMO, P}, {kHoPS, P}, {kPA, P}, {kAdm, A}, {kAud, P},
        {kHR, P}, {kRec, A}}},
      {"CreateAccessRequest", Rel::kOwn,
       "members ask to inspect documents (Middlesbrough 14); assistants too (12.5)",
       {{kMem, A}, {kCoo, A}, {kOff, P}, {kMO, P}, {kHoPS, P}, {kPA, A}, {kAdm, P}, {kAud, P},
        {kHR, P}, {kRec, P}}},
      {"GetAccessRequest", Rel::kOwn, "the requester reads their own",
       {{kMem, A}, {kCoo, A}, {kPA, A}}},
      {"GetAccessRequest", Rel::kOthers,
       "the requester, the dispute's decider and the record readers; others: not found",
       {{kMem, H}, {kCoo, H}, {kOff, H}, {kMO, A, "decider and record reader (14.5)"}, {kHoPS, H},
        {kPA, H}, {kAdm, H}, {kAud, A, kRecordReader}, {kHR, H}, {kRec, H}}},
      {"ListAccessRequests", Rel::kOwn, "each lists their own requests (requester = themselves)",
       {{kMem, A}, {kCoo, A}, {kPA, A}}},
      {"ListAccessRequests", Rel::kOthers,
       "who saw what: only the profile's record readers list everyone's (Middlesbrough 14.5); "
       "the service refuses others by that clause",
       {{kMem, R}, {kCoo, R}, {kOff, R}, {kMO, A, kRecordReader}, {kHoPS, R}, {kPA, R},
        {kAdm, R}, {kAud, A, kRecordReader}, {kHR, R}, {kRec, R}}},
      {"ExplainAccess", Rel::kOwn, "a member explains their own access",
       {{kMem, A}, {kCoo, A}, {kPA, A}}},
      {"ExplainAccess", Rel::kOthers,
       "only record readers explain anyone's; the service refuses others by Middlesbrough 14.5",
       {{kMem, R}, {kCoo, R}, {kOff, R}, {kMO, A, kRecordReader}, {kHoPS, R}, {kPA, R},
        {kAdm, R}, {kAud, A, kRecordReader}, {kHR, R}, {kRec, R}}},
      {"ListAccessibleDocuments", Rel::kOwn, "a member lists what they may see",
       {{kMem, A}, {kCoo, A}, {kPA, A}}},
      {"ListAccessibleDocuments", Rel::kOthers,
       "only record readers list anyone's; the service refuses others by Middlesbrough 14.5",
       {{kMem, R}, {kCoo, R}, {kOff, R}, {kMO, A, kRecordReader}, {kHoPS, R}, {kPA, R},
        {kAdm, R}, {kAud, A, kRecordReader}, {kHR, R}, {kRec, R}}},
      {"DisputeAccessRequest", Rel::kOwn, "a refused member disputes their own (14.5)",
       {{kMem, A}, {kCoo, A}, {kPA, A}}},
      {"DisputeAccessRequest", Rel::kOthers, "only the requester disputes",
       {{kMem, H}, {kCoo, H}, {kOff, P}, {kMO, P}, {kHoPS, P}, {kPA, H}, {kAdm, P}, {kAud, P},
        {kHR, P}, {kRec, P}}},
      {"DecideDispute", Rel::kOthers,
       "the profile's dispute decider, the monitoring officer (Middlesbrough 14.5)",
       {{kMem, P}, {kCoo, P}, {kOff, H}, {kMO, A}, {kHoPS, H}, {kPA, P}, {kAdm, H},
        {kAud, S, "a record reader sees it, but does not decide"}, {kHR, H}, {kRec, H}}},

      // ===== complaints-service (Middlesbrough routes) ============================
      {"CreateComplaint", Rel::kOwn,
       "members complain about officers, officers (and assistants, employees) about members "
       "(the profile's routes)",
       {{kMem, A}, {kCoo, A}, {kOff, A}, {kMO, A}, {kHoPS, A}, {kPA, A}, {kAdm, A, kOfficerByKind},
        {kAud, A, kOfficerByKind}, {kHR, A, kOfficerByKind}, {kRec, A, kOfficerByKind}}},
      {"GetComplaint", Rel::kOwn, "the complainant reads it", {{kMem, A}}},
      {"GetComplaint", Rel::kHandler, "the handler reads it", {{kOff, A}}},
      {"GetComplaint", Rel::kOthers, "confidential: to anyone else it does not exist",
       {{kMem, H}, {kCoo, H}, {kOff, H}, {kMO, A, kReaderMO}, {kHoPS, H}, {kPA, H}, {kAdm, H},
        {kAud, H, "Middlesbrough names no auditor among complaint readers"}, {kHR, H},
        {kRec, H}}},
      {"GetComplaintTimeline", Rel::kOwn, "as GetComplaint", {{kMem, A}}},
      {"GetComplaintTimeline", Rel::kHandler, "as GetComplaint", {{kOff, A}}},
      {"GetComplaintTimeline", Rel::kOthers, "as GetComplaint",
       {{kMem, H}, {kCoo, H}, {kOff, H}, {kMO, A, kReaderMO}, {kHoPS, H}, {kPA, H}, {kAdm, H},
        {kAud, H}, {kHR, H}, {kRec, H}}},
      {"ListComplaints", Rel::kNone, "each lists their own; readers list all", Every(A)},
      {"AcknowledgeComplaint", Rel::kOwn, "only the stage's handler", {{kMem, S}}},
      {"AcknowledgeComplaint", Rel::kHandler, "the stage's handler (line manager, 5.x route)",
       {{kOff, A}}},
      {"AcknowledgeComplaint", Rel::kOthers, "only the stage's handler",
       {{kMem, H}, {kCoo, H}, {kOff, H}, {kMO, S, kReaderMO}, {kHoPS, H}, {kPA, P}, {kAdm, H},
        {kAud, H}, {kHR, H}, {kRec, H}}},
      {"RecordHoldingNotice", Rel::kOwn, "only the stage's handler", {{kMem, S}}},
      {"RecordHoldingNotice", Rel::kHandler, "the stage's handler", {{kOff, A}}},
      {"RecordHoldingNotice", Rel::kOthers, "only the stage's handler",
       {{kMem, H}, {kCoo, H}, {kOff, H}, {kMO, S, kReaderMO}, {kHoPS, H}, {kPA, P}, {kAdm, H},
        {kAud, H}, {kHR, H}, {kRec, H}}},
      {"RespondToComplaint", Rel::kOwn, "only the stage's handler", {{kMem, S}}},
      {"RespondToComplaint", Rel::kHandler, "the stage's handler", {{kOff, A}}},
      {"RespondToComplaint", Rel::kOthers, "only the stage's handler",
       {{kMem, H}, {kCoo, H}, {kOff, H}, {kMO, S, kReaderMO}, {kHoPS, H}, {kPA, P}, {kAdm, H},
        {kAud, H}, {kHR, H}, {kRec, H}}},
      {"CloseComplaint", Rel::kOwn, "the handler records the outcome", {{kMem, S}}},
      {"CloseComplaint", Rel::kHandler, "the handler records the outcome", {{kOff, A}}},
      {"CloseComplaint", Rel::kOthers, "the handler records the outcome",
       {{kMem, H}, {kCoo, H}, {kOff, H}, {kMO, S, kReaderMO}, {kHoPS, H}, {kPA, P}, {kAdm, H},
        {kAud, H}, {kHR, H}, {kRec, H}}},
      {"EscalateComplaint", Rel::kOwn, "the complainant, still dissatisfied (the ladder)",
       {{kMem, A}}},
      {"EscalateComplaint", Rel::kHandler, "the handler may escalate", {{kOff, A}}},
      {"EscalateComplaint", Rel::kOthers, "the complainant or the handler only",
       {{kMem, H}, {kCoo, H}, {kOff, H}, {kMO, S, kReaderMO}, {kHoPS, H}, {kPA, H}, {kAdm, H},
        {kAud, H}, {kHR, H}, {kRec, H}}},
      {"RecordBreachFinding", Rel::kOwn,
       "whoever decided, or the monitoring officer (Middlesbrough 20)", {{kMem, S}}},
      {"RecordBreachFinding", Rel::kHandler, "the handler decided it (Middlesbrough 20.2)",
       {{kOff, A}}},
      {"RecordBreachFinding", Rel::kOthers, "whoever decided, or the monitoring officer",
       {{kMem, H}, {kCoo, H}, {kOff, H}, {kMO, A, "the monitoring officer (Middlesbrough 20)"},
        {kHoPS, H}, {kPA, P}, {kAdm, H}, {kAud, H}, {kHR, H}, {kRec, H}}},
      {"DecideFormalAction", Rel::kOwn, "members never decide formal action (Middlesbrough 20.2)",
       {{kMem, R}}},
      {"DecideFormalAction", Rel::kHandler,
       "the officer's line manager decides, never a member (Middlesbrough 20.2; Sheffield 15)",
       {{kOff, A}}},
      {"DecideFormalAction", Rel::kOthers, "managers in the subject's chain only",
       {{kMem, H}, {kCoo, H}, {kOff, H}, {kMO, R, kReaderMO}, {kHoPS, H}, {kPA, P}, {kAdm, H},
        {kAud, H}, {kHR, H}, {kRec, H}}},
      {"CompleteFollowUpCheck", Rel::kOwn,
       "Middlesbrough schedules no follow-up check (South Somerset 16.7 does)", {{kMem, R}}},
      {"CompleteFollowUpCheck", Rel::kHandler, "as above", {{kOff, R}}},
      {"CompleteFollowUpCheck", Rel::kOthers, "as above; others: not found",
       {{kMem, H}, {kCoo, H}, {kOff, H}, {kMO, R, kReaderMO}, {kHoPS, H}, {kPA, P}, {kAdm, H},
        {kAud, H}, {kHR, H}, {kRec, H}}},
      {"WatchComplaintEvents", Rel::kNone, "the outbox stream for notification and monitoring tools",
       {{kMem, P}, {kCoo, P}, {kOff, P}, {kMO, P}, {kHoPS, P}, {kPA, P}, {kAdm, A}, {kAud, A},
        {kHR, P}, {kRec, P}}},
      {"RunSweep", Rel::kNone, "operations: administrators",
       {{kMem, P}, {kCoo, P}, {kOff, P}, {kMO, P}, {kHoPS, P}, {kPA, P}, {kAdm, A}, {kAud, P},
        {kHR, P, "defect 3: HR cannot become an administrator"}, {kRec, P}}},
      {"RecomputeDeadlines", Rel::kNone, "operations: administrators",
       {{kMem, P}, {kCoo, P}, {kOff, P}, {kMO, P}, {kHoPS, P}, {kPA, P}, {kAdm, A}, {kAud, P},
        {kHR, P}, {kRec, P}}},
  };
  return *blocks;
}

std::vector<Row> Matrix() {
  std::vector<Row> rows;
  for (const Block& block : Blocks())
    for (const Cell& cell : block.cells)
      rows.push_back({block.call, cell.role, block.rel, cell.expect,
                      cell.why != nullptr ? absl::StrCat(cell.why, " -- ", block.why) : block.why});
  return rows;
}

// "UpdateRelationship(advice)" -> "UpdateRelationship".
std::string MethodOf(const std::string& call) { return call.substr(0, call.find('(')); }

std::string ServiceOf(const std::string& method) {
  for (const auto* service : {RelationsService::service_full_name(),
                              AccessService::service_full_name(),
                              ComplaintsService::service_full_name()}) {
    const auto* descriptor =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service);
    if (descriptor != nullptr && descriptor->FindMethodByName(method) != nullptr) return service;
  }
  return "";
}

// --- The calls -------------------------------------------------------------------

common::v1::Date Today() { return ToProtoDate(TodayInLondon()); }

class AuthorizationMatrixE2ETest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    SuiteOptions options;
    options.gateway_flags = {"--rate_limit_per_second=100000", "--rate_limit_burst=100000"};
    suite_ = Suite::Start("middlesbrough", options).release();
    ASSERT_EQ(suite_->LoadDemoCouncil(), 0) << "the demo council must load through the gateway";
    ASSERT_NO_FATAL_FAILURE(MakeFixtures());
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }

  static std::unique_ptr<RelationsService::Stub> Relations() {
    return RelationsService::NewStub(suite_->GatewayChannel());
  }
  static std::unique_ptr<AccessService::Stub> Access() {
    return AccessService::NewStub(suite_->GatewayChannel());
  }
  static std::unique_ptr<ComplaintsService::Stub> Complaints() {
    return ComplaintsService::NewStub(suite_->GatewayChannel());
  }
  static std::unique_ptr<grpc::ClientContext> As(const std::string& person) {
    auto context = std::make_unique<grpc::ClientContext>();
    suite_->Authorize(context.get(), person);
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    return context;
  }

  // --- Fixtures ---

  static relations::v1::Relationship Declaration(const std::string& member,
                                                 const std::string& officer,
                                                 relations::v1::RelationshipKind kind,
                                                 const std::string& declared_to) {
    relations::v1::Relationship r;
    r.set_member(member);
    r.set_officer(officer);
    r.set_kind(kind);
    r.set_declared_to(declared_to);
    return r;
  }

  static void Declare(const std::string& as, const std::string& id,
                      const relations::v1::Relationship& r) {
    relations::v1::CreateRelationshipRequest request;
    request.set_relationship_id(id);
    *request.mutable_relationship() = r;
    relations::v1::Relationship out;
    const grpc::Status status = Relations()->CreateRelationship(As(as).get(), request, &out);
    ASSERT_TRUE(status.ok()) << id << ": " << status.error_message();
  }

  static relations::v1::Interest NewInterest() {
    relations::v1::Interest interest;
    interest.set_category(relations::v1::INTEREST_CATEGORY_OTHER);
    interest.set_description("Trustee, Eastmere Sea Cadets");
    interest.set_holder(relations::v1::INTEREST_HOLDER_MEMBER);
    *interest.mutable_arose_on() = ToProtoDate(TodayInLondon() - 5);
    *interest.mutable_registered_on() = ToProtoDate(TodayInLondon() - 2);
    return interest;
  }

  static std::string Request(const std::string& as, const std::string& document,
                             access::v1::Outcome* outcome = nullptr) {
    access::v1::CreateAccessRequestRequest request;
    request.mutable_access_request()->set_document(document);
    request.mutable_access_request()->set_capacity(access::v1::CAPACITY_OTHER);
    request.mutable_access_request()->set_purpose(
        "A constituent asked me about it; I need to see the officers' view to reply.");
    access::v1::AccessRequest out;
    const grpc::Status status = Access()->CreateAccessRequest(As(as).get(), request, &out);
    EXPECT_TRUE(status.ok()) << as << " " << document << ": " << status.error_message();
    if (outcome != nullptr) *outcome = out.decision().outcome();
    return out.name();
  }

  static complaints::v1::Complaint File(const std::string& as, const std::string& subject) {
    complaints::v1::CreateComplaintRequest request;
    request.mutable_complaint()->set_subject(subject);
    request.mutable_complaint()->set_summary("Did not reply to three e-mails about casework.");
    complaints::v1::Complaint out;
    const grpc::Status status = Complaints()->CreateComplaint(As(as).get(), request, &out);
    EXPECT_TRUE(status.ok()) << as << " about " << subject << ": " << status.error_message();
    return out;
  }

  static void Close(const complaints::v1::Complaint& complaint) {
    complaints::v1::CloseComplaintRequest request;
    request.set_name(complaint.name());
    request.mutable_outcome()->set_finding(complaints::v1::OUTCOME_FINDING_UPHELD);
    request.mutable_outcome()->set_summary("The officer should have replied within 10 days.");
    complaints::v1::Complaint out;
    const grpc::Status status =
        Complaints()->CloseComplaint(As(complaint.handler()).get(), request, &out);
    EXPECT_TRUE(status.ok()) << complaint.name() << ": " << status.error_message();
  }

  static void MakeFixtures() {
    using relations::v1::RELATIONSHIP_KIND_BUSINESS;
    using relations::v1::RELATIONSHIP_KIND_FAMILY;
    using relations::v1::RELATIONSHIP_KIND_FRIENDSHIP;
    const std::string hops = PlayerOf(kHoPS).person, mo = PlayerOf(kMO).person;
    // Each party's own declaration, declared by them.
    own_declaration_[kMem] = "relationships/rel-mx-member";
    ASSERT_NO_FATAL_FAILURE(Declare(PlayerOf(kMem).person, "rel-mx-member",
                                    Declaration(PlayerOf(kMem).person, kPlanningOfficer,
                                                RELATIONSHIP_KIND_FAMILY, hops)));
    own_declaration_[kCoo] = "relationships/rel-mx-coopted";
    ASSERT_NO_FATAL_FAILURE(Declare(PlayerOf(kCoo).person, "rel-mx-coopted",
                                    Declaration(PlayerOf(kCoo).person, kSeniorPlanningOfficer,
                                                RELATIONSHIP_KIND_FRIENDSHIP, mo)));
    own_declaration_[kOff] = "relationships/rel-mx-officer";
    ASSERT_NO_FATAL_FAILURE(Declare(PlayerOf(kOff).person, "rel-mx-officer",
                                    Declaration(kOtherMember, PlayerOf(kOff).person,
                                                RELATIONSHIP_KIND_BUSINESS, hops)));
    own_declaration_[kPA] = "relationships/rel-mx-assistant";
    ASSERT_NO_FATAL_FAILURE(Declare(PlayerOf(kPA).person, "rel-mx-assistant",
                                    Declaration(kIndependentMember, PlayerOf(kPA).person,
                                                RELATIONSHIP_KIND_FRIENDSHIP, mo)));
    // Each member's own interest.
    for (Role role : {kMem, kCoo}) {
      relations::v1::CreateInterestRequest request;
      request.set_parent(PlayerOf(role).person);
      request.set_interest_id("int-mx-own");
      *request.mutable_interest() = NewInterest();
      relations::v1::Interest out;
      const grpc::Status status =
          Relations()->CreateInterest(As(PlayerOf(role).person).get(), request, &out);
      ASSERT_TRUE(status.ok()) << status.error_message();
      own_interest_[role] = out.name();
    }
    // Access requests: each requester's own, and another member's, referred
    // to the monitoring officer (int-001 in the retail park, 14.6).
    for (Role role : {kMem, kCoo, kPA})
      own_request_[role] = Request(PlayerOf(role).person, kAssistantsDocument);
    access::v1::Outcome outcome;
    others_request_ = Request(kOtherMember, kRetailParkPaper, &outcome);
    ASSERT_EQ(outcome, access::v1::OUTCOME_REFERRED);
    others_refused_request_ = Request(kOtherMember, kOtherGroupsDocument, &outcome);
    ASSERT_EQ(outcome, access::v1::OUTCOME_REFUSED) << "Middlesbrough: another group's papers";
    // A body for memberships.
    relations::v1::CreateBodyRequest body;
    body.set_body_id("mx-panel");
    body.mutable_body()->set_display_name("Matrix Panel");
    body.mutable_body()->set_kind(relations::v1::BODY_KIND_PANEL);
    relations::v1::Body created;
    ASSERT_TRUE(Relations()->CreateBody(As(PlayerOf(kAdm).person).get(), body, &created).ok());
  }

  // A fresh complaint for `rel` as seen by `role`: the member's own about a
  // planning officer (handled by the officer playing "officer", their line
  // manager), or another member's about a housing officer (handled by
  // someone playing no role).
  static complaints::v1::Complaint ComplaintFor(Rel rel, bool closed) {
    complaints::v1::Complaint complaint =
        rel == Rel::kOthers ? File(kOtherMember, kHousingOfficer)
                            : File(PlayerOf(kMem).person, kPlanningOfficer);
    if (rel != Rel::kOthers) {
      EXPECT_EQ(complaint.handler(), PlayerOf(kOff).person);
    }
    if (closed) Close(complaint);
    return complaint;
  }

  static int Next() { return ++counter_; }

  // Makes the call `row` describes as the person playing its role.
  static grpc::Status Invoke(const Row& row) {
    const std::string me = PlayerOf(row.role).person;
    const std::string& call = row.call;
    auto relations_stub = Relations();
    auto access_stub = Access();
    auto complaints_stub = Complaints();
    auto ctx = As(me);

    // -- relations: directory --
    if (call == "GetPerson") {
      relations::v1::GetPersonRequest r;
      r.set_name(kOtherMember);
      relations::v1::Person out;
      return relations_stub->GetPerson(ctx.get(), r, &out);
    }
    if (call == "ListPeople") {
      relations::v1::ListPeopleRequest r;
      r.set_page_size(5);
      relations::v1::ListPeopleResponse out;
      return relations_stub->ListPeople(ctx.get(), r, &out);
    }
    if (call == "GetBody") {
      relations::v1::GetBodyRequest r;
      r.set_name("bodies/planning-committee");
      relations::v1::Body out;
      return relations_stub->GetBody(ctx.get(), r, &out);
    }
    if (call == "ListBodies") {
      relations::v1::ListBodiesRequest r;
      relations::v1::ListBodiesResponse out;
      return relations_stub->ListBodies(ctx.get(), r, &out);
    }
    if (call == "ListMemberships") {
      relations::v1::ListMembershipsRequest r;
      r.set_parent("bodies/planning-committee");
      relations::v1::ListMembershipsResponse out;
      return relations_stub->ListMemberships(ctx.get(), r, &out);
    }
    if (call == "GetPost") {
      relations::v1::GetPostRequest r;
      r.set_name("posts/chief-executive");
      relations::v1::Post out;
      return relations_stub->GetPost(ctx.get(), r, &out);
    }
    if (call == "ListPosts") {
      relations::v1::ListPostsRequest r;
      relations::v1::ListPostsResponse out;
      return relations_stub->ListPosts(ctx.get(), r, &out);
    }
    if (call == "GetManagementChain") {
      relations::v1::GetManagementChainRequest r;
      r.set_person(kPlanningOfficer);
      relations::v1::GetManagementChainResponse out;
      return relations_stub->GetManagementChain(ctx.get(), r, &out);
    }
    if (call == "GetDesignation") {
      relations::v1::GetDesignationRequest r;
      r.set_name("designations/monitoring-officer");
      relations::v1::Designation out;
      return relations_stub->GetDesignation(ctx.get(), r, &out);
    }
    if (call == "GetActingHolder") {
      relations::v1::GetActingHolderRequest r;
      r.set_designation("designations/monitoring-officer");
      relations::v1::ActingHolder out;
      return relations_stub->GetActingHolder(ctx.get(), r, &out);
    }
    if (call == "ListPartyGroups") {
      relations::v1::ListPartyGroupsRequest r;
      relations::v1::ListPartyGroupsResponse out;
      return relations_stub->ListPartyGroups(ctx.get(), r, &out);
    }
    if (call == "ListWards") {
      relations::v1::ListWardsRequest r;
      relations::v1::ListWardsResponse out;
      return relations_stub->ListWards(ctx.get(), r, &out);
    }
    if (call == "ListPortfolios") {
      relations::v1::ListPortfoliosRequest r;
      relations::v1::ListPortfoliosResponse out;
      return relations_stub->ListPortfolios(ctx.get(), r, &out);
    }
    if (call == "CreatePerson" || call == "CreatePerson(system role)") {
      relations::v1::CreatePersonRequest r;
      r.set_person_id(absl::StrCat("off-mx-new-", Next()));
      r.mutable_person()->set_display_name("New Starter");
      r.mutable_person()->set_kind(relations::v1::PERSON_KIND_OFFICER);
      *r.mutable_person()->mutable_start_date() = Today();
      if (call != "CreatePerson") r.mutable_person()->add_system_roles("auditor");
      relations::v1::Person out;
      return relations_stub->CreatePerson(ctx.get(), r, &out);
    }
    if (call == "CreateBody") {
      relations::v1::CreateBodyRequest r;
      r.set_body_id(absl::StrCat("mx-body-", Next()));
      r.mutable_body()->set_display_name("Working Group");
      r.mutable_body()->set_kind(relations::v1::BODY_KIND_PANEL);
      relations::v1::Body out;
      return relations_stub->CreateBody(ctx.get(), r, &out);
    }
    if (call == "CreateMembership") {
      relations::v1::CreateMembershipRequest r;
      r.set_parent("bodies/mx-panel");
      r.mutable_membership()->set_person(me);
      r.mutable_membership()->set_role(relations::v1::MEMBERSHIP_ROLE_MEMBER);
      *r.mutable_membership()->mutable_start_date() = Today();
      relations::v1::Membership out;
      return relations_stub->CreateMembership(ctx.get(), r, &out);
    }
    if (absl::StartsWith(call, "ImportDirectory") ||
        absl::StartsWith(call, "StreamImportDirectory")) {
      // validate_only: checked as for real, nothing written.
      relations::v1::ImportDirectoryRequest import;
      import.set_validate_only(true);
      relations::v1::GetPersonRequest get;
      get.set_name(PlayerOf(kOff).person);
      if (!relations_stub->GetPerson(As(PlayerOf(kAdm).person).get(), get, import.add_people())
               .ok())
        return grpc::Status(grpc::StatusCode::INTERNAL, "fixture: GetPerson");
      if (absl::StrContains(call, "grant")) import.mutable_people(0)->add_system_roles("administrator");
      relations::v1::ImportDirectoryResponse out;
      if (absl::StartsWith(call, "ImportDirectory"))
        return relations_stub->ImportDirectory(ctx.get(), import, &out);
      auto writer = relations_stub->StreamImportDirectory(ctx.get(), &out);
      relations::v1::StreamImportDirectoryRequest chunk;
      *chunk.mutable_chunk() = import;
      chunk.set_final_chunk(true);
      writer->Write(chunk);
      writer->WritesDone();
      return writer->Finish();
    }
    if (call == "ResolvePrincipal") {
      relations::v1::ResolvePrincipalRequest r;
      r.set_subject(me);
      relations::v1::Principal out;
      return relations_stub->ResolvePrincipal(ctx.get(), r, &out);
    }
    if (call == "WatchDirectoryChanges") {
      relations::v1::WatchDirectoryChangesRequest r;
      auto reader = relations_stub->WatchDirectoryChanges(ctx.get(), r);
      relations::v1::DirectoryChange change;
      if (reader->Read(&change)) {
        ctx->TryCancel();
        reader->Finish();
        return grpc::Status::OK;
      }
      return reader->Finish();
    }
    // -- relations: declarations --
    const std::string& own_declaration = own_declaration_[row.role];
    const std::string declaration =
        row.rel == Rel::kOwn ? own_declaration : std::string(kOthersDeclaration);
    if (call == "CreateRelationship") {
      relations::v1::CreateRelationshipRequest r;
      r.set_relationship_id("rel-mx-check");
      r.set_validate_only(true);
      if (row.rel == Rel::kOwn) {
        const bool member = row.role == kMem || row.role == kCoo;
        *r.mutable_relationship() =
            Declaration(member ? me : kIndependentMember, member ? kHousingOfficer : me,
                        relations::v1::RELATIONSHIP_KIND_WORKING, PlayerOf(kMO).person);
      } else {
        *r.mutable_relationship() =
            Declaration(kOtherMember, kHousingOfficer, relations::v1::RELATIONSHIP_KIND_WORKING,
                        PlayerOf(kHoPS).person);
      }
      relations::v1::Relationship out;
      return relations_stub->CreateRelationship(ctx.get(), r, &out);
    }
    if (call == "GetRelationship") {
      relations::v1::GetRelationshipRequest r;
      r.set_name(declaration);
      relations::v1::Relationship out;
      return relations_stub->GetRelationship(ctx.get(), r, &out);
    }
    if (call == "ListRelationships") {
      relations::v1::ListRelationshipsRequest r;
      relations::v1::ListRelationshipsResponse out;
      return relations_stub->ListRelationships(ctx.get(), r, &out);
    }
    if (call == "ListRelationshipRevisions") {
      relations::v1::ListRelationshipRevisionsRequest r;
      r.set_name(declaration);
      relations::v1::ListRelationshipRevisionsResponse out;
      return relations_stub->ListRelationshipRevisions(ctx.get(), r, &out);
    }
    if (absl::StartsWith(call, "UpdateRelationship")) {
      relations::v1::UpdateRelationshipRequest r;
      r.mutable_relationship()->set_name(declaration);
      if (absl::StrContains(call, "advice")) {
        r.mutable_relationship()->set_advice("Avoid working together on any casework.");
        r.add_update_mask("advice");
      } else {
        // An end far ahead: the declaration stays in force for the other rows.
        *r.mutable_relationship()->mutable_end_date() = ToProtoDate(TodayInLondon() + 3650);
        r.add_update_mask("end_date");
      }
      relations::v1::Relationship out;
      return relations_stub->UpdateRelationship(ctx.get(), r, &out);
    }
    // -- relations: interests --
    if (call == "CreateInterest") {
      relations::v1::CreateInterestRequest r;
      r.set_parent(row.rel == Rel::kOwn ? me : kOtherMember);
      r.set_interest_id("int-mx-check");
      r.set_validate_only(true);
      *r.mutable_interest() = NewInterest();
      relations::v1::Interest out;
      return relations_stub->CreateInterest(ctx.get(), r, &out);
    }
    if (call == "UpdateInterest") {
      relations::v1::UpdateInterestRequest r;
      r.mutable_interest()->set_name(row.rel == Rel::kOwn ? own_interest_[row.role]
                                                         : std::string(kOthersInterest));
      r.mutable_interest()->set_description("Residential property (home), Millbrook ward");
      r.add_update_mask("description");
      relations::v1::Interest out;
      return relations_stub->UpdateInterest(ctx.get(), r, &out);
    }
    if (call == "GetRegister" || call == "GetRegister(full)") {
      relations::v1::GetRegisterRequest r;
      r.set_person(kOtherMember);
      r.set_view(call == "GetRegister" ? relations::v1::REGISTER_VIEW_PUBLIC
                                       : relations::v1::REGISTER_VIEW_FULL);
      relations::v1::Register out;
      return relations_stub->GetRegister(ctx.get(), r, &out);
    }
    if (call == "ListOverdueInterests") {
      relations::v1::ListOverdueInterestsRequest r;
      relations::v1::ListOverdueInterestsResponse out;
      return relations_stub->ListOverdueInterests(ctx.get(), r, &out);
    }
    if (call == "CreateSecretMembership") {
      relations::v1::CreateSecretMembershipRequest r;
      r.set_parent(me);
      r.set_secret_membership_id(absl::StrCat("sm-mx-", Next()));
      r.mutable_secret_membership()->set_organisation("Order of the Harbour Lantern");
      *r.mutable_secret_membership()->mutable_declared_on() = Today();
      relations::v1::SecretMembership out;
      return relations_stub->CreateSecretMembership(ctx.get(), r, &out);
    }
    if (call == "ListSecretMemberships") {
      relations::v1::ListSecretMembershipsRequest r;
      r.set_parent(kOtherMember);
      relations::v1::ListSecretMembershipsResponse out;
      return relations_stub->ListSecretMemberships(ctx.get(), r, &out);
    }
    if (call == "CheckConflict") {
      relations::v1::CheckConflictRequest r;
      r.set_person(kOtherMember);
      r.set_setting(relations::v1::CONFLICT_SETTING_BODY_OR_DECISION);
      r.set_other_person(PlayerOf(kOff).person);
      relations::v1::CheckConflictResponse out;
      return relations_stub->CheckConflict(ctx.get(), r, &out);
    }
    // -- access --
    if (call == "GetDocument") {
      access::v1::GetDocumentRequest r;
      r.set_name(kAssistantsDocument);
      access::v1::Document out;
      return access_stub->GetDocument(ctx.get(), r, &out);
    }
    if (call == "ListDocuments") {
      access::v1::ListDocumentsRequest r;
      r.set_page_size(5);
      access::v1::ListDocumentsResponse out;
      return access_stub->ListDocuments(ctx.get(), r, &out);
    }
    if (call == "CreateDocument" || absl::StrContains(call, "ImportDocuments")) {
      access::v1::Document document;
      document.set_title("Matrix test paper");
      document.set_owning_service("planning");
      document.set_holding_chief_officer("people/off-tunde-okoro");
      document.set_status(access::v1::DOCUMENT_STATUS_OPEN);
      const std::string id = absl::StrCat("mx-doc-", Next());
      if (call == "CreateDocument") {
        access::v1::CreateDocumentRequest r;
        r.set_document_id(id);
        *r.mutable_document() = document;
        access::v1::Document out;
        return access_stub->CreateDocument(ctx.get(), r, &out);
      }
      document.set_name(absl::StrCat("documents/", id));
      if (call == "ImportDocuments") {
        access::v1::ImportDocumentsRequest r;
        r.set_validate_only(true);
        *r.add_documents() = document;
        access::v1::ImportDocumentsResponse out;
        return access_stub->ImportDocuments(ctx.get(), r, &out);
      }
      access::v1::ImportDocumentsResponse out;
      auto writer = access_stub->StreamImportDocuments(ctx.get(), &out);
      access::v1::StreamImportDocumentsRequest chunk;
      chunk.set_validate_only(true);
      *chunk.add_documents() = document;
      chunk.set_final_chunk(true);
      writer->Write(chunk);
      writer->WritesDone();
      return writer->Finish();
    }
    if (call == "CreateAccessRequest") {
      access::v1::CreateAccessRequestRequest r;
      r.mutable_access_request()->set_document(kAssistantsDocument);
      r.mutable_access_request()->set_capacity(access::v1::CAPACITY_OTHER);
      access::v1::AccessRequest out;
      return access_stub->CreateAccessRequest(ctx.get(), r, &out);
    }
    if (call == "GetAccessRequest") {
      access::v1::GetAccessRequestRequest r;
      r.set_name(row.rel == Rel::kOwn ? own_request_[row.role] : others_request_);
      access::v1::AccessRequest out;
      return access_stub->GetAccessRequest(ctx.get(), r, &out);
    }
    if (call == "ListAccessRequests") {
      access::v1::ListAccessRequestsRequest r;
      if (row.rel == Rel::kOwn) r.set_requester(me);
      access::v1::ListAccessRequestsResponse out;
      return access_stub->ListAccessRequests(ctx.get(), r, &out);
    }
    if (call == "ExplainAccess") {
      access::v1::ExplainAccessRequest r;
      r.set_person(row.rel == Rel::kOwn ? me : kOtherMember);
      r.set_document(kAssistantsDocument);
      r.set_capacity(access::v1::CAPACITY_OTHER);
      access::v1::ExplainAccessResponse out;
      return access_stub->ExplainAccess(ctx.get(), r, &out);
    }
    if (call == "ListAccessibleDocuments") {
      access::v1::ListAccessibleDocumentsRequest r;
      r.set_person(row.rel == Rel::kOwn ? me : kOtherMember);
      r.set_capacity(access::v1::CAPACITY_OTHER);
      r.set_page_size(5);
      access::v1::ListAccessibleDocumentsResponse out;
      return access_stub->ListAccessibleDocuments(ctx.get(), r, &out);
    }
    if (call == "DisputeAccessRequest") {
      // The caller's own refused request is made fresh (a dispute is opened
      // once); another's is another member's refused request.
      std::string name = others_refused_request_;
      if (row.rel == Rel::kOwn) {
        access::v1::Outcome outcome;
        name = Request(me, kOtherGroupsDocument, &outcome);
        EXPECT_EQ(outcome, access::v1::OUTCOME_REFUSED) << Name(row.role);
      }
      access::v1::DisputeAccessRequestRequest r;
      r.set_name(name);
      r.set_grounds("The paper concerns my ward; I am not after the group's strategy.");
      access::v1::AccessRequest out;
      return access_stub->DisputeAccessRequest(ctx.get(), r, &out);
    }
    if (call == "DecideDispute") {
      // A fresh referral each time: deciding closes the dispute.
      const std::string name = Request(kOtherMember, kRetailParkPaper);
      access::v1::DecideDisputeRequest r;
      r.set_name(name);
      r.set_outcome(access::v1::OUTCOME_REFUSED);
      r.set_reasons("The member's partner works for the applicant (Middlesbrough 14.6).");
      access::v1::AccessRequest out;
      return access_stub->DecideDispute(ctx.get(), r, &out);
    }
    // -- complaints --
    if (call == "CreateComplaint") {
      const bool member_side = row.role == kMem || row.role == kCoo;
      complaints::v1::CreateComplaintRequest r;
      // Members complain about an officer; officers and political assistants
      // (employees: a complaint about another officer is a staff grievance)
      // about a member.
      r.mutable_complaint()->set_subject(member_side ? kPlanningOfficer : kOtherMember);
      r.mutable_complaint()->set_summary("Raised voices in a meeting.");
      complaints::v1::Complaint out;
      return complaints_stub->CreateComplaint(ctx.get(), r, &out);
    }
    if (call == "ListComplaints") {
      complaints::v1::ListComplaintsRequest r;
      complaints::v1::ListComplaintsResponse out;
      return complaints_stub->ListComplaints(ctx.get(), r, &out);
    }
    if (call == "WatchComplaintEvents") {
      complaints::v1::WatchComplaintEventsRequest r;
      auto reader = complaints_stub->WatchComplaintEvents(ctx.get(), r);
      complaints::v1::ComplaintEvent event;
      if (reader->Read(&event)) {
        ctx->TryCancel();
        reader->Finish();
        return grpc::Status::OK;
      }
      return reader->Finish();
    }
    if (call == "RunSweep") {
      complaints::v1::RunSweepRequest r;
      complaints::v1::RunSweepResponse out;
      return complaints_stub->RunSweep(ctx.get(), r, &out);
    }
    if (call == "RecomputeDeadlines") {
      complaints::v1::RecomputeDeadlinesRequest r;
      r.set_reason("Matrix test: no calendar change.");
      complaints::v1::RecomputeDeadlinesResponse out;
      return complaints_stub->RecomputeDeadlines(ctx.get(), r, &out);
    }
    // The rest act on one complaint, filed fresh for the call.
    const bool needs_outcome = call == "RecordBreachFinding" || call == "DecideFormalAction" ||
                               call == "CompleteFollowUpCheck";
    const complaints::v1::Complaint complaint = ComplaintFor(row.rel, needs_outcome);
    ctx = As(me);  // the context's deadline runs from now
    complaints::v1::Complaint out;
    if (call == "GetComplaint") {
      complaints::v1::GetComplaintRequest r;
      r.set_name(complaint.name());
      return complaints_stub->GetComplaint(ctx.get(), r, &out);
    }
    if (call == "GetComplaintTimeline") {
      complaints::v1::GetComplaintTimelineRequest r;
      r.set_name(complaint.name());
      complaints::v1::ComplaintTimeline timeline;
      return complaints_stub->GetComplaintTimeline(ctx.get(), r, &timeline);
    }
    if (call == "AcknowledgeComplaint") {
      complaints::v1::AcknowledgeComplaintRequest r;
      r.set_name(complaint.name());
      return complaints_stub->AcknowledgeComplaint(ctx.get(), r, &out);
    }
    if (call == "RecordHoldingNotice") {
      complaints::v1::RecordHoldingNoticeRequest r;
      r.set_name(complaint.name());
      *r.mutable_expected_response_date() = ToProtoDate(TodayInLondon() + 14);
      r.set_text("We need two more weeks to speak to everyone involved.");
      return complaints_stub->RecordHoldingNotice(ctx.get(), r, &out);
    }
    if (call == "RespondToComplaint") {
      complaints::v1::RespondToComplaintRequest r;
      r.set_name(complaint.name());
      r.set_text("The officer was on leave; replies are now covered.");
      return complaints_stub->RespondToComplaint(ctx.get(), r, &out);
    }
    if (call == "EscalateComplaint") {
      complaints::v1::EscalateComplaintRequest r;
      r.set_name(complaint.name());
      r.set_reason("Still no reply to the casework.");
      return complaints_stub->EscalateComplaint(ctx.get(), r, &out);
    }
    if (call == "CloseComplaint") {
      complaints::v1::CloseComplaintRequest r;
      r.set_name(complaint.name());
      r.mutable_outcome()->set_finding(complaints::v1::OUTCOME_FINDING_RESOLVED);
      r.mutable_outcome()->set_summary("Resolved by a conversation.");
      return complaints_stub->CloseComplaint(ctx.get(), r, &out);
    }
    if (call == "RecordBreachFinding") {
      complaints::v1::RecordBreachFindingRequest r;
      r.set_name(complaint.name());
      r.set_breached_by(complaint.subject());
      r.set_finding("Did not reply to a member's casework within the protocol's time.");
      return complaints_stub->RecordBreachFinding(ctx.get(), r, &out);
    }
    if (call == "DecideFormalAction") {
      complaints::v1::DecideFormalActionRequest r;
      r.set_name(complaint.name());
      r.set_formal_action(false);
      r.set_reasons("Words of advice are enough.");
      return complaints_stub->DecideFormalAction(ctx.get(), r, &out);
    }
    if (call == "CompleteFollowUpCheck") {
      complaints::v1::CompleteFollowUpCheckRequest r;
      r.set_name(complaint.name());
      r.set_changes_implemented(true);
      return complaints_stub->CompleteFollowUpCheck(ctx.get(), r, &out);
    }
    return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, absl::StrCat("no call for ", call));
  }

  static Expect Classify(const grpc::Status& status) {
    switch (status.error_code()) {
      case grpc::StatusCode::OK: return Expect::kAllow;
      case grpc::StatusCode::PERMISSION_DENIED:
        return absl::StrContains(status.error_message(), "gateway policy")
                   ? Expect::kPolicyDenies
                   : Expect::kServiceDenies;
      case grpc::StatusCode::NOT_FOUND: return Expect::kHidden;
      case grpc::StatusCode::FAILED_PRECONDITION: return Expect::kRuleRefuses;
      case grpc::StatusCode::INVALID_ARGUMENT:
        for (const auto& violation : FieldViolations(status))
          if (absl::StrContains(violation, "system_roles")) return Expect::kRowRefused;
        [[fallthrough]];
      default:
        return static_cast<Expect>(-1);
    }
  }

  static Suite* suite_;
  static std::map<Role, std::string> own_declaration_, own_interest_, own_request_;
  static std::string others_request_, others_refused_request_;
  static std::atomic<int> counter_;
};
Suite* AuthorizationMatrixE2ETest::suite_ = nullptr;
std::map<Role, std::string> AuthorizationMatrixE2ETest::own_declaration_;
std::map<Role, std::string> AuthorizationMatrixE2ETest::own_interest_;
std::map<Role, std::string> AuthorizationMatrixE2ETest::own_request_;
std::string AuthorizationMatrixE2ETest::others_request_;
std::string AuthorizationMatrixE2ETest::others_refused_request_;
std::atomic<int> AuthorizationMatrixE2ETest::counter_{0};

// The table covers every method the gateway fronts, each (method, relation)
// block names each role at most once, and "none" and "another's" blocks name
// every role.
TEST(AuthorizationMatrixTableTest, CoversEveryMethodAndEveryRole) {
  std::set<std::string> methods;
  std::vector<std::string> problems;
  std::set<std::tuple<std::string, int>> blocks;
  for (const Block& block : Blocks()) {
    const std::string method = MethodOf(block.call);
    if (ServiceOf(method).empty()) problems.push_back(absl::StrCat(block.call, ": no such method"));
    methods.insert(method);
    if (!blocks.insert({block.call, static_cast<int>(block.rel)}).second)
      problems.push_back(absl::StrCat(block.call, " on ", Name(block.rel), ": a second block"));
    std::set<Role> roles;
    for (const Cell& cell : block.cells)
      if (!roles.insert(cell.role).second)
        problems.push_back(absl::StrCat(block.call, " on ", Name(block.rel), ": ",
                                        Name(cell.role), " twice"));
    if ((block.rel == Rel::kNone || block.rel == Rel::kOthers) &&
        roles.size() != std::size(kPlayers))
      problems.push_back(absl::StrCat(block.call, " on ", Name(block.rel), ": ", roles.size(),
                                      " roles, not every one"));
    if (block.why.empty()) problems.push_back(absl::StrCat(block.call, ": no reason"));
  }
  for (const auto* service : {RelationsService::service_full_name(),
                              AccessService::service_full_name(),
                              ComplaintsService::service_full_name()}) {
    const auto* descriptor =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service);
    ASSERT_NE(descriptor, nullptr) << service;
    for (int i = 0; i < descriptor->method_count(); ++i)
      if (!methods.count(descriptor->method(i)->name()))
        problems.push_back(absl::StrCat(service, "/", descriptor->method(i)->name(),
                                        ": not in the matrix"));
  }
  EXPECT_THAT(problems, ::testing::IsEmpty()) << absl::StrJoin(problems, "\n");
  std::cout << "authorization matrix: " << Matrix().size() << " rows over " << methods.size()
            << " methods and " << std::size(kPlayers) << " roles\n";
}

// Every row, end to end through the gateway. Every refusal carries an
// ErrorInfo its service sent (tests/e2e/error_contract.h); complaints-service
// is not yet held to that and its lapses are only printed (issue 19).
TEST_F(AuthorizationMatrixE2ETest, EveryMethodRoleAndRelationEndsAsTheRoleModelSays) {
  std::vector<std::string> mismatches;
  std::vector<std::string> complaints_lapses;
  std::map<Expect, int> seen;
  for (const Row& row : Matrix()) {
    const grpc::Status status = Invoke(row);
    if (const std::string problem = ErrorContractProblem(status); !problem.empty()) {
      const std::string lapse =
          absl::StrCat(row.call, " as ", Name(row.role), " on ", Name(row.rel), ": code ",
                       status.error_code(), " ", status.error_message(), " -- ", problem);
      (ServiceOf(MethodOf(row.call)) == ComplaintsService::service_full_name()
           ? complaints_lapses
           : mismatches)
          .push_back(lapse);
    }
    const Expect got = Classify(status);
    ++seen[got];
    if (got != row.expect)
      mismatches.push_back(absl::StrCat(row.call, " as ", Name(row.role), " (",
                                        PlayerOf(row.role).person, ") on ", Name(row.rel),
                                        ": expected ", Name(row.expect), ", got ",
                                        static_cast<int>(got) < 0 ? "?" : Name(got), " (",
                                        status.error_code(), " ", status.error_message(),
                                        ") -- ", row.why));
  }
  EXPECT_THAT(mismatches, ::testing::IsEmpty()) << absl::StrJoin(mismatches, "\n");
  if (!complaints_lapses.empty())
    std::cout << complaints_lapses.size()
              << " complaints-service refusals without their own ErrorInfo (not yet held to it):\n"
              << absl::StrJoin(complaints_lapses, "\n") << "\n";
  std::cout << "authorization matrix:";
  for (const auto& [expect, count] : seen)
    std::cout << " " << (static_cast<int>(expect) < 0 ? "?" : Name(expect)) << " " << count;
  std::cout << "\n";
}

}  // namespace
}  // namespace council::e2e
