// server_runner.h — start-up and shut-down, the same for every binary.
//
// A thin main builds its services and hands them here:
//
//   ServerRunner runner("relations-service");
//   runner.AddService(&relations);
//   if (absl::Status s = runner.Start(absl::GetFlag(FLAGS_listen)); !s.ok()) return Fail(s);
//   runner.WaitForShutdownSignal();   // SIGTERM/SIGINT: finish in-flight calls
//
// Every server gets the gRPC health service (overall status "" and each named
// service's SERVING once started, NOT_SERVING while draining; Check and Watch); backends add server reflection with
// EnableServerReflection (common/reflection), the gateway does not.
#ifndef COUNCIL_COMMON_SERVER_SERVER_RUNNER_H_
#define COUNCIL_COMMON_SERVER_SERVER_RUNNER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "common/server/transport_security.h"

namespace council {

// AsyncGenericDriver
//
// An async generic service and what serves it (the gateway's forwarder), as
// ServerRunner starts and stops it.
class AsyncGenericDriver {
 public:
  virtual ~AsyncGenericDriver() = default;
  // The service to register: every method not otherwise registered.
  virtual grpc::AsyncGenericService* service() = 0;
  // Starts the driver's first operations on `cq` (asks for the first call).
  // Called by Start on its own thread, once per queue, before any Serve: a
  // queue may be shut down as soon as Start returns (a SIGTERM right after
  // start), and gRPC aborts on a call requested on a queue already shut down.
  virtual void Begin(grpc::ServerCompletionQueue* cq) = 0;
  // Runs on one thread per queue from Start until `cq` has been shut down and
  // drained.
  virtual void Serve(grpc::ServerCompletionQueue* cq) = 0;
  // Called once the server has stopped and before the queues shut down: ends
  // what the driver keeps pending on its queues by itself (watches, alarms).
  virtual void StopOwnOperations() {}
};

class ServerRunner {
 public:
  explicit ServerRunner(std::string service_name);
  ~ServerRunner();

  // AddService
  //
  // Registers a service to serve; call before Start. Not owned. A non-empty
  // `health_name` (the proto's full service name, e.g.
  // AccessService::service_full_name()) answers grpc.health.v1.Health for
  // that name as well as for "", as probes that name a service expect.
  void AddService(grpc::Service* service, std::string health_name = "");

  // AddAsyncGenericService
  //
  // Registers `driver`'s generic service with `threads` completion queues;
  // from Start, one thread per queue runs driver->Serve(queue). Shutdown
  // stops the server, then the driver's own operations, then the queues, and
  // joins the threads. Call before Start. Not owned.
  //
  // A server with such a service does not register gRPC's default health
  // service (a callback service, whose threads would poll alongside the
  // driver's) nor the metrics interceptor: the driver answers
  // grpc.health.v1.Health and records each call's Metrics itself.
  void AddAsyncGenericService(AsyncGenericDriver* driver, int threads);

  // SetMaxReceiveMessageBytes
  //
  // Refuses larger request messages (RESOURCE_EXHAUSTED); call before Start.
  void SetMaxReceiveMessageBytes(int bytes) { max_receive_bytes_ = bytes; }

  // RequireClientCertificates
  //
  // With --tls_client_ca_file, refuses clients that present no certificate
  // (backends: only the gateway and sibling services call them). Without
  // it, clients are only asked for one (the gateway). Call before Start.
  void RequireClientCertificates() { require_client_certificates_ = true; }

  // LoadTransportSecurity
  //
  // Reads the --tls_* and --internal_tls_* files once (see
  // TransportSecurity::FromFlags) and returns them, owned by the runner,
  // for InternalChannel and for Start; a later call returns the same. Call
  // it before --check_config exits so that bad files are caught there.
  absl::StatusOr<TransportSecurity*> LoadTransportSecurity();

  // Start
  //
  // Binds `address` (TLS if --tls_cert_file is set, asking for client
  // certificates if --tls_client_ca_file is set too; see
  // TransportSecurity::ServerCredentials) and, if set, the --unix_socket
  // path (plaintext), starts serving, writes --port_file and logs
  // "listening". Fails if the TLS flags are inconsistent, a file cannot be
  // read, `address` is not loopback without TLS, or an address cannot be
  // bound.
  absl::Status Start(const std::string& address);

  // port
  //
  // Returns the bound port (after Start).
  int port() const { return port_; }

  // metrics_port
  //
  // Returns the metrics port (after Start with --metrics_listen), else 0.
  int metrics_port() const { return metrics_port_; }

  // WaitForShutdownSignal
  //
  // Blocks until SIGTERM or SIGINT, then stops accepting calls, lets in-flight
  // calls finish for up to `grace` and returns. On SIGHUP it re-reads the TLS
  // files (TransportSecurity::Reload: a bad file is logged, the old material
  // kept), calls `on_reload` (if set: reload keys or configuration without
  // dropping calls) and waits on.
  void WaitForShutdownSignal(absl::Duration grace = absl::Seconds(10),
                             std::function<void()> on_reload = nullptr);

  // Shutdown
  //
  // Stops the server as WaitForShutdownSignal does after a signal.
  void Shutdown(absl::Duration grace);

  grpc::Server* server() { return server_.get(); }

 private:
  void SetServingStatus(bool serving);

  std::string service_name_;
  std::vector<grpc::Service*> services_;
  std::vector<std::string> health_names_;
  AsyncGenericDriver* generic_driver_ = nullptr;
  int generic_thread_count_ = 0;
  std::vector<std::unique_ptr<grpc::ServerCompletionQueue>> generic_queues_;
  std::vector<std::thread> serving_threads_;
  std::unique_ptr<class MetricsHttpServer> metrics_http_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  int max_receive_bytes_ = 64 * 1024 * 1024;
  int metrics_port_ = 0;
  bool require_client_certificates_ = false;
  std::unique_ptr<TransportSecurity> security_;
};

// Draining
//
// True once this process has begun to shut down. Long-running streaming
// handlers (watches) check it with their call's IsCancelled() and end, so
// that draining does not wait the whole grace period for streams that would
// never finish by themselves.
bool Draining();

// BlockShutdownSignals
//
// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread and every thread it
// starts later, so WaitForShutdownSignal can sigwait() for them. Call first in
// main.
void BlockShutdownSignals();

// ExitWithError
//
// Logs `status` as a start-up failure and returns the process exit code (1).
int ExitWithError(absl::string_view what, const absl::Status& status);

}  // namespace council

#endif  // COUNCIL_COMMON_SERVER_SERVER_RUNNER_H_
