#include "common/server/internal_channel.h"

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace council {

absl::StatusOr<std::shared_ptr<grpc::Channel>> InternalChannel(
    const std::string& flag, const std::string& address, const TransportSecurity& security) {
  auto credentials = security.ChannelCredentials(flag, address);
  if (!credentials.ok()) return credentials.status();
  grpc::ChannelArguments args;
  // A restarted service is reached again within a second. Not
  // GRPC_ARG_MIN_RECONNECT_BACKOFF_MS: gRPC 1.51 also takes it as the
  // connect timeout (subchannel.cc, ParseArgsForBackoffValues), and at 100 ms
  // a TLS handshake on a loaded host timed out, failing the first call to a
  // running service with UNAVAILABLE. Unset, a connect may take 20 s; calls
  // wait for it within their deadlines.
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
  args.SetInt(GRPC_ARG_ENABLE_CHANNELZ, 0);
  // The suite's services bound their statuses to about 5 KiB
  // (common/errors/bounded_status.h); room above that, so that one oversized
  // answer fails its own call rather than the stream it arrived on.
  args.SetInt(GRPC_ARG_MAX_METADATA_SIZE, 64 * 1024);
  return grpc::CreateCustomChannel(address, *credentials, args);
}

}  // namespace council
