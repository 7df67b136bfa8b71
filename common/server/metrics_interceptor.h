// metrics_interceptor.h — records every call's method, status and latency in
// Metrics::Global(); installed on every server by ServerRunner.
#ifndef COUNCIL_COMMON_SERVER_METRICS_INTERCEPTOR_H_
#define COUNCIL_COMMON_SERVER_METRICS_INTERCEPTOR_H_

#include "grpcpp/support/server_interceptor.h"

namespace council {

class MetricsInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace council

#endif  // COUNCIL_COMMON_SERVER_METRICS_INTERCEPTOR_H_
