#include "common/server/server_runner.h"

#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/server/flags.h"
#include "common/server/log.h"
#include "common/server/metrics_http.h"
#include "common/server/metrics_interceptor.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace council {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials() {
  const std::string cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  if (cert_file.empty()) return grpc::InsecureServerCredentials();
  auto cert = ReadFile(cert_file);
  if (!cert.ok()) return cert.status();
  auto key = ReadFile(absl::GetFlag(FLAGS_tls_key_file));
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions options;
  options.pem_key_cert_pairs.push_back({*key, *cert});
  return grpc::SslServerCredentials(options);
}

}  // namespace

ServerRunner::ServerRunner(std::string service_name) : service_name_(std::move(service_name)) {
  SetLogServiceName(service_name_);
}

ServerRunner::~ServerRunner() {
  if (server_) Shutdown(absl::Seconds(1));
}

void ServerRunner::AddService(grpc::Service* service) { services_.push_back(service); }

void ServerRunner::AddGenericService(grpc::CallbackGenericService* service) {
  generic_service_ = service;
}

absl::Status ServerRunner::Start(const std::string& address) {
  grpc::EnableDefaultHealthCheckService(true);
  auto credentials = ServerCredentials();
  if (!credentials.ok()) return credentials.status();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, *credentials, &port_);
  for (grpc::Service* service : services_) builder.RegisterService(service);
  if (generic_service_ != nullptr) builder.RegisterCallbackGenericService(generic_service_);
  // Refuse oversized messages early; imports are chunked well below this.
  builder.SetMaxReceiveMessageSize(max_receive_bytes_);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<MetricsInterceptorFactory>());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0)
    return absl::UnavailableError(absl::StrCat("cannot listen on ", address));
  server_->GetHealthCheckService()->SetServingStatus(true);
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
  return absl::OkStatus();
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
    if (on_reload) on_reload();
  }
  LogInfo("shutting_down", {{"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"}});
  Shutdown(grace);
}

void ServerRunner::Shutdown(absl::Duration grace) {
  if (!server_) return;
  server_->GetHealthCheckService()->SetServingStatus(false);
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  server_->Wait();
  server_.reset();
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
