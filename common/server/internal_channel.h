// internal_channel.h — the channel one service of the suite uses to call
// another (gateway → backends, access/complaints → relations).
#ifndef COUNCIL_COMMON_SERVER_INTERNAL_CHANNEL_H_
#define COUNCIL_COMMON_SERVER_INTERNAL_CHANNEL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/server/transport_security.h"
#include "grpcpp/channel.h"

namespace council {

// InternalChannel
//
// A channel to the sibling at `address` (host:port or unix:PATH, given by
// the flag `flag`), secured as `security` says (TLS with a client
// certificate when --internal_tls_ca_file is set; plaintext only to loopback
// and unix sockets, else INVALID_ARGUMENT naming the flag), that:
// - fails fast while the sibling is down and reconnects within about a second
//   when it returns (short reconnect backoff);
// - never retries by itself: every call carries a single-use internal
//   assertion, so a transparent retry would be refused as a replay, and a
//   retried write might be applied twice. Turning retries off also drops
//   gRPC's per-call retry buffering from every hop;
// - keeps no channelz records (per-call counters nobody reads here).
absl::StatusOr<std::shared_ptr<grpc::Channel>> InternalChannel(
    const std::string& flag, const std::string& address, const TransportSecurity& security);

}  // namespace council

#endif  // COUNCIL_COMMON_SERVER_INTERNAL_CHANNEL_H_
