// access-service: members' access to council documents, decided by the
// council's protocol.
#include <cstdlib>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "access-service/access_server.h"
#include "access-service/access_store.h"
#include "common/audit/service_audit.h"
#include "common/profile/profile_loader.h"
#include "common/reflection/enable_reflection.h"
#include "common/server/flags.h"
#include "common/server/flags_usage.h"
#include "common/server/internal_channel.h"
#include "common/server/sql_gauges.h"
#include "common/server/server_runner.h"
#include "common/util/resource_names.h"
#include "grpcpp/create_channel.h"

ABSL_FLAG(absl::Duration, requester_facts_ttl, absl::Seconds(2),
          "How long facts about a requester from relations-service (seats, portfolios, "
          "interests) are reused; 0 asks on every request.");
ABSL_FLAG(std::string, today_override, "",
          "Tests and demos only: decide as if today were this date (YYYY-MM-DD). If empty, the "
          "environment variable COUNCIL_TODAY_OVERRIDE is read; if that is empty too, today "
          "in Europe/London.");

int main(int argc, char** argv) {
  council::ConfigureFlagsUsage("access-service");
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
  // Before the store opens: the audit chain key must be in place before any append.
  auto audit = council::audit::ServiceAudit::FromFlags("access-service");
  if (!audit.ok()) return council::ExitWithError("audit flags", audit.status());
  if (absl::GetFlag(FLAGS_relations_address).empty())
    return council::ExitWithError("--relations_address", absl::InvalidArgumentError("required"));
  // TLS files, and plaintext only on loopback: checked before --check_config exits.
  runner.RequireClientCertificates();
  auto security = runner.LoadTransportSecurity();
  if (!security.ok()) return council::ExitWithError("TLS flags", security.status());
  if (auto listen = (*security)->ServerCredentials(absl::GetFlag(FLAGS_listen), true);
      !listen.ok())
    return council::ExitWithError("TLS flags", listen.status());
  auto relations = council::InternalChannel(
      "--relations_address", absl::GetFlag(FLAGS_relations_address), **security);
  if (!relations.ok()) return council::ExitWithError("TLS flags", relations.status());
  council::access::AccessServerOptions options;
  options.requester_facts_ttl = absl::GetFlag(FLAGS_requester_facts_ttl);
  std::string today = absl::GetFlag(FLAGS_today_override);
  if (today.empty() && std::getenv("COUNCIL_TODAY_OVERRIDE") != nullptr)
    today = std::getenv("COUNCIL_TODAY_OVERRIDE");
  if (!today.empty()) {
    absl::CivilDay day;
    if (!council::ParseDay(today, &day))
      return council::ExitWithError("--today_override",
                                    absl::InvalidArgumentError("must be YYYY-MM-DD"));
    options.today = day;
  }
  auto store = council::access::AccessStore::Open(absl::GetFlag(FLAGS_database));
  if (store.ok()) {
    // Decisions by outcome, for monitoring (--metrics_listen).
    auto gauges = council::SqlGauges::Open(absl::GetFlag(FLAGS_database));
    if (gauges.ok()) {
      for (const auto& [outcome, number] : std::vector<std::pair<std::string, int>>{
               {"granted", 1}, {"refused", 2}, {"needs_justification", 3}, {"referred", 4},
               {"handled_as_foi", 5}})
        (*gauges)->Register(
            "council_access_decisions_" + outcome,
            "Access requests whose current decision is " + outcome + ".",
            "SELECT COUNT(*) FROM access_request_index WHERE outcome = " + std::to_string(number));
      (*gauges)->Register("council_access_disputes_open", "Disputes awaiting a decision.",
                          "SELECT COUNT(*) FROM access_request_index WHERE dispute_open != 0");
    }
  }
  if (!store.ok()) return council::ExitWithError("--database", store.status());
  auto service = council::access::AccessServer::Create(
      store->get(), *profile, *relations, std::move(*key), options);
  if (!service.ok()) return council::ExitWithError("--profile", service.status());
  if (absl::GetFlag(FLAGS_check_config)) {
    std::cout << "access-service: configuration OK (profile " << (*profile)->id() << ")\n";
    return 0;
  }
  if (auto s = (*audit)->Start(absl::GetFlag(FLAGS_database)); !s.ok())
    return council::ExitWithError("audit flags", s);
  council::EnableServerReflection();
  runner.AddService(service->get(), council::access::v1::AccessService::service_full_name());
  if (auto s = runner.Start(absl::GetFlag(FLAGS_listen)); !s.ok())
    return council::ExitWithError("--listen", s);
  runner.WaitForShutdownSignal();
  (*audit)->Stop();  // the shutdown checkpoint, after the last call
  return 0;
}
