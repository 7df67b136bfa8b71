// council_client.h — what an internal tool links to call the suite: a channel
// to the gateway that attaches the caller's bearer token to every call and
// retries the calls that are safe to retry.
//
//   council::client::GatewayOptions options;
//   options.address = "gateway.council.internal:7443";
//   options.token_file = "/etc/council/tools/token";   // re-read on each call
//   options.ca_cert_file = "/etc/council/tls/ca.pem";  // TLS; empty = loopback plaintext
//   auto channel = council::client::ConnectToGateway(options);
//   auto relations = council::relations::v1::RelationsService::NewStub(*channel);
//
// A service account (an integration such as the nightly HR sync, listed in
// the gateway policy's service_accounts) authenticates with a client
// certificate instead of a token (mTLS):
//
//   options.ca_cert_file = "/etc/council/tls/ca.pem";
//   options.client_cert_file = "/etc/council/hr-sync/client.crt";  // PEM chain
//   options.client_key_file = "/etc/council/hr-sync/client.key";   // its key
//   // no token: the gateway calls as services/hr-sync with that account's roles
//
// A token, if also given, takes precedence at the gateway.
//
// Retries: UNAVAILABLE on the read-only methods (Get*, List*, Check*, Explain*)
// is retried up to `max_attempts` with exponential backoff; writes are never
// retried automatically (a timed-out write may have been applied).
#ifndef COUNCIL_CLIENT_COUNCIL_CLIENT_H_
#define COUNCIL_CLIENT_COUNCIL_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"

namespace council::client {

struct GatewayOptions {
  // host:port of the gateway. Required.
  std::string address;
  // The bearer token, or...
  std::string token;
  // ...a file holding it, read on every call so a renewed token is picked up.
  // One of the two is required unless a client certificate is given.
  std::string token_file;
  // PEM CA certificate(s) to verify the gateway's TLS certificate; empty
  // means plaintext, for loopback only.
  std::string ca_cert_file;
  // A service account's PEM client certificate (chain) and its PEM private
  // key, for mTLS: both or neither, and only with `ca_cert_file`. Read once,
  // when connecting; connect again after renewing them.
  std::string client_cert_file;
  std::string client_key_file;
  // Attempts for retryable calls (1 disables retries).
  int max_attempts = 3;
};

// ConnectToGateway
//
// Returns a channel for the suite's typed stubs. INVALID_ARGUMENT if the
// options are incomplete (no address; neither token, token_file nor client
// certificate; only one of client_cert_file and client_key_file; a client
// certificate without ca_cert_file); NOT_FOUND if a file cannot be read.
absl::StatusOr<std::shared_ptr<grpc::Channel>> ConnectToGateway(const GatewayOptions& options);

// RetryServiceConfig
//
// The gRPC service config (JSON) with the retry policy described above.
std::string RetryServiceConfig(int max_attempts);

}  // namespace council::client

#endif  // COUNCIL_CLIENT_COUNCIL_CLIENT_H_
