#include "common/reflection/enable_reflection.h"

#include "grpcpp/ext/proto_server_reflection_plugin.h"

namespace council {

void EnableServerReflection() { grpc::reflection::InitProtoReflectionServerBuilderPlugin(); }

}  // namespace council
