#include "gateway/service_accounts.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "grpc/grpc_security_constants.h"

namespace council::gateway {
namespace {

std::vector<std::string> Values(const grpc::AuthContext& context, const char* property) {
  std::vector<std::string> values;
  for (const grpc::string_ref& value : context.FindPropertyValues(property))
    if (value.size() > 0) values.emplace_back(value.data(), value.size());
  return values;
}

}  // namespace

std::vector<std::string> CertificateIdentities(const grpc::AuthContext* context) {
  if (context == nullptr) return {};
  std::vector<std::string> identities = Values(*context, GRPC_X509_SAN_PROPERTY_NAME);
  if (identities.empty()) identities = Values(*context, GRPC_X509_CN_PROPERTY_NAME);
  return identities;
}

std::optional<absl::StatusOr<ResolvedCaller>> ServiceAccountCaller(
    const std::vector<std::string>& identities, const MethodPolicy& policy) {
  if (identities.empty()) return std::nullopt;
  const v1::ServiceAccount* found = nullptr;
  for (const std::string& identity : identities) {
    const v1::ServiceAccount* account = policy.ServiceAccountFor(identity);
    if (account == nullptr || account == found) continue;
    if (found != nullptr)
      return absl::StatusOr<ResolvedCaller>(absl::UnauthenticatedError(absl::StrCat(
          "the client certificate (", absl::StrJoin(identities, ", "),
          ") names two service accounts, ", found->name(), " and ", account->name(),
          "; issue one certificate per account")));
    found = account;
  }
  if (found == nullptr)
    return absl::StatusOr<ResolvedCaller>(absl::UnauthenticatedError(absl::StrCat(
        "the client certificate \"", absl::StrJoin(identities, "\", \""),
        "\" is not a registered service account (gateway policy service_accounts); people "
        "send \"authorization: Bearer <token>\"")));
  return absl::StatusOr<ResolvedCaller>(
      ResolvedCaller{found->name(), {found->roles().begin(), found->roles().end()}});
}

std::optional<absl::StatusOr<ResolvedCaller>> ServiceAccountCaller(
    const grpc::AuthContext* context, const MethodPolicy& policy) {
  return ServiceAccountCaller(CertificateIdentities(context), policy);
}

}  // namespace council::gateway
