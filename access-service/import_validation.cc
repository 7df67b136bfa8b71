#include "access-service/import_validation.h"

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "access-service/access_server.h"
#include "common/errors/grpc_errors.h"
#include "common/util/resource_names.h"

namespace council::access {
namespace {

grpc::Status CheckKnown(const absl::flat_hash_set<std::string>& known, const std::string& name,
                        const std::string& field) {
  if (name.empty() || known.contains(name)) return grpc::Status::OK;
  return InvalidField(field, absl::StrCat(name, " is not in the council directory"));
}

// The first reference of `document` the directory does not hold.
grpc::Status CheckReferences(const v1::Document& document, const std::string& prefix,
                             const DirectoryNames& directory) {
  if (auto s = CheckKnown(directory.people, document.holding_chief_officer(),
                          prefix + "holding_chief_officer");
      !s.ok())
    return s;
  if (auto s = CheckKnown(directory.bodies, document.body(), prefix + "body"); !s.ok()) return s;
  for (int i = 0; i < document.wards_size(); ++i)
    if (auto s = CheckKnown(directory.wards, document.wards(i),
                            absl::StrCat(prefix, "wards[", i, "]"));
        !s.ok())
      return s;
  if (auto s = CheckKnown(directory.portfolios, document.portfolio(), prefix + "portfolio");
      !s.ok())
    return s;
  if (auto s = CheckKnown(directory.groups, document.party_group(), prefix + "party_group");
      !s.ok())
    return s;
  return CheckKnown(directory.people, document.requested_advice_for(),
                    prefix + "requested_advice_for");
}

}  // namespace

DirectoryNames ReferencedNames(const std::vector<v1::Document>& documents) {
  DirectoryNames names;
  auto add = [](absl::flat_hash_set<std::string>& set, const std::string& name) {
    if (!name.empty()) set.insert(name);
  };
  for (const auto& document : documents) {
    add(names.people, document.holding_chief_officer());
    add(names.people, document.requested_advice_for());
    add(names.bodies, document.body());
    for (const auto& ward : document.wards()) add(names.wards, ward);
    add(names.portfolios, document.portfolio());
    add(names.groups, document.party_group());
  }
  return names;
}

grpc::Status ValidateDocumentImport(const std::vector<v1::Document>& documents,
                                    int max_exempt_paragraph, const DirectoryNames& directory) {
  absl::flat_hash_set<absl::string_view> seen;
  seen.reserve(documents.size());
  FieldViolationList violations;
  for (size_t i = 0; i < documents.size(); ++i) {
    const auto& document = documents[i];
    const std::string prefix = absl::StrCat("documents[", i, "].");
    violations.Add([&]() -> grpc::Status {
      if (!ParseName(document.name(), "documents").ok())
        return InvalidField(absl::StrCat(prefix, "name"), "must be documents/{document}");
      if (!seen.insert(document.name()).second)
        return InvalidField(absl::StrCat(prefix, "name"),
                            absl::StrCat(document.name(), " appears twice in the import"));
      if (auto s = ValidateDocument(document, prefix, max_exempt_paragraph); !s.ok()) return s;
      return CheckReferences(document, prefix, directory);
    }());
  }
  return violations.ToStatus();
}

}  // namespace council::access
