// internal_channel.h — the channel one service of the suite uses to call
// another (gateway → backends, access/complaints → relations).
#ifndef COUNCIL_COMMON_SERVER_INTERNAL_CHANNEL_H_
#define COUNCIL_COMMON_SERVER_INTERNAL_CHANNEL_H_

#include <memory>
#include <string>

#include "grpcpp/channel.h"

namespace council {

// InternalChannel
//
// A channel to the sibling at `address` (host:port) that:
// - fails fast while the sibling is down and reconnects within about a second
//   when it returns (short reconnect backoff);
// - never retries by itself: every call carries a single-use internal
//   assertion, so a transparent retry would be refused as a replay, and a
//   retried write might be applied twice. Turning retries off also drops
//   gRPC's per-call retry buffering from every hop;
// - keeps no channelz records (per-call counters nobody reads here).
std::shared_ptr<grpc::Channel> InternalChannel(const std::string& address);

}  // namespace council

#endif  // COUNCIL_COMMON_SERVER_INTERNAL_CHANNEL_H_
