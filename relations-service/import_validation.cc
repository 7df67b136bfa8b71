// Validation of a directory import: every record, every reference, before
// anything is written (one bad record and the import writes nothing). Every
// bad record is reported (bounded by FieldViolationList).
#include "relations-service/import_validation.h"

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/errors/grpc_errors.h"
#include "common/util/resource_names.h"
#include "relations-service/relations_server.h"
#include "relations-service/structure_checks.h"
#include "relations-service/text_fields.h"

namespace council::relations {
namespace {

// Names present in the import or already in the directory.
class Known {
 public:
  Known(const DirectorySnapshot& directory, const v1::ImportDirectoryRequest& request)
      : directory_(directory) {
    for (const auto& p : request.people()) people_.insert(p.name());
    for (const auto& b : request.bodies()) bodies_.insert(b.name());
    for (const auto& p : request.posts()) posts_.insert(p.name());
    for (const auto& g : request.party_groups()) groups_.insert(g.name());
    for (const auto& w : request.wards()) wards_.insert(w.name());
  }
  bool Person(const std::string& name) const {
    return people_.contains(name) || directory_.people.contains(name);
  }
  bool Body(const std::string& name) const {
    return bodies_.contains(name) || directory_.bodies.contains(name);
  }
  bool Post(const std::string& name) const {
    return posts_.contains(name) || directory_.posts.contains(name);
  }
  bool Group(const std::string& name) const {
    return groups_.contains(name) || directory_.party_groups.contains(name);
  }
  bool Ward(const std::string& name) const {
    return wards_.contains(name) || directory_.wards.contains(name);
  }

 private:
  const DirectorySnapshot& directory_;
  absl::flat_hash_set<std::string> people_, bodies_, posts_, groups_, wards_;
};

grpc::Status CheckName(const std::string& name, absl::string_view collection,
                       const std::string& prefix, absl::flat_hash_set<std::string>* seen) {
  if (!ParseName(name, collection).ok())
    return InvalidField(absl::StrCat(prefix, "name"), absl::StrCat("must be ", collection, "/{id}"));
  if (!seen->insert(name).second)
    return InvalidField(absl::StrCat(prefix, "name"), "appears twice in the import");
  return grpc::Status::OK;
}

grpc::Status CheckPersonRef(const Known& known, const std::string& person,
                            const std::string& field, bool required) {
  if (person.empty()) {
    return required ? InvalidField(field, "is required") : grpc::Status::OK;
  }
  if (!ParseName(person, "people").ok()) return InvalidField(field, "must be people/{person}");
  if (!known.Person(person)) return InvalidField(field, absl::StrCat(person, " does not exist"));
  return grpc::Status::OK;
}

grpc::Status CheckTenure(const Known& known, const v1::Tenure& tenure, const std::string& field,
                         int* open) {
  if (auto s = CheckPersonRef(known, tenure.person(), field + "person", true); !s.ok()) return s;
  if (!tenure.has_start_date()) return InvalidField(field + "start_date", "is required");
  auto start = ToCivilDay(tenure.start_date(), field + "start_date");
  if (!start.ok()) return InvalidField(field + "start_date", "is not a valid date");
  if (tenure.has_end_date()) {
    auto end = ToCivilDay(tenure.end_date(), field + "end_date");
    if (!end.ok()) return InvalidField(field + "end_date", "is not a valid date");
    if (*end < *start) return InvalidField(field + "end_date", "is before start_date");
  } else if (++*open > 1) {
    return InvalidField(field + "end_date", "only one holder can be current (no end date)");
  }
  return grpc::Status::OK;
}

// Adds one violation per bad tenure.
void CheckTenures(const Known& known,
                  const google::protobuf::RepeatedPtrField<v1::Tenure>& tenures,
                  const std::string& prefix, FieldViolationList* violations) {
  int open = 0;
  for (int i = 0; i < tenures.size(); ++i)
    violations->Add(CheckTenure(known, tenures[i], absl::StrCat(prefix, "tenures[", i, "]."), &open));
}

}  // namespace

grpc::Status ValidateDirectoryImport(const DirectorySnapshot& directory,
                                     const v1::ImportDirectoryRequest& request) {
  Known known(directory, request);
  absl::flat_hash_set<std::string> seen;
  FieldViolationList violations;
  // E-mail addresses are unique (demo/README.md, people.csv), compared
  // without case: lower-cased address -> the person who has it, from the
  // directory's people the import does not replace, then the import's.
  absl::flat_hash_map<std::string, std::string> email_owner;
  {
    absl::flat_hash_set<std::string> imported;
    for (const auto& person : request.people()) imported.insert(person.name());
    for (const auto& [name, person] : directory.people)
      if (!person.email().empty() && !imported.contains(name))
        email_owner.emplace(absl::AsciiStrToLower(person.email()), name);
  }
  // Each record's first problem; every record is checked.
  for (int i = 0; i < request.people_size(); ++i) {
    const auto& person = request.people(i);
    const std::string prefix = absl::StrCat("people[", i, "].");
    violations.Add([&]() -> grpc::Status {
      if (auto s = CheckName(person.name(), "people", prefix, &seen); !s.ok()) return s;
      if (auto s = ValidatePerson(person, prefix); !s.ok()) return s;
      if (!person.party_group().empty() && !known.Group(person.party_group()))
        return InvalidField(prefix + "party_group",
                            absl::StrCat(person.party_group(), " does not exist"));
      if (!person.ward().empty() && !known.Ward(person.ward()))
        return InvalidField(prefix + "ward", absl::StrCat(person.ward(), " does not exist"));
      if (!person.email().empty()) {
        auto [owner, added] =
            email_owner.emplace(absl::AsciiStrToLower(person.email()), person.name());
        if (!added)
          return InvalidField(prefix + "email",
                              absl::StrCat("is also the e-mail of ", owner->second,
                                           " (e-mail addresses are unique)"));
      }
      return grpc::Status::OK;
    }());
  }
  std::vector<bool> body_ok(request.bodies_size());
  for (int i = 0; i < request.bodies_size(); ++i) {
    const auto& body = request.bodies(i);
    const std::string prefix = absl::StrCat("bodies[", i, "].");
    body_ok[i] = violations.Add([&]() -> grpc::Status {
      if (auto s = CheckName(body.name(), "bodies", prefix, &seen); !s.ok()) return s;
      if (auto s = ValidateBody(body, prefix); !s.ok()) return s;
      if (!body.parent().empty() && !known.Body(body.parent()))
        return InvalidField(prefix + "parent", absl::StrCat(body.parent(), " does not exist"));
      return grpc::Status::OK;
    }());
  }
  CheckBodyNesting(directory, request, body_ok, &violations);
  for (int i = 0; i < request.memberships_size(); ++i) {
    const auto& membership = request.memberships(i);
    const std::string prefix = absl::StrCat("memberships[", i, "].");
    violations.Add([&]() -> grpc::Status {
      if (auto s = ValidateMembership(membership, prefix); !s.ok()) return s;
      std::vector<std::string> parts = absl::StrSplit(membership.name(), '/');
      if (parts.size() != 4 || parts[0] != "bodies" || parts[2] != "memberships" ||
          absl::StrCat("people/", parts[3]) != membership.person())
        return InvalidField(prefix + "name",
                            "must be bodies/{body}/memberships/{person} matching `person`");
      if (!seen.insert(membership.name()).second)
        return InvalidField(prefix + "name", "appears twice in the import");
      if (!known.Body(absl::StrCat("bodies/", parts[1])))
        return InvalidField(prefix + "name", absl::StrCat("bodies/", parts[1], " does not exist"));
      return CheckPersonRef(known, membership.person(), prefix + "person", true);
    }());
  }
  std::vector<bool> post_ok(request.posts_size());
  for (int i = 0; i < request.posts_size(); ++i) {
    const auto& post = request.posts(i);
    const std::string prefix = absl::StrCat("posts[", i, "].");
    const bool ok = post_ok[i] = violations.Add([&]() -> grpc::Status {
      if (auto s = CheckName(post.name(), "posts", prefix, &seen); !s.ok()) return s;
      if (auto s = CheckTextFields(post, prefix); !s.ok()) return s;
      if (post.title().empty()) return InvalidField(prefix + "title", "is required");
      if (post.service().empty()) return InvalidField(prefix + "service", "is required");
      if (!post.reports_to().empty()) {
        if (post.reports_to() == post.name())
          return InvalidField(prefix + "reports_to", "a post cannot report to itself");
        // Checked before it is echoed in "does not exist": a name is short.
        if (!ParseName(post.reports_to(), "posts").ok())
          return InvalidField(prefix + "reports_to", "must be posts/{post}");
        if (!known.Post(post.reports_to()))
          return InvalidField(prefix + "reports_to",
                              absl::StrCat(post.reports_to(), " does not exist"));
      }
      return grpc::Status::OK;
    }());
    if (ok) CheckTenures(known, post.tenures(), prefix, &violations);
  }
  // What the posts make together: no reporting line loops back, nobody is
  // in two posts at once.
  CheckReportingLines(directory, request, post_ok, &violations);
  CheckOnePostAtATime(directory, request, post_ok, &violations);
  for (int i = 0; i < request.designations_size(); ++i) {
    const auto& designation = request.designations(i);
    const std::string prefix = absl::StrCat("designations[", i, "].");
    // Any designation may be recorded (HR holds more than one protocol
    // names); the profile decides which ones its rules use.
    if (violations.Add(CheckName(designation.name(), "designations", prefix, &seen)) &&
        violations.Add(CheckTextFields(designation, prefix)))
      CheckTenures(known, designation.tenures(), prefix, &violations);
  }
  for (int i = 0; i < request.party_groups_size(); ++i) {
    const auto& group = request.party_groups(i);
    const std::string prefix = absl::StrCat("party_groups[", i, "].");
    violations.Add([&]() -> grpc::Status {
      if (auto s = CheckName(group.name(), "groups", prefix, &seen); !s.ok()) return s;
      if (auto s = CheckTextFields(group, prefix); !s.ok()) return s;
      if (group.display_name().empty())
        return InvalidField(prefix + "display_name", "is required");
      for (const auto& [field, person] :
           {std::pair<const char*, const std::string*>{"leader", &group.leader()},
            {"deputy_leader", &group.deputy_leader()},
            {"whip", &group.whip()}})
        if (auto s = CheckPersonRef(known, *person, prefix + field, false); !s.ok()) return s;
      return grpc::Status::OK;
    }());
  }
  for (int i = 0; i < request.wards_size(); ++i) {
    const auto& ward = request.wards(i);
    const std::string prefix = absl::StrCat("wards[", i, "].");
    violations.Add([&]() -> grpc::Status {
      if (auto s = CheckName(ward.name(), "wards", prefix, &seen); !s.ok()) return s;
      if (auto s = CheckTextFields(ward, prefix); !s.ok()) return s;
      if (ward.display_name().empty())
        return InvalidField(prefix + "display_name", "is required");
      return grpc::Status::OK;
    }());
  }
  for (int i = 0; i < request.portfolios_size(); ++i) {
    const auto& portfolio = request.portfolios(i);
    const std::string prefix = absl::StrCat("portfolios[", i, "].");
    violations.Add([&]() -> grpc::Status {
      if (auto s = CheckName(portfolio.name(), "portfolios", prefix, &seen); !s.ok()) return s;
      if (auto s = CheckTextFields(portfolio, prefix); !s.ok()) return s;
      if (portfolio.display_name().empty())
        return InvalidField(prefix + "display_name", "is required");
      return CheckPersonRef(known, portfolio.holder(), prefix + "holder", false);
    }());
  }
  return violations.ToStatus();
}

grpc::Status RelationsServer::ValidateImport(const v1::ImportDirectoryRequest& request) {
  return ValidateDirectoryImport(*store_->Snapshot(), request);
}

}  // namespace council::relations
