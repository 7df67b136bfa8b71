#include "common/server/bounded_status_interceptor.h"

#include "common/errors/bounded_status.h"

namespace council {
namespace {

class BoundedStatusInterceptor final : public grpc::experimental::Interceptor {
 public:
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      if (status.error_message().size() > kMaxErrorMessageBytes ||
          status.error_details().size() > kMaxErrorDetailsBytes)
        methods->ModifySendStatus(BoundStatus(status));
    }
    methods->Proceed();
  }
};

}  // namespace

grpc::experimental::Interceptor* BoundedStatusInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo*) {
  return new BoundedStatusInterceptor;
}

}  // namespace council
