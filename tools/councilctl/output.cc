#include "tools/councilctl/output.h"

#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/errors/grpc_errors.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/status.pb.h"
#include "tools/councilctl/output_table.h"

namespace council::ctl {

std::string ErrorJson(const grpc::Status& status) {
  google::rpc::Status rpc;
  // The details the service sent, if any; the code and message in any case.
  if (!status.error_details().empty()) (void)rpc.ParseFromString(status.error_details());
  rpc.set_code(static_cast<int>(status.error_code()));
  rpc.set_message(status.error_message());
  std::string body;
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  if (!google::protobuf::util::MessageToJsonString(rpc, &body, options).ok()) {
    // A detail of a type this binary does not know: drop the details.
    rpc.clear_details();
    (void)google::protobuf::util::MessageToJsonString(rpc, &body, options);
  }
  // {"code":5,...} -> {"error":{"status":"NOT_FOUND","code":5,...}}
  return absl::StrCat("{\"error\":{\"status\":\"", StatusCodeName(status.error_code()), "\",",
                      body.substr(1), "}");
}

std::string ErrorText(const grpc::Status& status) {
  std::string out = absl::StrCat("error: ", StatusCodeName(status.error_code()), ": ",
                                 status.error_message(), "\n");
  for (const auto& violation : FieldViolations(status)) absl::StrAppend(&out, "  field ", violation, "\n");
  if (const std::string reason = ErrorInfoReason(status); !reason.empty())
    absl::StrAppend(&out, "  reason ", reason, "\n");
  if (const std::string clause = ErrorInfoMetadata(status, "clause"); !clause.empty())
    absl::StrAppend(&out, "  clause ", clause, "\n");
  return out;
}

int PrintStatusError(const grpc::Status& status, bool json) {
  if (json)
    std::cout << ErrorJson(status) << "\n" << std::flush;
  else
    std::cerr << ErrorText(status);
  return ExitCodeFor(status.error_code());
}

int PrintUsageError(const std::string& text, bool json) {
  if (json)
    std::cout << ErrorJson(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                        text.substr(0, text.find('\n'))))
              << "\n"
              << std::flush;
  else
    std::cerr << text << (absl::EndsWith(text, "\n") ? "" : "\n");
  return kUsageError;
}

namespace {
bool json_output = false;
}  // namespace

void SetJsonOutput(bool json) { json_output = json; }
bool JsonOutput() { return json_output; }

std::string FormatMessage(const google::protobuf::Message& message) {
  if (std::string table; FormatListAsTable(message, &table)) return table;
  std::string out;
  google::protobuf::TextFormat::PrintToString(message, &out);
  return out.empty() ? "(empty)\n" : out;
}

std::string MessageJson(const google::protobuf::Message& message, bool one_line) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = !one_line;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  if (out.empty() || out.back() != '\n') out += "\n";
  return out;
}

}  // namespace council::ctl
