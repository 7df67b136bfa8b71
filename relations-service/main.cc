// relations-service: the council's directory, declarations and conflict checks.
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "common/audit/service_audit.h"
#include "common/profile/profile_loader.h"
#include "common/reflection/enable_reflection.h"
#include "common/server/flags.h"
#include "common/server/flags_usage.h"
#include "common/server/log.h"
#include "common/server/metrics.h"
#include "common/server/server_runner.h"
#include "common/util/resource_names.h"
#include "relations-service/relations_server.h"
#include "relations-service/relations_store.h"

ABSL_FLAG(std::string, bootstrap_administrator, "",
          "If set, an id such as \"it-admin\": creates that person as an administrator "
          "officer at start when absent, so a new installation can be loaded.");

namespace {

// EnsureBootstrapAdministrator creates the first administrator, audited as the
// system, so the HR import (which needs an administrator) can run at all.
absl::Status EnsureBootstrapAdministrator(council::relations::RelationsStore& store,
                                          const std::string& id) {
  if (id.empty()) return absl::OkStatus();
  if (!council::IsValidId(id))
    return absl::InvalidArgumentError("--bootstrap_administrator must be a valid id");
  council::relations::Person person;
  auto found = store.GetPerson(id, &person);
  if (!found.ok() || *found) return found.status();
  person.set_name(absl::StrCat("people/", id));
  person.set_display_name("IT administrator (bootstrap)");
  person.set_kind(council::relations::v1::PERSON_KIND_OFFICER);
  *person.mutable_start_date() = council::ToProtoDate(council::TodayInLondon());
  person.add_system_roles("administrator");
  return store.Insert(council::relations::Kind::kPeople, person.name(), person,
                      {"system/bootstrap", "CreatePerson", "bootstrap administrator"});
}

}  // namespace

int main(int argc, char** argv) {
  council::ConfigureFlagsUsage("relations-service");
  absl::SetProgramUsageMessage(
      "relations-service --listen=HOST:PORT --database=FILE --profile=FILE "
      "--internal_key_file=FILE");
  absl::ParseCommandLine(argc, argv);
  council::BlockShutdownSignals();
  council::ServerRunner runner("relations-service");

  auto profile = council::LoadProfile(absl::GetFlag(FLAGS_profile));
  if (!profile.ok()) return council::ExitWithError("--profile", profile.status());
  auto key = council::auth::AssertionKey::FromFile(absl::GetFlag(FLAGS_internal_key_file));
  if (!key.ok()) return council::ExitWithError("--internal_key_file", key.status());
  // Before the store opens: the audit chain key must be in place before any append.
  auto audit = council::audit::ServiceAudit::FromFlags("relations-service");
  if (!audit.ok()) return council::ExitWithError("audit flags", audit.status());
  auto store = council::relations::RelationsStore::Open(absl::GetFlag(FLAGS_database));
  if (!store.ok()) return council::ExitWithError("--database", store.status());
  // TLS files, and plaintext only on loopback: checked before --check_config exits.
  runner.RequireClientCertificates();
  auto security = runner.LoadTransportSecurity();
  if (!security.ok()) return council::ExitWithError("TLS flags", security.status());
  if (auto listen = (*security)->ServerCredentials(absl::GetFlag(FLAGS_listen), true);
      !listen.ok())
    return council::ExitWithError("TLS flags", listen.status());
  if (absl::GetFlag(FLAGS_check_config)) {
    std::cout << "relations-service: configuration OK\n";
    return 0;
  }
  if (auto s = (*audit)->Start(absl::GetFlag(FLAGS_database)); !s.ok())
    return council::ExitWithError("audit flags", s);
  if (auto s = EnsureBootstrapAdministrator(**store, absl::GetFlag(FLAGS_bootstrap_administrator));
      !s.ok())
    return council::ExitWithError("--bootstrap_administrator", s);

  council::relations::RelationsServer service(store->get(), *profile, std::move(*key));
  auto* relations_store = store->get();
  council::Metrics::Global().RegisterGauge(
      "council_relations_people", "People in the directory (current and former).",
      [relations_store] { return static_cast<double>(relations_store->Snapshot()->people.size()); });
  council::Metrics::Global().RegisterGauge(
      "council_relations_relationships", "Declared member-officer relationships (all revisions' latest).",
      [relations_store] {
        return static_cast<double>(relations_store->Snapshot()->relationships.size());
      });
  council::EnableServerReflection();
  runner.AddService(&service, council::relations::v1::RelationsService::service_full_name());
  if (auto s = runner.Start(absl::GetFlag(FLAGS_listen)); !s.ok())
    return council::ExitWithError("--listen", s);
  runner.WaitForShutdownSignal();
  (*audit)->Stop();  // the shutdown checkpoint, after the last call
  return 0;
}
