// gateway_client.h — the gateway connection and output conventions every
// councilctl command shares: address, TLS and credentials (a person's token,
// or a service account's client certificate) from flags or environment,
// deadlines, readable output by default and --json for scripts, and errors
// printed with the field, reason and clause from the status details.
#ifndef COUNCIL_TOOLS_COUNCILCTL_GATEWAY_CLIENT_H_
#define COUNCIL_TOOLS_COUNCILCTL_GATEWAY_CLIENT_H_

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"
#include "tools/councilctl/cli_args.h"
#include "tools/councilctl/exit_codes.h"

namespace council::ctl {

// Env
//
// The environment variable `name`, or `fallback` if unset or empty.
std::string Env(const char* name, const std::string& fallback = "");

// ReadTrimmed
//
// The file's contents without trailing spaces and newlines ("" if unreadable).
std::string ReadTrimmed(const std::string& path);

// Usage
//
// Prints `message` (on stderr, or as a JSON error on stdout with --json) and
// returns kUsageError.
int Usage(const std::string& message);

class GatewayClient {
 public:
  // Reads --gateway (COUNCIL_GATEWAY, default 127.0.0.1:7443), --token
  // (COUNCIL_TOKEN) or --token-file, --json, and for TLS --ca-file
  // (COUNCIL_CA_FILE: PEM CA that signed the gateway's certificate; plaintext
  // if unset) with, for a service account (mTLS), --cert-file
  // (COUNCIL_CERT_FILE) and --key-file (COUNCIL_KEY_FILE): its PEM client
  // certificate and key, used instead of a token. A token, if given too, is
  // sent and takes precedence at the gateway. Exits the process with
  // kUsageError and a message naming the option if a file cannot be read or
  // the options do not fit together (only one of --cert-file and --key-file,
  // or either without --ca-file).
  explicit GatewayClient(const Args& args);

  // Prepare
  //
  // Adds the bearer token and a deadline `timeout` from now.
  void Prepare(grpc::ClientContext* context, absl::Duration timeout = absl::Seconds(60)) const;

  // PrintError
  //
  // Prints a failed status (tools/councilctl/output.h: its code by name,
  // field violations, reason and clause; JSON with --json); returns its exit
  // code (tools/councilctl/exit_codes.h).
  int PrintError(const grpc::Status& status) const;

  // Print
  //
  // PrintError for a failed status, else PrintMessage; returns the exit code.
  int Print(const grpc::Status& status, const google::protobuf::Message& message) const;

  // PrintMessage
  //
  // Prints `message` as text (a list as a table), or JSON with --json (one
  // line per message when watching a stream).
  void PrintMessage(const google::protobuf::Message& message) const;

  void set_watching() { watching_ = true; }
  bool json() const { return json_; }
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }

 private:
  bool json_;
  bool watching_ = false;
  std::shared_ptr<grpc::Channel> channel_;
  std::string token_;
};

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_GATEWAY_CLIENT_H_
