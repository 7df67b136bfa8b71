#include "gateway/method_policy.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/profile/profile_loader.h"
#include "common/server/caller.h"
#include "common/util/resource_names.h"
#include "council/access/v1/access_service.grpc.pb.h"
#include "council/complaints/v1/complaints_service.grpc.pb.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace council::gateway {
namespace {

using google::protobuf::TextFormat;

class Collector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    errors.push_back(absl::StrCat(line + 1, ":", column + 1, ": ", message));
  }
  std::vector<std::string> errors;
};

const google::protobuf::MethodDescriptor* FindMethod(absl::string_view full_method) {
  // "/package.Service/Method" -> "package.Service.Method"
  std::vector<std::string> parts = absl::StrSplit(full_method, '/');
  if (parts.size() != 3 || !parts[0].empty()) return nullptr;
  return google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
      absl::StrCat(parts[1], ".", parts[2]));
}

// Validates proto.service_accounts() into `accounts` (keyed by identity).
absl::Status LoadServiceAccounts(const v1::GatewayPolicy& proto,
                                 const TextFormat::ParseInfoTree& tree, const std::string& path,
                                 absl::flat_hash_map<std::string, v1::ServiceAccount>* accounts) {
  const auto* field = v1::GatewayPolicy::descriptor()->FindFieldByName("service_accounts");
  absl::flat_hash_map<std::string, int> names;
  for (int i = 0; i < proto.service_accounts_size(); ++i) {
    const v1::ServiceAccount& account = proto.service_accounts(i);
    // "policy.textproto:80: service_accounts[1] (services/hr-sync): "
    const std::string where =
        absl::StrCat(path, ":", tree.GetLocation(field, i).line + 1, ": service_accounts[", i,
                     "] (", account.name().empty() ? "no name" : account.name(), "): ");
    if (!ParseName(account.name(), "services").ok())
      return absl::InvalidArgumentError(absl::StrCat(
          where, "name \"", account.name(),
          "\" must be services/{id}, {id} of lower-case letters, digits and hyphens"));
    // The backends trust these as siblings (common/server/caller.h).
    for (absl::string_view reserved : kSuiteServicePrincipals)
      if (account.name() == reserved)
        return absl::InvalidArgumentError(absl::StrCat(
            where, "name ", account.name(), " is one of the suite's own services"));
    if (auto [it, added] = names.emplace(account.name(), i); !added)
      return absl::InvalidArgumentError(absl::StrCat(where, "name ", account.name(),
                                                     " is also service_accounts[", it->second,
                                                     "]'s"));
    if (account.certificate_identity().empty())
      return absl::InvalidArgumentError(
          absl::StrCat(where, "certificate_identity is required"));
    if (account.roles().empty())
      return absl::InvalidArgumentError(absl::StrCat(
          where, "roles: at least one of ", absl::StrJoin(ServiceAccountRoles(), ", "),
          " is required"));
    for (int r = 0; r < account.roles_size(); ++r) {
      const auto& allowed = ServiceAccountRoles();
      if (std::find(allowed.begin(), allowed.end(), account.roles(r)) == allowed.end())
        return absl::InvalidArgumentError(
            absl::StrCat(where, "roles[", r, "] \"", account.roles(r),
                         "\" is not a service account role (", absl::StrJoin(allowed, ", "),
                         ")"));
    }
    if (auto [it, added] = accounts->emplace(account.certificate_identity(), account); !added)
      return absl::InvalidArgumentError(absl::StrCat(
          where, "certificate_identity \"", account.certificate_identity(),
          "\" is also ", it->second.name(), "'s"));
  }
  return absl::OkStatus();
}

// The role names a rule may give: see MethodPolicy::Load.
bool KnownRole(absl::string_view role, const std::vector<std::string>& designations) {
  static const auto* statutory = new std::vector<std::string>{
      // Every profile must define these (common/profile/profile_loader.h).
      "authenticated", "monitoring-officer", "head-of-paid-service"};
  for (const auto* known : {statutory, &council::SuiteRoles(), &designations})
    if (std::find(known->begin(), known->end(), role) != known->end()) return true;
  return false;
}

}  // namespace

const std::vector<std::string>& UnauthenticatedMethods() {
  // A list here rather than a method option in the suite's protos: the only
  // methods that qualify are the standard health service's, whose .proto is
  // grpc's and cannot carry our option, and every method of our own services
  // reads or writes people's records (the directory included). Adding a method
  // here is a security review, not a policy edit.
  static const auto* methods = new std::vector<std::string>{
      // Says only whether the gateway is serving (SERVING / NOT_SERVING);
      // answered by the gateway itself, never forwarded.
      "/grpc.health.v1.Health/Check",
      // The same answer, streamed when it changes.
      "/grpc.health.v1.Health/Watch",
  };
  return *methods;
}

const std::vector<std::string>& ServiceAccountRoles() {
  static const auto* roles =
      new std::vector<std::string>{"hr-integration", "records-integration", "auditor"};
  return *roles;
}

const std::vector<std::string>& SuiteServices() {
  // Touching each file's descriptor links its generated code into the binary,
  // so the generated pool can find the methods the policy names.
  (void)relations::v1::Person::descriptor();
  (void)access::v1::Document::descriptor();
  (void)complaints::v1::Complaint::descriptor();
  static const auto* services = new std::vector<std::string>{
      relations::v1::RelationsService::service_full_name(),
      access::v1::AccessService::service_full_name(),
      complaints::v1::ComplaintsService::service_full_name(),
      "grpc.health.v1.Health",
  };
  return *services;
}

absl::StatusOr<std::shared_ptr<const MethodPolicy>> MethodPolicy::Load(
    const std::string& path, const std::vector<std::string>& designations) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read gateway policy ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return Parse(buffer.str(), path, designations);
}

absl::StatusOr<std::shared_ptr<const MethodPolicy>> MethodPolicy::Parse(
    const std::string& text, const std::string& path,
    const std::vector<std::string>& designations) {
  v1::GatewayPolicy proto;
  TextFormat::Parser parser;
  Collector errors;
  TextFormat::ParseInfoTree tree;
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&tree);
  if (!parser.ParseFromString(text, &proto))
    return absl::InvalidArgumentError(
        absl::StrCat("invalid gateway policy ", path, ":", absl::StrJoin(errors.errors, "; ")));
  SuiteServices();
  auto policy = std::shared_ptr<MethodPolicy>(new MethodPolicy());
  const auto* rules_field = v1::GatewayPolicy::descriptor()->FindFieldByName("rules");
  for (int i = 0; i < proto.rules_size(); ++i) {
    const auto& rule = proto.rules(i);
    const int line = tree.GetLocation(rules_field, i).line + 1;
    // The health service's descriptors are not in the generated pool; its two
    // methods are known by name, so a misspelt one is still an error.
    const bool is_health = rule.method() == "/grpc.health.v1.Health/Check" ||
                           rule.method() == "/grpc.health.v1.Health/Watch";
    if (!is_health && FindMethod(rule.method()) == nullptr)
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", line, ": method \"", rule.method(), "\" is not a method of the suite"));
    if (rule.allowed_roles().empty() && !rule.allow_unauthenticated())
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", line, ": rule for ", rule.method(), " allows no role"));
    const auto& open = UnauthenticatedMethods();
    if (rule.allow_unauthenticated() &&
        std::find(open.begin(), open.end(), rule.method()) == open.end())
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", line, ": rule for ", rule.method(),
          " may not allow_unauthenticated: it writes or returns personal data (only ",
          absl::StrJoin(open, ", "), " may be called without a token)"));
    for (const auto& role : rule.allowed_roles())
      if (!KnownRole(role, designations))
        return absl::InvalidArgumentError(absl::StrCat(
            path, ":", line, ": rule for ", rule.method(), ": role \"", role,
            "\" is not a role the suite gives (\"authenticated\", ",
            absl::StrJoin(council::SuiteRoles(), ", "),
            ", or a designation of the council profile)"));
    if (!policy->rules_.emplace(rule.method(), rule).second)
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line, ": second rule for ", rule.method()));
  }
  if (auto s = LoadServiceAccounts(proto, tree, path, &policy->accounts_); !s.ok()) return s;
  return std::shared_ptr<const MethodPolicy>(std::move(policy));
}

const v1::ServiceAccount* MethodPolicy::ServiceAccountFor(absl::string_view identity) const {
  auto it = accounts_.find(identity);
  return it == accounts_.end() ? nullptr : &it->second;
}

bool MethodPolicy::Known(absl::string_view method) const { return rules_.contains(method); }

bool MethodPolicy::AllowsUnauthenticated(absl::string_view method) const {
  auto it = rules_.find(method);
  return it != rules_.end() && it->second.allow_unauthenticated();
}

bool MethodPolicy::Allows(absl::string_view method, const std::vector<std::string>& roles) const {
  auto it = rules_.find(method);
  if (it == rules_.end()) return false;
  for (const auto& allowed : it->second.allowed_roles()) {
    if (allowed == "authenticated") return true;
    for (const auto& role : roles)
      if (role == allowed) return true;
  }
  return false;
}

std::vector<std::string> MethodPolicy::UncoveredMethods() const {
  std::vector<std::string> uncovered;
  for (const auto& service_name : SuiteServices()) {
    const auto* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service_name);
    if (service == nullptr) continue;
    for (int i = 0; i < service->method_count(); ++i) {
      std::string method = absl::StrCat("/", service_name, "/", service->method(i)->name());
      if (!rules_.contains(method)) uncovered.push_back(method);
    }
  }
  return uncovered;
}

}  // namespace council::gateway
