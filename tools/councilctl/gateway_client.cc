#include "tools/councilctl/gateway_client.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/time/clock.h"
#include "common/errors/grpc_errors.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"

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

int Usage(const std::string& message) {
  std::cerr << message << "\n";
  return kUsageError;
}

GatewayClient::GatewayClient(const Args& args)
    : json_(args.Has("json")),
      channel_(grpc::CreateChannel(args.Get("gateway", Env("COUNCIL_GATEWAY", "127.0.0.1:7443")),
                                   grpc::InsecureChannelCredentials())) {
  token_ = args.Get("token", Env("COUNCIL_TOKEN"));
  if (token_.empty() && args.Has("token-file")) token_ = ReadTrimmed(args.Get("token-file"));
}

void GatewayClient::Prepare(grpc::ClientContext* context, absl::Duration timeout) const {
  if (!token_.empty()) context->AddMetadata("authorization", "Bearer " + token_);
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
}

int GatewayClient::PrintError(const grpc::Status& status) {
  std::cerr << "error: " << status.error_code() << " " << status.error_message() << "\n";
  for (const auto& v : FieldViolations(status)) std::cerr << "  field " << v << "\n";
  const std::string reason = ErrorInfoReason(status);
  if (!reason.empty()) std::cerr << "  reason " << reason << "\n";
  const std::string clause = ErrorInfoMetadata(status, "clause");
  if (!clause.empty()) std::cerr << "  clause " << clause << "\n";
  return 2;
}

int GatewayClient::Print(const grpc::Status& status,
                         const google::protobuf::Message& message) const {
  if (!status.ok()) return PrintError(status);
  PrintMessage(message);
  return 0;
}

void GatewayClient::PrintMessage(const google::protobuf::Message& message) const {
  std::string out;
  if (json_) {
    google::protobuf::util::JsonPrintOptions options;
    options.add_whitespace = !watching_;
    (void)google::protobuf::util::MessageToJsonString(message, &out, options);
    if (watching_) out += "\n";
  } else {
    google::protobuf::TextFormat::PrintToString(message, &out);
    if (watching_) out += "---\n";
    if (!watching_ && out.empty()) out = "(empty)\n";
  }
  std::cout << out << std::flush;
}

}  // namespace council::ctl
