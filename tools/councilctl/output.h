// output.h — how councilctl prints: responses as a person reads them (a
// table for a list, text format for one resource) or, with --json, as
// protobuf JSON; errors with the status code by name, the fields, reason and
// clause from the status details — or, with --json, as one JSON object on
// stdout in the shape of Google APIs' errors (AIP-193):
//
//   {"error": {"code": 5, "status": "NOT_FOUND", "message": "...",
//              "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", ...}]}}
//
// Every Print* returns the exit code (tools/councilctl/exit_codes.h).
#ifndef COUNCIL_TOOLS_COUNCILCTL_OUTPUT_H_
#define COUNCIL_TOOLS_COUNCILCTL_OUTPUT_H_

#include <ostream>
#include <string>

#include "google/protobuf/message.h"
#include "grpcpp/support/status.h"
#include "tools/councilctl/exit_codes.h"

namespace council::ctl {

// ErrorJson
//
// `status` as {"error": {...}} (above), on one line.
std::string ErrorJson(const grpc::Status& status);

// ErrorText
//
// `status` for a person: "error: NOT_FOUND: message", then a line per field
// violation, the reason and the clause.
std::string ErrorText(const grpc::Status& status);

// PrintStatusError
//
// Prints `status` (JSON on stdout, or text on stderr); returns its exit code.
int PrintStatusError(const grpc::Status& status, bool json);

// PrintUsageError
//
// Prints a command-line mistake (`text`, as the parser wrote it): on stderr,
// or with `json` as an INVALID_ARGUMENT error on stdout. Returns kUsageError.
int PrintUsageError(const std::string& text, bool json);

// SetJsonOutput / JsonOutput
//
// Whether this run prints JSON (--json): set once by main, read by Usage
// (gateway_client.h), so a command's own refusal of its arguments is JSON
// too.
void SetJsonOutput(bool json);
bool JsonOutput();

// FormatMessage
//
// `message` as text: a list response (List*Response with a repeated
// message field) as a table (tools/councilctl/output_table.h), anything else
// in protobuf text format; "(empty)" for an empty message.
std::string FormatMessage(const google::protobuf::Message& message);

// MessageJson
//
// `message` as protobuf JSON: indented, or one line (`one_line`, for a
// stream of them).
std::string MessageJson(const google::protobuf::Message& message, bool one_line);

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_OUTPUT_H_
