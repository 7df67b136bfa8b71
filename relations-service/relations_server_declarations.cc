// RelationsService handlers for declarations: relationships between members
// and officers, registrable interests and the register, and memberships of
// organisations requiring secrecy. Declarations are never deleted; every change
// keeps the previous revision.
#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/errors/field_error.h"
#include "common/errors/grpc_errors.h"
#include "common/util/resource_names.h"
#include "google/protobuf/util/field_mask_util.h"
#include "google/protobuf/util/time_util.h"
#include "relations-service/conflict_checker.h"
#include "relations-service/declaration_rules.h"
#include "relations-service/register_view.h"
#include "relations-service/registration_deadline.h"
#include "relations-service/relations_server.h"
#include "relations-service/text_fields.h"

namespace council::relations {
namespace {

using internal::AsOf;
using internal::kService;

#define COUNCIL_AUTHENTICATE(caller, method) \
  COUNCIL_AUTHENTICATE_OR_RETURN(caller, authenticator_, context, FullMethodName(kService, method))

google::protobuf::Timestamp Now() {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(absl::Now()));
}

bool IsMemberKind(const v1::Person& person) {
  return person.kind() == v1::PERSON_KIND_MEMBER || person.kind() == v1::PERSON_KIND_CO_OPTED_MEMBER;
}

bool IsOfficerKind(const v1::Person& person) {
  return person.kind() == v1::PERSON_KIND_OFFICER ||
         person.kind() == v1::PERSON_KIND_POLITICAL_ASSISTANT;
}

absl::CivilDay Day(const common::v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

bool Overlaps(const v1::Relationship& a, absl::CivilDay start, std::optional<absl::CivilDay> end) {
  // An existing declaration covers [its declared_on, its end_date].
  const absl::CivilDay a_start = Day(a.declared_on());
  const bool a_open = !a.has_end_date();
  if (end && *end < a_start) return false;
  if (!a_open && Day(a.end_date()) < start) return false;
  return true;
}

// Who sees the answer to a write of `owner`'s interest in full: the member
// themselves (it is what they wrote) and those who see withheld details.
RegisterAudience WriterAudience(const Caller& caller, const std::string& owner) {
  return caller.Person() == owner || SeesWithheldDetails(caller) ? RegisterAudience::kFull
                                                                 : RegisterAudience::kPublic;
}

}  // namespace

grpc::Status RelationsServer::CreateRelationship(grpc::ServerContext* context,
                                                 const v1::CreateRelationshipRequest* request,
                                                 v1::Relationship* response) {
  COUNCIL_AUTHENTICATE(caller, "CreateRelationship");
  if (auto s = CheckTextFields(*request, ""); !s.ok()) return s;
  const v1::Relationship& r = request->relationship();
  if (!IsValidId(request->relationship_id()))
    return InvalidField("relationship_id", "must be 1-63 lower-case letters, digits or hyphens");
  if (!ParseName(r.member(), "people").ok())
    return InvalidField("relationship.member", "must be people/{person}");
  if (!ParseName(r.officer(), "people").ok())
    return InvalidField("relationship.officer", "must be people/{person}");
  if (r.member() == r.officer())
    return InvalidField("relationship.officer", "a person cannot declare a relationship with themselves");
  if (r.kind() == v1::RELATIONSHIP_KIND_UNSPECIFIED)
    return InvalidField("relationship.kind", "is required");
  const absl::CivilDay today = TodayInLondon();
  absl::CivilDay declared_on = today;
  if (r.has_declared_on()) {
    auto day = ToCivilDay(r.declared_on(), "relationship.declared_on");
    if (!day.ok()) return FromAbsl(day.status(), __func__);
    if (*day > today) return InvalidField("relationship.declared_on", "is in the future");
    declared_on = *day;
  }
  std::optional<absl::CivilDay> end;
  if (r.has_end_date()) {
    auto day = ToCivilDay(r.end_date(), "relationship.end_date");
    if (!day.ok()) return FromAbsl(day.status(), __func__);
    if (*day < declared_on) return InvalidField("relationship.end_date", "is before declared_on");
    end = *day;
  }
  auto directory = store_->Snapshot();
  const v1::Person* member = directory->FindPerson(r.member());
  const v1::Person* officer = directory->FindPerson(r.officer());
  if (member == nullptr) return NotFound(r.member());
  if (officer == nullptr) return NotFound(r.officer());
  const auto& declarations = profile_->declarations();
  if (!IsMemberKind(*member))
    return InvalidField("relationship.member", "must be a member or co-opted member",
                        declarations.relationships_clause().clause());
  if (!IsOfficerKind(*officer))
    return InvalidField("relationship.officer", "must be an officer",
                        declarations.relationships_clause().clause());
  // Who may record it: either party, the officer it is declared to, or an
  // administrator loading the existing register (declaration_rules.h).
  if (auto s = MayDeclare(caller, *profile_, r); !s.ok()) return s;
  // Declared to the officer the profile names (Sheffield 4.5, Middlesbrough 5.4).
  if (!declarations.relationships_declared_to_designation_ids().empty()) {
    if (r.declared_to().empty())
      return InvalidField("relationship.declared_to",
                          absl::StrCat("is required: declare to the holder of ",
                                       absl::StrJoin(declarations.relationships_declared_to_designation_ids(), " or ")),
                          declarations.relationships_clause().clause());
    auto held = directory->DesignationsHeld(r.declared_to(), declared_on);
    bool right_person = false;
    for (const auto& id : declarations.relationships_declared_to_designation_ids())
      right_person |= std::find(held.begin(), held.end(), id) != held.end();
    if (!right_person)
      return RuleForbids(declarations.relationships_clause().clause(), r.declared_to(),
                         absl::StrCat(r.declared_to(), " did not hold ",
                                      absl::StrJoin(declarations.relationships_declared_to_designation_ids(), " or "),
                                      " on the day of declaration"));
  } else if (!r.declared_to().empty() && directory->FindPerson(r.declared_to()) == nullptr) {
    return NotFound(r.declared_to());
  }
  // Advice already given, recorded with the declaration: given by the
  // profile's named recipient (Sheffield 4.6: the Chief Executive), recorded
  // by them or an administrator loading the existing register.
  if (auto s = CheckAdviceDeclared(caller, *directory, *profile_, r, declared_on); !s.ok())
    return s;
  // A second declaration of the same relationship over overlapping dates is a
  // duplicate, not a new fact.
  for (const v1::Relationship* existing :
       [&] {
         std::vector<const v1::Relationship*> all;
         auto it = directory->relationships_by_person.find(r.member());
         if (it != directory->relationships_by_person.end())
           for (const auto& name : it->second) all.push_back(&directory->relationships.at(name));
         return all;
       }()) {
    if (existing->officer() == r.officer() && existing->kind() == r.kind() &&
        Overlaps(*existing, declared_on, end))
      return AlreadyExists(absl::StrCat(existing->name(), " (the same ", KindName(r.kind()),
                                        " relationship, overlapping dates)"));
  }
  *response = r;
  response->set_name(absl::StrCat("relationships/", request->relationship_id()));
  *response->mutable_declared_on() = ToProtoDate(declared_on);
  response->set_revision(1);
  *response->mutable_update_time() = Now();
  response->clear_clauses();
  *response->add_clauses() = declarations.relationships_clause();
  if (!r.advice().empty() && !declarations.advice_clause().clause().empty())
    *response->add_clauses() = declarations.advice_clause();
  if (request->validate_only())
    return directory->relationships.contains(response->name()) ? AlreadyExists(response->name())
                                                               : grpc::Status::OK;
  absl::Status stored = store_->Insert(
      Kind::kRelationships, response->name(), *response,
      {caller.Person(), "CreateRelationship",
       absl::StrCat(KindName(r.kind()), " ", r.member(), " ~ ", r.officer())});
  if (absl::IsAlreadyExists(stored)) return AlreadyExists(response->name());
  return FromAbsl(stored, "CreateRelationship");
}

grpc::Status RelationsServer::GetRelationship(grpc::ServerContext* context,
                                              const v1::GetRelationshipRequest* request,
                                              v1::Relationship* response) {
  COUNCIL_AUTHENTICATE(caller, "GetRelationship");
  if (auto id = ParseName(request->name(), "relationships"); !id.ok()) return FromAbsl(id.status(), __func__);
  auto directory = store_->Snapshot();
  auto it = directory->relationships.find(request->name());
  // Someone not entitled to it is told it does not exist.
  if (it == directory->relationships.end() || !MayReadRelationship(caller, *profile_, it->second))
    return NotFound(request->name());
  *response = it->second;
  return grpc::Status::OK;
}

grpc::Status RelationsServer::ListRelationships(grpc::ServerContext* context,
                                                const v1::ListRelationshipsRequest* request,
                                                v1::ListRelationshipsResponse* response) {
  COUNCIL_AUTHENTICATE(caller, "ListRelationships");
  if (!request->person().empty() && !ParseName(request->person(), "people", "person").ok())
    return InvalidField("person", "must be people/{person}");
  auto size = PageSize(request->page_size());
  if (!size.ok()) return FromAbsl(size.status(), __func__);
  const std::string scope = absl::StrCat("relationships:", request->person());
  auto after = DecodePageToken(request->page_token(), scope);
  if (!after.ok()) return FromAbsl(after.status(), __func__);
  auto directory = store_->Snapshot();
  std::vector<const v1::Relationship*> matches;
  for (const auto& [name, relationship] : directory->relationships) {
    if (name <= *after) continue;
    if (!request->person().empty() && relationship.member() != request->person() &&
        relationship.officer() != request->person())
      continue;
    if (!MayReadRelationship(caller, *profile_, relationship)) continue;
    matches.push_back(&relationship);
  }
  std::sort(matches.begin(), matches.end(),
            [](const auto* a, const auto* b) { return a->name() < b->name(); });
  for (const auto* relationship : matches) {
    if (response->relationships_size() == *size) {
      response->set_next_page_token(
          EncodePageToken(scope, response->relationships().rbegin()->name()));
      break;
    }
    *response->add_relationships() = *relationship;
  }
  return grpc::Status::OK;
}

grpc::Status RelationsServer::UpdateRelationship(grpc::ServerContext* context,
                                                 const v1::UpdateRelationshipRequest* request,
                                                 v1::Relationship* response) {
  COUNCIL_AUTHENTICATE(caller, "UpdateRelationship");
  if (auto s = CheckTextFields(*request, ""); !s.ok()) return s;
  const auto& update = request->relationship();
  if (auto id = ParseName(update.name(), "relationships", "relationship.name"); !id.ok())
    return FromAbsl(id.status(), __func__);
  if (request->update_mask().empty()) return InvalidField("update_mask", "is required");
  auto directory = store_->Snapshot();
  auto it = directory->relationships.find(update.name());
  if (it == directory->relationships.end() || !MayReadRelationship(caller, *profile_, it->second))
    return NotFound(update.name());
  v1::Relationship next = it->second;
  for (int i = 0; i < request->update_mask_size(); ++i) {
    const std::string& path = request->update_mask(i);
    if (path == "advice") {
      // Advice is given by the officer declarations are made to (Sheffield
      // 4.6), never by a party or by an auditor (declaration_rules.h).
      if (auto s = MayAdviseOn(caller, *profile_, it->second); !s.ok()) return s;
      next.set_advice(update.advice());
      next.set_advice_by(caller.Person());
      if (!profile_->declarations().advice_clause().clause().empty()) {
        bool cited = false;
        for (const auto& c : next.clauses())
          cited |= c.clause() == profile_->declarations().advice_clause().clause();
        if (!cited) *next.add_clauses() = profile_->declarations().advice_clause();
      }
    } else if (path == "end_date") {
      // Ended by a party or the officer it was declared to.
      if (auto s = MayEnd(caller, *profile_, it->second); !s.ok()) return s;
      auto end = ToCivilDay(update.end_date(), "relationship.end_date");
      if (!end.ok()) return FromAbsl(end.status(), __func__);
      if (*end < Day(next.declared_on()))
        return InvalidField("relationship.end_date", "is before declared_on");
      *next.mutable_end_date() = update.end_date();
    } else if (path == "advice_by") {
      // Who gave advice is never asserted by the caller: it is whoever
      // records it, once MayAdviseOn has found them the named recipient.
      return InvalidField(absl::StrCat("update_mask[", i, "]"),
                          "\"advice_by\" is not set directly: it becomes whoever records the "
                          "advice (update \"advice\")",
                          AdviceClause(*profile_));
    } else {
      return InvalidField(absl::StrCat("update_mask[", i, "]"),
                          absl::StrCat("\"", path, "\" cannot be changed (only advice, end_date)"));
    }
  }
  next.set_revision(it->second.revision() + 1);
  *next.mutable_update_time() = Now();
  absl::Status stored = store_->Revise(
      Kind::kRelationships, next.name(), next,
      {caller.Person(), "UpdateRelationship",
       absl::StrCat("revision ", next.revision(), ": ",
                    absl::StrJoin(request->update_mask(), ","))});
  if (!stored.ok()) return FromAbsl(stored, "UpdateRelationship");
  *response = std::move(next);
  return grpc::Status::OK;
}

grpc::Status RelationsServer::ListRelationshipRevisions(
    grpc::ServerContext* context, const v1::ListRelationshipRevisionsRequest* request,
    v1::ListRelationshipRevisionsResponse* response) {
  COUNCIL_AUTHENTICATE(caller, "ListRelationshipRevisions");
  if (auto id = ParseName(request->name(), "relationships"); !id.ok()) return FromAbsl(id.status(), __func__);
  auto directory = store_->Snapshot();
  auto it = directory->relationships.find(request->name());
  if (it == directory->relationships.end() || !MayReadRelationship(caller, *profile_, it->second))
    return NotFound(request->name());
  auto revisions = store_->Revisions(Kind::kRelationships, request->name());
  if (!revisions.ok()) return FromAbsl(revisions.status(), "ListRelationshipRevisions");
  for (const auto& bytes : *revisions)
    if (!response->add_revisions()->ParseFromString(bytes))
      return FromAbsl(absl::DataLossError(request->name()), "ListRelationshipRevisions");
  return grpc::Status::OK;
}

grpc::Status RelationsServer::CreateInterest(grpc::ServerContext* context,
                                             const v1::CreateInterestRequest* request,
                                             v1::Interest* response) {
  COUNCIL_AUTHENTICATE(caller, "CreateInterest");
  if (auto s = CheckTextFields(*request, ""); !s.ok()) return s;
  if (!ParseName(request->parent(), "people", "parent").ok())
    return InvalidField("parent", "must be people/{person}");
  if (!IsValidId(request->interest_id()))
    return InvalidField("interest_id", "must be 1-63 lower-case letters, digits or hyphens");
  const auto& interest = request->interest();
  if (interest.category() == v1::INTEREST_CATEGORY_UNSPECIFIED)
    return InvalidField("interest.category", "is required");
  if (interest.description().empty()) return InvalidField("interest.description", "is required");
  if (interest.holder() == v1::INTEREST_HOLDER_UNSPECIFIED)
    return InvalidField("interest.holder", "is required");
  if (!interest.has_arose_on())
    return InvalidField("interest.arose_on", "is required (the 28-day period runs from it)",
                        "Localism Act 2011 s30(1)");
  auto arose = ToCivilDay(interest.arose_on(), "interest.arose_on");
  if (!arose.ok()) return FromAbsl(arose.status(), __func__);
  if (interest.has_registered_on()) {
    auto registered = ToCivilDay(interest.registered_on(), "interest.registered_on");
    if (!registered.ok()) return FromAbsl(registered.status(), __func__);
  }
  for (int i = 0; i < interest.matters_size(); ++i)
    if (!IsValidId(interest.matters(i)))
      return InvalidField(absl::StrCat("interest.matters[", i, "]"), "is not a valid matter id");
  auto directory = store_->Snapshot();
  const v1::Person* member = directory->FindPerson(request->parent());
  if (member == nullptr) return NotFound(request->parent());
  if (!IsMemberKind(*member))
    return InvalidField("parent", "registers of interests are kept for members",
                        "Localism Act 2011 s29");
  if (caller.Person() != request->parent() && !caller.HasRole("monitoring-officer") &&
      !caller.HasRole("administrator") && !caller.IsService())
    return PermissionDenied("a member registers their own interests (or the monitoring officer "
                            "for them)",
                            common::v1::ERROR_REASON_RULE_FORBIDS);
  *response = interest;
  response->set_name(absl::StrCat(request->parent(), "/interests/", request->interest_id()));
  response->set_revision(1);
  *response->mutable_update_time() = Now();
  if (request->validate_only())
    return directory->interests.contains(response->name()) ? AlreadyExists(response->name())
                                                           : grpc::Status::OK;
  absl::Status stored =
      store_->Insert(Kind::kInterests, response->name(), *response,
                     {caller.Person(), "CreateInterest",
                      v1::InterestCategory_Name(response->category())});
  if (absl::IsAlreadyExists(stored)) return AlreadyExists(response->name());
  if (!stored.ok()) return FromAbsl(stored, "CreateInterest");
  // The answer is a view of the register too: an administrator loading the
  // existing register does not get a sensitive interest back in full.
  *response = ExportEntry(*response, WriterAudience(caller, request->parent()));
  return grpc::Status::OK;
}

grpc::Status RelationsServer::UpdateInterest(grpc::ServerContext* context,
                                             const v1::UpdateInterestRequest* request,
                                             v1::Interest* response) {
  COUNCIL_AUTHENTICATE(caller, "UpdateInterest");
  if (auto s = CheckTextFields(*request, ""); !s.ok()) return s;
  const auto& update = request->interest();
  const auto cut = update.name().find("/interests/");
  if (cut == std::string::npos || !ParseName(update.name().substr(0, cut), "people").ok())
    return InvalidField("interest.name", "must be people/{person}/interests/{interest}");
  if (request->update_mask().empty()) return InvalidField("update_mask", "is required");
  const std::string owner = update.name().substr(0, cut);
  // The member, or the monitoring officer who keeps the register (Localism
  // Act 2011 s29(1)); not administrators, who only load it at go-live.
  if (caller.Person() != owner && !caller.HasRole("monitoring-officer") && !caller.IsService())
    return PermissionDenied("a member changes their own interests (or the monitoring officer "
                            "for them)",
                            common::v1::ERROR_REASON_RULE_FORBIDS,
                            {{"clause", "Localism Act 2011 s29(1)"}});
  auto directory = store_->Snapshot();
  auto it = directory->interests.find(update.name());
  if (it == directory->interests.end()) return NotFound(update.name());
  v1::Interest next = it->second;
  for (int i = 0; i < request->update_mask_size(); ++i) {
    const std::string& path = request->update_mask(i);
    if (path == "description") {
      if (update.description().empty()) return InvalidField("interest.description", "is required");
      next.set_description(update.description());
    } else if (path == "registered_on") {
      if (!ToCivilDay(update.registered_on(), "interest.registered_on").ok())
        return InvalidField("interest.registered_on", "is not a valid date");
      *next.mutable_registered_on() = update.registered_on();
    } else if (path == "sensitive") {
      next.set_sensitive(update.sensitive());
    } else if (path == "matters") {
      for (int m = 0; m < update.matters_size(); ++m)
        if (!IsValidId(update.matters(m)))
          return InvalidField(absl::StrCat("interest.matters[", m, "]"),
                              "is not a valid matter id");
      *next.mutable_matters() = update.matters();
    } else if (path == "end_date") {
      if (!ToCivilDay(update.end_date(), "interest.end_date").ok())
        return InvalidField("interest.end_date", "is not a valid date");
      *next.mutable_end_date() = update.end_date();
    } else {
      return InvalidField(absl::StrCat("update_mask[", i, "]"),
                          absl::StrCat("\"", path, "\" cannot be changed"));
    }
  }
  next.set_revision(it->second.revision() + 1);
  *next.mutable_update_time() = Now();
  absl::Status stored =
      store_->Revise(Kind::kInterests, next.name(), next,
                     {caller.Person(), "UpdateInterest",
                      absl::StrCat("revision ", next.revision(), ": ",
                                   absl::StrJoin(request->update_mask(), ","))});
  if (!stored.ok()) return FromAbsl(stored, "UpdateInterest");
  *response = ExportEntry(next, WriterAudience(caller, owner));
  return grpc::Status::OK;
}

grpc::Status RelationsServer::GetRegister(grpc::ServerContext* context,
                                          const v1::GetRegisterRequest* request,
                                          v1::Register* response) {
  COUNCIL_AUTHENTICATE(caller, "GetRegister");
  if (!ParseName(request->person(), "people", "person").ok())
    return InvalidField("person", "must be people/{person}");
  const bool full = request->view() == v1::REGISTER_VIEW_FULL;
  if (full && !SeesWithheldDetails(caller))
    return PermissionDenied("the full register (with sensitive interests) is for the monitoring "
                            "officer only (Localism Act 2011 s32)",
                            common::v1::ERROR_REASON_RULE_FORBIDS,
                            {{"clause", "Localism Act 2011 s32"}});
  auto day = AsOf(request->has_as_of(), request->as_of());
  if (!day.ok()) return FromAbsl(day.status(), __func__);
  auto directory = store_->Snapshot();
  if (directory->FindPerson(request->person()) == nullptr) return NotFound(request->person());
  response->set_person(request->person());
  response->set_view(full ? v1::REGISTER_VIEW_FULL : v1::REGISTER_VIEW_PUBLIC);
  // The register as it stood at the end of `day`: for each interest, the last
  // revision recorded by then, redacted by the one function every view of
  // the register uses (register_view.h).
  const RegisterAudience audience = full ? RegisterAudience::kFull : RegisterAudience::kPublic;
  auto names = directory->interests_by_person.find(request->person());
  bool withheld_any = false;
  if (names != directory->interests_by_person.end()) {
    std::vector<std::string> sorted = names->second;
    std::sort(sorted.begin(), sorted.end());
    for (const auto& name : sorted) {
      auto stored = store_->Revisions(Kind::kInterests, name);
      if (!stored.ok()) return FromAbsl(stored.status(), "GetRegister");
      std::vector<v1::Interest> revisions;
      for (const auto& bytes : *stored)
        if (!revisions.emplace_back().ParseFromString(bytes))
          return FromAbsl(absl::DataLossError(name), "GetRegister");
      std::optional<v1::Interest> entry =
          RegisterEntryAsOf(revisions, *day, audience, &withheld_any);
      if (entry) *response->add_interests() = std::move(*entry);
    }
  }
  if (withheld_any) {
    auto* clause = response->add_clauses();
    clause->set_clause("Localism Act 2011 s32(2)");
    clause->set_summary("A sensitive interest is withheld from the published register; the "
                        "register states only that the member has an interest withheld.");
  }
  if (!profile_->declarations().secret_society_clause().clause().empty())
    *response->add_clauses() = profile_->declarations().secret_society_clause();
  return grpc::Status::OK;
}

grpc::Status RelationsServer::ListOverdueInterests(grpc::ServerContext* context,
                                                   const v1::ListOverdueInterestsRequest* request,
                                                   v1::ListOverdueInterestsResponse* response) {
  COUNCIL_AUTHENTICATE(caller, "ListOverdueInterests");
  if (auto s = internal::RequireRole(caller, {"monitoring-officer", "auditor"},
                                     "ListOverdueInterests");
      !s.ok())
    return s;
  auto day = AsOf(request->has_as_of(), request->as_of());
  if (!day.ok()) return FromAbsl(day.status(), __func__);
  const int period = profile_->declarations().interest_registration_days() > 0
                         ? profile_->declarations().interest_registration_days()
                         : 28;
  auto directory = store_->Snapshot();
  std::vector<const v1::Interest*> overdue;
  for (const auto& [name, interest] : directory->interests)
    // 28 calendar days beginning with the day it arose (Localism Act 2011
    // s30(1)): registration_deadline.h.
    if (IsOverdue(interest, period, *day)) overdue.push_back(&interest);
  std::sort(overdue.begin(), overdue.end(),
            [](const auto* a, const auto* b) { return a->name() < b->name(); });
  const RegisterAudience audience =
      SeesWithheldDetails(caller) ? RegisterAudience::kFull : RegisterAudience::kPublic;
  for (const auto* interest : overdue) *response->add_interests() = ExportEntry(*interest, audience);
  return grpc::Status::OK;
}

grpc::Status RelationsServer::CreateSecretMembership(
    grpc::ServerContext* context, const v1::CreateSecretMembershipRequest* request,
    v1::SecretMembership* response) {
  COUNCIL_AUTHENTICATE(caller, "CreateSecretMembership");
  if (auto s = CheckTextFields(*request, ""); !s.ok()) return s;
  const auto& declarations = profile_->declarations();
  if (declarations.secret_society_declared_to_designation_id().empty())
    // No clause forbids it: the protocol is silent, so the refusal names the
    // profile field that would hold the rule rather than citing a clause.
    return FromAbsl(
        WithReason(absl::FailedPreconditionError(
                       absl::StrCat("the ", profile_->display_name(),
                                    " protocol has no declaration of secret memberships")),
                   common::v1::ERROR_REASON_PRECONDITION_FAILED,
                   {{"profile_field", "declarations.secret_society_declared_to_designation_id"},
                    {"resource", request->parent()}}),
        "CreateSecretMembership");
  if (!ParseName(request->parent(), "people", "parent").ok())
    return InvalidField("parent", "must be people/{person}");
  if (!IsValidId(request->secret_membership_id()))
    return InvalidField("secret_membership_id", "must be 1-63 lower-case letters, digits or hyphens");
  if (request->secret_membership().organisation().empty())
    return InvalidField("secret_membership.organisation", "is required",
                        declarations.secret_society_clause().clause());
  auto declared = ToCivilDay(request->secret_membership().declared_on(),
                             "secret_membership.declared_on");
  if (!declared.ok()) return FromAbsl(declared.status(), __func__);
  if (caller.Person() != request->parent() &&
      !caller.HasRole(declarations.secret_society_declared_to_designation_id()))
    return PermissionDenied("a person declares their own membership, to the monitoring officer",
                            common::v1::ERROR_REASON_RULE_FORBIDS,
                            {{"clause", declarations.secret_society_clause().clause()}});
  if (store_->Snapshot()->FindPerson(request->parent()) == nullptr)
    return NotFound(request->parent());
  *response = request->secret_membership();
  response->set_name(
      absl::StrCat(request->parent(), "/secretMemberships/", request->secret_membership_id()));
  *response->mutable_update_time() = Now();
  // The audit entry records that a declaration was made, not its content.
  absl::Status stored = store_->Insert(Kind::kSecretMemberships, response->name(), *response,
                                       {caller.Person(), "CreateSecretMembership", "declared"});
  if (absl::IsAlreadyExists(stored)) return AlreadyExists(response->name());
  return FromAbsl(stored, "CreateSecretMembership");
}

grpc::Status RelationsServer::ListSecretMemberships(
    grpc::ServerContext* context, const v1::ListSecretMembershipsRequest* request,
    v1::ListSecretMembershipsResponse* response) {
  COUNCIL_AUTHENTICATE(caller, "ListSecretMemberships");
  const auto& declarations = profile_->declarations();
  const std::string& designation = declarations.secret_society_declared_to_designation_id();
  // Visible to the monitoring officer only (Sheffield 13.1-13.2): not the
  // person's colleagues, not administrators, not auditors.
  if (designation.empty() || !caller.HasRole(designation))
    return PermissionDenied("secret memberships are visible to the monitoring officer only",
                            common::v1::ERROR_REASON_RULE_FORBIDS,
                            {{"clause", declarations.secret_society_clause().clause()}});
  if (!ParseName(request->parent(), "people", "parent").ok())
    return InvalidField("parent", "must be people/{person}");
  auto rows = store_->Scan(Kind::kSecretMemberships, "", 1000,
                           absl::StrCat(request->parent(), "/secretMemberships/"));
  if (!rows.ok()) return FromAbsl(rows.status(), "ListSecretMemberships");
  for (const auto& [key, bytes] : *rows)
    if (!response->add_secret_memberships()->ParseFromString(bytes))
      return FromAbsl(absl::DataLossError(key), "ListSecretMemberships");
  return grpc::Status::OK;
}

}  // namespace council::relations
