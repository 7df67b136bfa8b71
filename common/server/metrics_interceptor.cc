#include "common/server/metrics_interceptor.h"

#include <string>

#include "absl/time/clock.h"
#include "common/server/metrics.h"

namespace council {
namespace {

class MetricsInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit MetricsInterceptor(grpc::experimental::ServerRpcInfo* info)
      : method_(info->method() != nullptr ? info->method() : "unknown"), start_(absl::Now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS))
      Metrics::Global().RecordCall(method_, methods->GetSendStatus().error_code(),
                                   absl::Now() - start_);
    methods->Proceed();
  }

 private:
  std::string method_;
  absl::Time start_;
};

}  // namespace

grpc::experimental::Interceptor* MetricsInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new MetricsInterceptor(info);
}

}  // namespace council
