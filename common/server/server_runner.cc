#include "common/server/server_runner.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <sys/un.h>

#include "absl/flags/flag.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/server/flags.h"
#include "common/server/log.h"
#include "common/server/metrics_http.h"
#include "common/server/bounded_status_interceptor.h"
#include "common/server/metrics_interceptor.h"
#include "common/server/process_tuning.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace council {
namespace {

// Why no Unix socket can be bound at `path`, or OK. Checked first, since
// gRPC's own failure says only that the server did not start.
absl::Status CheckUnixSocketPath(const std::string& path) {
  if (path.size() >= sizeof(sockaddr_un::sun_path))
    return absl::InvalidArgumentError(
        absl::StrCat("--unix_socket: ", path, " is ", path.size(),
                     " bytes long; a socket path must be shorter than ",
                     sizeof(sockaddr_un::sun_path)));
  const std::filesystem::path directory = std::filesystem::path(path).parent_path();
  std::error_code error;
  if (!std::filesystem::is_directory(directory.empty() ? "." : directory, error))
    return absl::NotFoundError(absl::StrCat("--unix_socket: directory ", directory.string(),
                                            " does not exist"));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<TransportSecurity*> ServerRunner::LoadTransportSecurity() {
  if (security_ == nullptr) {
    auto loaded = TransportSecurity::FromFlags();
    if (!loaded.ok()) return loaded.status();
    security_ = *std::move(loaded);
  }
  return security_.get();
}

ServerRunner::ServerRunner(std::string service_name) : service_name_(std::move(service_name)) {
  TuneProcess();
  SetLogServiceName(service_name_);
  RouteProtobufLogs();
}

ServerRunner::~ServerRunner() {
  if (server_) Shutdown(absl::Seconds(1));
}

void ServerRunner::AddService(grpc::Service* service, std::string health_name) {
  services_.push_back(service);
  if (!health_name.empty()) health_names_.push_back(std::move(health_name));
}

void ServerRunner::AddAsyncGenericService(AsyncGenericDriver* driver, int threads) {
  generic_driver_ = driver;
  generic_thread_count_ = std::max(threads, 1);
}

absl::Status ServerRunner::Start(const std::string& address) {
  grpc::EnableDefaultHealthCheckService(generic_driver_ == nullptr);
  auto security = LoadTransportSecurity();
  if (!security.ok()) return security.status();
  auto credentials = (*security)->ServerCredentials(address, require_client_certificates_);
  if (!credentials.ok()) return credentials.status();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, *credentials, &port_);
  // A way in for siblings on the same host: plaintext like loopback, but
  // reachable only by accounts that may enter the socket's directory.
  // (A port that cannot be bound fails BuildAndStart as a whole.)
  const std::string unix_socket = absl::GetFlag(FLAGS_unix_socket);
  if (!unix_socket.empty()) {
    if (absl::Status usable = CheckUnixSocketPath(unix_socket); !usable.ok()) return usable;
    builder.AddListeningPort(absl::StrCat("unix:", unix_socket),
                             grpc::InsecureServerCredentials());
  }
  for (grpc::Service* service : services_) builder.RegisterService(service);
  if (generic_driver_ != nullptr) {
    builder.RegisterAsyncGenericService(generic_driver_->service());
    for (int i = 0; i < generic_thread_count_; ++i)
      generic_queues_.push_back(builder.AddCompletionQueue());
  }
  // Refuse oversized messages early; imports are chunked well below this.
  builder.SetMaxReceiveMessageSize(max_receive_bytes_);
  // Per-method metrics and bounded statuses; an async generic driver does
  // both itself (an interceptor costs every batch of every call a detour).
  if (generic_driver_ == nullptr) {
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        interceptors;
    interceptors.push_back(std::make_unique<MetricsInterceptorFactory>());
    interceptors.push_back(std::make_unique<BoundedStatusInterceptorFactory>());
    builder.experimental().SetInterceptorCreators(std::move(interceptors));
  }
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0)
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", address,
        unix_socket.empty() ? "" : absl::StrCat(" and on --unix_socket ", unix_socket)));
  for (auto& queue : generic_queues_) generic_driver_->Begin(queue.get());
  for (auto& queue : generic_queues_)
    serving_threads_.emplace_back(
        [driver = generic_driver_, queue = queue.get()] { driver->Serve(queue); });
  SetServingStatus(true);
  const std::string port_file = absl::GetFlag(FLAGS_port_file);
  if (!port_file.empty()) {
    // Write then rename, so a watcher never reads a half-written port.
    const std::string tmp = port_file + ".tmp";
    std::ofstream(tmp) << port_ << "\n";
    std::rename(tmp.c_str(), port_file.c_str());
  }
  if (const std::string metrics = absl::GetFlag(FLAGS_metrics_listen); !metrics.empty()) {
    metrics_http_ = std::make_unique<MetricsHttpServer>();
    auto metrics_port = metrics_http_->Start(metrics);
    if (!metrics_port.ok()) return metrics_port.status();
    metrics_port_ = *metrics_port;
    LogInfo("metrics_listening", {{"address", metrics}, {"port", std::to_string(metrics_port_)}});
  }
  LogInfo("listening", {{"address", address}, {"port", std::to_string(port_)}});
  if (!unix_socket.empty()) LogInfo("listening", {{"unix_socket", unix_socket}});
  return absl::OkStatus();
}

void ServerRunner::SetServingStatus(bool serving) {
  // Absent when an async generic driver answers health checks itself.
  auto* health = server_->GetHealthCheckService();
  if (health == nullptr) return;
  // The names first: gRPC's service answers NOT_FOUND for a name it was never
  // given, and the overall call below then sets every name it knows.
  for (const std::string& name : health_names_) health->SetServingStatus(name, serving);
  health->SetServingStatus(serving);
}

void ServerRunner::WaitForShutdownSignal(absl::Duration grace,
                                         std::function<void()> on_reload) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  int received = 0;
  while (true) {
    sigwait(&signals, &received);
    if (received != SIGHUP) break;
    LogInfo("reload_requested", {{"signal", "SIGHUP"}});
    if (security_ != nullptr) security_->Reload().IgnoreError();  // logged by Reload
    if (on_reload) on_reload();
  }
  LogInfo("shutting_down", {{"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"}});
  Shutdown(grace);
}

namespace {
std::atomic<bool> draining{false};
}  // namespace

bool Draining() { return draining.load(std::memory_order_relaxed); }

void ServerRunner::Shutdown(absl::Duration grace) {
  if (!server_) return;
  draining.store(true, std::memory_order_relaxed);
  SetServingStatus(false);
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  server_->Wait();
  // Only now, with no call left to serve, may the async queues shut down.
  if (generic_driver_ != nullptr) generic_driver_->StopOwnOperations();
  for (auto& queue : generic_queues_) queue->Shutdown();
  for (auto& thread : serving_threads_) thread.join();
  serving_threads_.clear();
  server_.reset();
  generic_queues_.clear();
  LogInfo("stopped");
}

void BlockShutdownSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

int ExitWithError(absl::string_view what, const absl::Status& status) {
  LogError("startup_failed", {{"what", std::string(what)}, {"error", status.ToString()}});
  std::cerr << what << ": " << status.message() << "\n";
  return 1;
}

}  // namespace council
