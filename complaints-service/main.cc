// complaints-service: complaints between members and officers, routed and
// escalated by the council's protocol.
#include <signal.h>

#include <atomic>
#include <iostream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/synchronization/notification.h"
#include "common/audit/service_audit.h"
#include "common/profile/profile_loader.h"
#include "common/reflection/enable_reflection.h"
#include "common/server/flags.h"
#include "common/server/flags_usage.h"
#include "common/server/internal_channel.h"
#include "common/server/sql_gauges.h"
#include "common/util/resource_names.h"
#include "complaints-service/deadlines.h"
#include "common/server/log.h"
#include "common/server/metrics.h"
#include "common/server/server_runner.h"
#include "complaints-service/complaints_server.h"
#include "complaints-service/complaints_store.h"
#include "complaints-service/rules_check.h"
#include "complaints-service/workflow.h"
#include "grpcpp/create_channel.h"

ABSL_FLAG(int, sweep_interval_seconds, 60,
          "How often the background sweeper looks for due and missed steps; 0 disables it "
          "(RunSweep still works).");
ABSL_FLAG(int, max_watch_streams, 2000,
          "Open WatchComplaintEvents streams in all; more are refused with RESOURCE_EXHAUSTED.");
ABSL_FLAG(int, max_watch_streams_per_caller, 16,
          "Open WatchComplaintEvents streams per caller (person or service account); more are "
          "refused with RESOURCE_EXHAUSTED.");

int main(int argc, char** argv) {
  council::ConfigureFlagsUsage("complaints-service");
  absl::SetProgramUsageMessage(
      "complaints-service --listen=HOST:PORT --database=FILE --profile=FILE "
      "--internal_key_file=FILE --relations_address=HOST:PORT [--sweep_interval_seconds=N] "
      "[--max_watch_streams=N] [--max_watch_streams_per_caller=N]");
  absl::ParseCommandLine(argc, argv);
  council::BlockShutdownSignals();
  council::ServerRunner runner("complaints-service");

  auto profile = council::LoadProfile(absl::GetFlag(FLAGS_profile));
  if (!profile.ok()) return council::ExitWithError("--profile", profile.status());
  if (auto s = council::complaints::CheckComplaintRules(**profile, absl::GetFlag(FLAGS_profile));
      !s.ok())
    return council::ExitWithError("--profile", s);
  auto key = council::auth::AssertionKey::FromFile(absl::GetFlag(FLAGS_internal_key_file));
  if (!key.ok()) return council::ExitWithError("--internal_key_file", key.status());
  // Before the store opens: the audit chain key must be in place before any append.
  auto audit = council::audit::ServiceAudit::FromFlags("complaints-service");
  if (!audit.ok()) return council::ExitWithError("audit flags", audit.status());
  council::complaints::WatchLimits watch_limits;
  watch_limits.total = absl::GetFlag(FLAGS_max_watch_streams);
  watch_limits.per_caller = absl::GetFlag(FLAGS_max_watch_streams_per_caller);
  if (watch_limits.total < 1)
    return council::ExitWithError("--max_watch_streams",
                                  absl::InvalidArgumentError("must be at least 1"));
  if (watch_limits.per_caller < 1 || watch_limits.per_caller > watch_limits.total)
    return council::ExitWithError(
        "--max_watch_streams_per_caller",
        absl::InvalidArgumentError("must be at least 1 and at most --max_watch_streams"));
  if (absl::GetFlag(FLAGS_relations_address).empty())
    return council::ExitWithError("--relations_address", absl::InvalidArgumentError("required"));
  // TLS files, and plaintext only on loopback: checked before --check_config exits.
  runner.RequireClientCertificates();
  auto security = runner.LoadTransportSecurity();
  if (!security.ok()) return council::ExitWithError("TLS flags", security.status());
  if (auto listen = (*security)->ServerCredentials(absl::GetFlag(FLAGS_listen), true);
      !listen.ok())
    return council::ExitWithError("TLS flags", listen.status());
  auto channel = council::InternalChannel(
      "--relations_address", absl::GetFlag(FLAGS_relations_address), **security);
  if (!channel.ok()) return council::ExitWithError("TLS flags", channel.status());
  auto store = council::complaints::ComplaintsStore::Open(absl::GetFlag(FLAGS_database));
  if (store.ok()) {
    // The service's own figures for monitoring (--metrics_listen).
    auto gauges = council::SqlGauges::Open(absl::GetFlag(FLAGS_database));
    if (gauges.ok()) {
      (*gauges)->Register("council_complaints_open", "Open complaints.",
                          "SELECT COUNT(*) FROM complaint_state WHERE state = 1");
      (*gauges)->Register(
          "council_complaints_overdue_steps",
          "Steps (acknowledge, holding notice, respond, follow-up) past their due day and not done.",
          "SELECT COUNT(*) FROM complaint_steps WHERE notified < 2 AND due_day < ?",
          [] { return council::complaints::DayNumber(council::TodayInLondon()); });
    }
  }
  if (!store.ok()) return council::ExitWithError("--database", store.status());
  if (absl::GetFlag(FLAGS_check_config)) {
    std::cout << "complaints-service: configuration OK (profile " << (*profile)->id() << ")\n";
    return 0;
  }
  if (auto s = (*audit)->Start(absl::GetFlag(FLAGS_database)); !s.ok())
    return council::ExitWithError("audit flags", s);

  auto relations = council::relations::v1::RelationsService::NewStub(*channel);
  const council::auth::AssertionKey* key_ptr = &*key;
  council::complaints::ReferenceCache reference_cache;
  council::complaints::Workflow workflow(
      store->get(), *profile,
      [&relations, key_ptr, &reference_cache](const std::string& for_person) {
        return std::make_unique<council::complaints::RelationsDirectory>(
            relations.get(), key_ptr, for_person, &reference_cache);
      },
      council::complaints::Clock::System());

  // Deadlines computed under an older calendar (a new proclamation in this
  // binary, changed closure days in the profile) are recomputed and the
  // change recorded on each complaint.
  auto moved = workflow.RecomputeIfCalendarChanged();
  if (!moved.ok()) return council::ExitWithError("--database", moved.status());
  if (*moved > 0)
    council::LogInfo("deadlines_recomputed", {{"moved", std::to_string(*moved)}});

  council::complaints::ComplaintsServer service(&workflow, *key, watch_limits);
  // Read by the metrics endpoint, which may outlive `service` by a moment.
  council::Metrics::Global().RegisterGauge(
      "council_complaints_watch_streams", "Open WatchComplaintEvents streams.",
      [open = service.watch_hub().open_gauge()] {
        return static_cast<double>(open->load(std::memory_order_relaxed));
      });
  council::EnableServerReflection();
  runner.AddService(&service, council::complaints::v1::ComplaintsService::service_full_name());
  if (auto s = runner.Start(absl::GetFlag(FLAGS_listen)); !s.ok())
    return council::ExitWithError("--listen", s);

  absl::Notification stop_sweeper;
  std::thread sweeper;
  const int interval = absl::GetFlag(FLAGS_sweep_interval_seconds);
  if (interval > 0) {
    sweeper = std::thread([&] {
      while (!stop_sweeper.WaitForNotificationWithTimeout(absl::Seconds(interval))) {
        auto swept = workflow.Sweep(workflow.clock().today());
        if (!swept.ok())
          council::LogError("sweep_failed", {{"error", swept.status().ToString()}});
      }
    });
  }

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  int received = 0;
  sigwait(&signals, &received);
  council::LogInfo("shutting_down", {{"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"}});
  stop_sweeper.Notify();
  if (sweeper.joinable()) sweeper.join();
  service.Stop();  // watch streams end now rather than at the grace deadline
  runner.Shutdown(absl::Seconds(10));
  (*audit)->Stop();  // the shutdown checkpoint, after the sweeper and the last call
  return 0;
}
