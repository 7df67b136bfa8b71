// access-service: members' access to council documents, decided by the
// council's protocol.
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "access-service/access_server.h"
#include "access-service/access_store.h"
#include "common/profile/profile_loader.h"
#include "common/server/flags.h"
#include "common/server/server_runner.h"
#include "grpcpp/create_channel.h"

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "access-service --listen=HOST:PORT --database=FILE --profile=FILE "
      "--internal_key_file=FILE --relations_address=HOST:PORT");
  absl::ParseCommandLine(argc, argv);
  council::BlockShutdownSignals();
  council::ServerRunner runner("access-service");

  auto profile = council::LoadProfile(absl::GetFlag(FLAGS_profile));
  if (!profile.ok()) return council::ExitWithError("--profile", profile.status());
  auto key = council::auth::AssertionKey::FromFile(absl::GetFlag(FLAGS_internal_key_file));
  if (!key.ok()) return council::ExitWithError("--internal_key_file", key.status());
  if (absl::GetFlag(FLAGS_relations_address).empty())
    return council::ExitWithError("--relations_address", absl::InvalidArgumentError("required"));
  auto store = council::access::AccessStore::Open(absl::GetFlag(FLAGS_database));
  if (!store.ok()) return council::ExitWithError("--database", store.status());
  if (absl::GetFlag(FLAGS_check_config)) {
    std::cout << "access-service: configuration OK (profile " << (*profile)->id() << ")\n";
    return 0;
  }

  council::access::AccessServer service(
      store->get(), *profile,
      grpc::CreateChannel(absl::GetFlag(FLAGS_relations_address),
                          grpc::InsecureChannelCredentials()),
      std::move(*key));
  runner.AddService(&service);
  if (auto s = runner.Start(absl::GetFlag(FLAGS_listen)); !s.ok())
    return council::ExitWithError("--listen", s);
  runner.WaitForShutdownSignal();
  return 0;
}
