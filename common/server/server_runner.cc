#include "common/server/server_runner.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <sys/un.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

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

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Counts the PEM certificates in `pem` (0 if it holds none or is not PEM).
int CountPemCertificates(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return 0;
  int count = 0;
  while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
    X509_free(cert);
    ++count;
  }
  BIO_free(bio);
  ERR_clear_error();  // the read that ends the loop leaves "no start line" queued
  return count;
}

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

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFromFlags() {
  const std::string cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  const std::string key_file = absl::GetFlag(FLAGS_tls_key_file);
  const std::string client_ca_file = absl::GetFlag(FLAGS_tls_client_ca_file);
  if (cert_file.empty()) {
    if (!client_ca_file.empty())
      return absl::InvalidArgumentError(
          "--tls_client_ca_file is set but --tls_cert_file is not: client certificates are "
          "only asked for over TLS; set --tls_cert_file and --tls_key_file too");
    if (!key_file.empty())
      return absl::InvalidArgumentError(
          "--tls_key_file is set but --tls_cert_file is not; set both, or neither for "
          "plaintext");
    return grpc::InsecureServerCredentials();
  }
  if (key_file.empty())
    return absl::InvalidArgumentError("--tls_cert_file is set but --tls_key_file is not");
  auto cert = ReadFile(cert_file);
  if (!cert.ok())
    return absl::NotFoundError(absl::StrCat("--tls_cert_file: ", cert.status().message()));
  auto key = ReadFile(key_file);
  if (!key.ok())
    return absl::NotFoundError(absl::StrCat("--tls_key_file: ", key.status().message()));
  grpc::SslServerCredentialsOptions options;
  options.pem_key_cert_pairs.push_back({*key, *cert});
  if (!client_ca_file.empty()) {
    auto client_ca = ReadFile(client_ca_file);
    if (!client_ca.ok())
      return absl::NotFoundError(
          absl::StrCat("--tls_client_ca_file: ", client_ca.status().message()));
    if (CountPemCertificates(*client_ca) == 0)
      return absl::InvalidArgumentError(absl::StrCat(
          "--tls_client_ca_file: ", client_ca_file, " holds no PEM certificate"));
    // Ask for a certificate but do not require one: people connect without
    // and send a bearer token; a certificate that is sent must chain to this
    // CA, or the handshake fails.
    options.client_certificate_request = GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY;
    options.pem_root_certs = *client_ca;
  }
  return grpc::SslServerCredentials(options);
}

ServerRunner::ServerRunner(std::string service_name) : service_name_(std::move(service_name)) {
  TuneProcess();
  SetLogServiceName(service_name_);
  RouteProtobufLogs();
}

ServerRunner::~ServerRunner() {
  if (server_) Shutdown(absl::Seconds(1));
}

void ServerRunner::AddService(grpc::Service* service) { services_.push_back(service); }

void ServerRunner::AddAsyncGenericService(AsyncGenericDriver* driver, int threads) {
  generic_driver_ = driver;
  generic_thread_count_ = std::max(threads, 1);
}

absl::Status ServerRunner::Start(const std::string& address) {
  grpc::EnableDefaultHealthCheckService(generic_driver_ == nullptr);
  auto credentials = ServerCredentialsFromFlags();
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
  if (auto* health = server_->GetHealthCheckService()) health->SetServingStatus(serving);
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
