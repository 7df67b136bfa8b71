#include "tools/councilctl/gateway_client.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors/grpc_errors.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "tools/councilctl/output.h"

namespace council::ctl {

std::string Env(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

std::string ReadTrimmed(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string s = buffer.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

int Usage(const std::string& message) { return PrintUsageError(message, JsonOutput()); }

namespace {

[[noreturn]] void ExitWithUsage(const std::string& message) {
  std::exit(Usage(absl::StrCat("councilctl: ", message)));
}

// The whole PEM file named by option --`option`, or exits naming it.
std::string ReadPem(const std::string& path, const char* option) {
  std::ifstream in(path);
  if (!in) ExitWithUsage(absl::StrCat("--", option, ": cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Plaintext without --ca-file (a gateway on loopback or a private segment);
// TLS verified with that CA otherwise, presenting a service account's client
// certificate if --cert-file and --key-file are given.
std::shared_ptr<grpc::ChannelCredentials> Credentials(const Args& args) {
  const std::string ca_file = args.Get("ca-file", Env("COUNCIL_CA_FILE"));
  const std::string cert_file = args.Get("cert-file", Env("COUNCIL_CERT_FILE"));
  const std::string key_file = args.Get("key-file", Env("COUNCIL_KEY_FILE"));
  if (cert_file.empty() != key_file.empty())
    ExitWithUsage("--cert-file and --key-file (COUNCIL_CERT_FILE, COUNCIL_KEY_FILE) go together");
  if (ca_file.empty()) {
    if (!cert_file.empty())
      ExitWithUsage("--cert-file needs TLS: give the gateway's CA with --ca-file (COUNCIL_CA_FILE)");
    return grpc::InsecureChannelCredentials();
  }
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadPem(ca_file, "ca-file");
  if (!cert_file.empty()) {
    ssl.pem_cert_chain = ReadPem(cert_file, "cert-file");
    ssl.pem_private_key = ReadPem(key_file, "key-file");
  }
  return grpc::SslCredentials(ssl);
}

}  // namespace

GatewayClient::GatewayClient(const Args& args)
    : json_(args.Has("json")),
      channel_(grpc::CreateChannel(args.Get("gateway", Env("COUNCIL_GATEWAY", "127.0.0.1:7443")),
                                   Credentials(args))) {
  token_ = args.Get("token", Env("COUNCIL_TOKEN"));
  if (token_.empty() && args.Has("token-file")) token_ = ReadTrimmed(args.Get("token-file"));
}

void GatewayClient::Prepare(grpc::ClientContext* context, absl::Duration timeout) const {
  if (!token_.empty()) context->AddMetadata("authorization", "Bearer " + token_);
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
}

int GatewayClient::PrintError(const grpc::Status& status) const {
  return PrintStatusError(status, json_);
}

int GatewayClient::Print(const grpc::Status& status,
                         const google::protobuf::Message& message) const {
  if (!status.ok()) return PrintError(status);
  PrintMessage(message);
  return kExitOk;
}

void GatewayClient::PrintMessage(const google::protobuf::Message& message) const {
  if (json_)
    std::cout << MessageJson(message, /*one_line=*/watching_);
  else if (watching_)
    std::cout << FormatMessage(message) << "---\n";
  else
    std::cout << FormatMessage(message);
  std::cout << std::flush;
}

}  // namespace council::ctl
