#include "client/council_client.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/client_interceptor.h"

namespace council::client {
namespace {

std::string ReadTrimmed(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return std::string(absl::StripAsciiWhitespace(buffer.str()));
}

// The whole file, or NOT_FOUND naming the option `what`.
absl::StatusOr<std::string> ReadWhole(const std::string& path, absl::string_view what) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", what, " ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Adds "authorization: Bearer <token>" to each call. An interceptor rather
// than call credentials, because gRPC sends call credentials only over TLS and
// loopback deployments run plaintext.
class BearerInterceptor final : public grpc::experimental::Interceptor {
 public:
  BearerInterceptor(const GatewayOptions& options) : options_(options) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      // No token at all: a service account authenticated by its certificate.
      const std::string token = !options_.token.empty()    ? options_.token
                                : options_.token_file.empty() ? std::string()
                                                              : ReadTrimmed(options_.token_file);
      if (!token.empty())
        methods->GetSendInitialMetadata()->emplace("authorization", "Bearer " + token);
    }
    methods->Proceed();
  }

 private:
  const GatewayOptions& options_;
};

class BearerInterceptorFactory final
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit BearerInterceptorFactory(GatewayOptions options) : options_(std::move(options)) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo*) override {
    return new BearerInterceptor(options_);
  }

 private:
  const GatewayOptions options_;
};

}  // namespace

std::string RetryServiceConfig(int max_attempts) {
  if (max_attempts < 2) return "{}";
  const std::vector<std::string> services = {"council.relations.v1.RelationsService",
                                             "council.access.v1.AccessService",
                                             "council.complaints.v1.ComplaintsService"};
  std::vector<std::string> names;
  // Read-only methods by naming convention (AIP-131/132 and our checks).
  const std::vector<std::string> read_only = {
      "GetPerson", "ListPeople", "GetBody", "ListBodies", "ListMemberships", "GetPost",
      "ListPosts", "GetManagementChain", "GetDesignation", "GetActingHolder", "ListPartyGroups",
      "ListWards", "ListPortfolios", "GetRelationship", "ListRelationships", "GetRegister",
      "CheckConflict", "GetDocument", "ListDocuments", "GetAccessRequest", "GetComplaint"};
  for (const auto& service : services)
    for (const auto& method : read_only)
      names.push_back(absl::StrCat("{\"service\":\"", service, "\",\"method\":\"", method, "\"}"));
  return absl::StrCat(
      "{\"methodConfig\":[{\"name\":[", absl::StrJoin(names, ","),
      "],\"retryPolicy\":{\"maxAttempts\":", std::min(max_attempts, 5),
      ",\"initialBackoff\":\"0.1s\",\"maxBackoff\":\"2s\",\"backoffMultiplier\":2,"
      "\"retryableStatusCodes\":[\"UNAVAILABLE\"]}}]}");
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> ConnectToGateway(const GatewayOptions& options) {
  if (options.address.empty()) return absl::InvalidArgumentError("address: required");
  const bool client_certificate = !options.client_cert_file.empty();
  if (client_certificate != !options.client_key_file.empty())
    return absl::InvalidArgumentError(
        "client_cert_file and client_key_file: give both (mTLS) or neither");
  if (client_certificate && options.ca_cert_file.empty())
    return absl::InvalidArgumentError(
        "client_cert_file: a client certificate needs TLS, so ca_cert_file is required");
  if (options.token.empty() && options.token_file.empty() && !client_certificate)
    return absl::InvalidArgumentError(
        "token or token_file: one is required (or, for a service account, client_cert_file "
        "and client_key_file)");
  if (!options.token_file.empty() && !std::ifstream(options.token_file).good())
    return absl::NotFoundError(absl::StrCat("cannot read token_file ", options.token_file));
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (!options.ca_cert_file.empty()) {
    grpc::SslCredentialsOptions ssl;
    auto ca = ReadWhole(options.ca_cert_file, "ca_cert_file");
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *std::move(ca);
    if (client_certificate) {
      auto cert = ReadWhole(options.client_cert_file, "client_cert_file");
      if (!cert.ok()) return cert.status();
      auto key = ReadWhole(options.client_key_file, "client_key_file");
      if (!key.ok()) return key.status();
      ssl.pem_cert_chain = *std::move(cert);
      ssl.pem_private_key = *std::move(key);
    }
    credentials = grpc::SslCredentials(ssl);
  }
  grpc::ChannelArguments args;
  args.SetServiceConfigJSON(RetryServiceConfig(options.max_attempts));
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<BearerInterceptorFactory>(options));
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      options.address, credentials, args, std::move(interceptors));
}

}  // namespace council::client
