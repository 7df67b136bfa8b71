// bounded_status_interceptor.h — every status a backend sends passes through
// BoundStatus (common/errors/bounded_status.h); installed on every server by
// ServerRunner.
//
// Handlers should not echo long input in the first place; this is the net
// under the ones that do, so that no answer can exceed the caller's metadata
// limit and break its channel (a 100 KB name echoed by relations-service once
// tore down the gateway's channel to it).
#ifndef COUNCIL_COMMON_SERVER_BOUNDED_STATUS_INTERCEPTOR_H_
#define COUNCIL_COMMON_SERVER_BOUNDED_STATUS_INTERCEPTOR_H_

#include "grpcpp/support/server_interceptor.h"

namespace council {

class BoundedStatusInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace council

#endif  // COUNCIL_COMMON_SERVER_BOUNDED_STATUS_INTERCEPTOR_H_
