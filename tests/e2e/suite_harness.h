// suite_harness.h — starts the four real binaries for end-to-end tests.
//
// Each service runs as its own process on a free loopback port with its own
// SQLite file in a fresh temporary directory; keys are generated at test time.
// Tests talk to the gateway with real tokens, exactly as a council's tools do:
//
//   auto suite = Suite::Start("southwark");
//   auto stub = RelationsService::NewStub(suite->GatewayChannel());
//   grpc::ClientContext context;
//   suite->Authorize(&context, "people/cllr-ada-okafor");
#ifndef COUNCIL_TESTS_E2E_SUITE_HARNESS_H_
#define COUNCIL_TESTS_E2E_SUITE_HARNESS_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

namespace council::e2e {

// SuiteOptions
//
// How Suite::Start sets the suite up, beyond the profile.
struct SuiteOptions {
  // Appended to the gateway's command line (for example
  // "--rate_limit_per_second=5"); kept on Restart("gateway").
  std::vector<std::string> gateway_flags;
  // Set when `gateway_flags` make the gateway serve TLS: the harness's own
  // calls to it (GatewayChannel(), RunCtl(), LoadDemoCouncil()) use TLS and
  // verify its certificate, for 127.0.0.1, with this PEM CA.
  std::string gateway_ca_file;
  // Every backend also listens on a Unix domain socket in the suite's
  // directory (--unix_socket), and the internal hops (gateway → backends,
  // access and complaints → relations) use those sockets instead of loopback
  // TCP, as when the suite runs on one host. Clients still reach every
  // service over TCP.
  bool internal_hops_over_unix_sockets = false;
  // Where the services' SQLite files go, if not in the suite's directory
  // (e.g. a small filesystem, to see a service's disk fill up).
  std::string database_dir;
  // Audit keys (issue 17): the harness makes a chain key and a checkpoint key
  // pair under AuditFile("") and every service gets --audit_key_file,
  // --audit_checkpoint_key_file, --audit_checkpoint_file=AuditFile("<service>.checkpoints")
  // and a 1 s checkpoint interval. Off by default while some tests restart a
  // service on the suite's databases with command lines of their own (a
  // keyed chain refuses a service without its key).
  bool audit_keys = false;
  // TLS on every hop (issue 17): the harness makes a development CA and a
  // certificate per service with scripts/make-dev-certs.sh in TlsFile(""),
  // and every service serves TLS with its own (--tls_cert_file,
  // --tls_key_file), requires (backends) or asks for (gateway) client
  // certificates of that CA (--tls_client_ca_file) not revoked by
  // TlsFile("crl.pem") (--tls_client_crl_file), and calls its siblings over
  // TLS presenting its certificate (--internal_tls_ca_file). The harness's
  // own calls to the gateway then use TLS (gateway_ca_file defaults to
  // TlsFile("ca.pem")). Not with internal_hops_over_unix_sockets.
  bool internal_tls = false;
};

// SpawnLogged
//
// Starts `args[0]` with `args`, its stdout and stderr appended to the file
// `log`; returns its pid, or -1 if it could not be forked.
pid_t SpawnLogged(std::vector<std::string> args, const std::string& log);

// ServiceProcess
//
// A service binary a test starts with a command line of its own (another
// database, other flags), beside or instead of the suite's. Stopped with
// SIGTERM when destroyed.
//
//   ServiceProcess relations({binary, "--listen=127.0.0.1:0", ...}, port_file, log);
//   ASSERT_TRUE(relations.WaitListening()) << relations.log();
class ServiceProcess {
 public:
  ServiceProcess(std::vector<std::string> args, std::string port_file, std::string log);
  ~ServiceProcess() { Stop(); }
  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  // WaitListening
  //
  // True once the service has written its port file; false if it exited
  // first (exit_code() says how) or did not listen within `timeout`.
  bool WaitListening(absl::Duration timeout = absl::Seconds(20));
  // Stop
  //
  // SIGTERM, then its exit status (128 + signal for a signal); the status
  // it had already exited with, or -1 if it never started.
  int Stop();
  int exit_code() const { return exit_code_; }
  std::string log() const;

 private:
  std::string port_file_;
  std::string log_;
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

// TimeScale
//
// How much slower than a release build the binaries under test run: the
// environment's COUNCIL_TEST_TIME_SCALE (scripts/run-sanitizers.sh sets it for
// the AddressSanitizer build, whose processes start and answer several times
// slower), 1 otherwise. Tests that bound how soon something happens multiply
// their bound by it; the release build's run keeps the figure.
double TimeScale();

class Suite {
 public:
  // Start
  //
  // Starts relations-service, access-service, complaints-service (with the
  // named profile from profiles/) and the gateway; returns once all four
  // listen. Aborts the test binary with a message if one fails to start.
  static std::unique_ptr<Suite> Start(const std::string& profile);
  // As above, with `gateway_flags` appended to the gateway's command line.
  static std::unique_ptr<Suite> Start(const std::string& profile,
                                      const std::vector<std::string>& gateway_flags);
  // As above, set up as `options` say.
  static std::unique_ptr<Suite> Start(const std::string& profile, const SuiteOptions& options);
  ~Suite();  // SIGTERM to every process, then removes the directory

  // LoadDemoCouncil
  //
  // Imports demo/council through the gateway with councilctl, as the setup
  // command does. Returns councilctl's exit codes summed (0 = success).
  int LoadDemoCouncil();

  // TokenFor
  //
  // A token for `person` signed with the suite's key, valid for an hour.
  std::string TokenFor(const std::string& person) const;

  // Authorize
  //
  // Adds "authorization: Bearer <TokenFor(person)>" to `context`.
  void Authorize(grpc::ClientContext* context, const std::string& person) const;

  // GatewayChannel
  //
  // A channel to the gateway: plaintext, or TLS verified with the gateway CA
  // given to Start.
  std::shared_ptr<grpc::Channel> GatewayChannel() const;
  // gateway_ca_file
  //
  // The CA given to Start for a TLS gateway ("" for a plaintext one).
  const std::string& gateway_ca_file() const { return options_.gateway_ca_file; }
  // Channel straight to a backend ("relations-service", ...), bypassing the gateway.
  std::shared_ptr<grpc::Channel> BackendChannel(const std::string& service) const;
  int Port(const std::string& service) const { return ports_.at(service); }
  std::string DatabasePath(const std::string& service) const;
  // The Unix domain socket `service` listens on too, with
  // internal_hops_over_unix_sockets.
  std::string UnixSocketPath(const std::string& service) const;
  // Where the suite's services reach `service`: "unix:PATH" or
  // "127.0.0.1:PORT".
  std::string InternalAddress(const std::string& service) const;
  const std::string& dir() const { return dir_; }
  const std::string& internal_key_file() const { return internal_key_file_; }
  // AuditFile
  //
  // With audit_keys: a file in the suite's audit key directory, e.g.
  // "chain.key", "checkpoint-public.pem", "relations-service.checkpoints".
  std::string AuditFile(const std::string& name) const { return dir_ + "/audit/" + name; }
  // TlsFile
  //
  // With internal_tls: a file in the suite's development PKI, e.g. "ca.pem",
  // "crl.pem", "access-service.crt", "access-service.key" (see
  // scripts/make-dev-certs.sh, which also renews and revokes there).
  std::string TlsFile(const std::string& name) const { return dir_ + "/tls/" + name; }

  // Kill9, Restart
  //
  // SIGKILL a service (no chance to flush anything), and start it again on the
  // same port and database.
  void Kill9(const std::string& service);
  void Restart(const std::string& service);

  // SendSignal
  //
  // Sends `signal` (e.g. SIGHUP: the gateway reloads its JWKS file) to a
  // running service; returns false if it is not running.
  bool SendSignal(const std::string& service, int signal) const;

  // jwt_key_file, jwt_kid, jwks_file
  //
  // The suite's token-signing key (PEM) and its kid, and the JWKS file the
  // gateway reads (at start and on SIGHUP).
  const std::string& jwt_key_file() const { return jwt_key_file_; }
  const std::string& jwt_kid() const { return jwt_kid_; }
  std::string jwks_file() const { return dir_ + "/jwks.json"; }

  // WriteJwks
  //
  // Replaces the gateway's JWKS file atomically (write, then rename), so a
  // reload never reads half a file. Send SIGHUP to make the gateway use it.
  void WriteJwks(const std::string& jwks_json) const;

  // Stop
  //
  // Sends SIGTERM and returns the process's exit status once it has exited
  // (graceful shutdown: in-flight calls finish, the database closes).
  int Stop(const std::string& service);

  // IsRunning
  //
  // True while `service`'s process has not exited. Once it has, returns false
  // and forgets the process; ExitStatus then says how it ended.
  bool IsRunning(const std::string& service);
  // ExitStatus
  //
  // How `service`'s process ended, as Stop reports it (128 + signal for a
  // signal), once IsRunning has seen it exit; -1 before.
  int ExitStatus(const std::string& service) const;

  // RunBinary
  //
  // Runs a built binary (path relative to the build directory) to completion
  // with `args`; returns its exit code and fills `output` with stdout+stderr.
  static int RunBinary(const std::string& binary, const std::vector<std::string>& args,
                       std::string* output);

  // RunCtl
  //
  // Runs councilctl against the gateway as `person` (empty: no token; with
  // --ca-file for a TLS gateway); returns its exit code and fills `output`
  // with stdout+stderr.
  int RunCtl(const std::vector<std::string>& args, const std::string& person,
             std::string* output) const;

 private:
  Suite() = default;
  void Launch(const std::string& service, int port);
  std::vector<std::string> ArgsFor(const std::string& service, int port) const;

  std::string dir_;
  std::string profile_;
  std::string jwt_key_file_;
  std::string jwt_kid_;
  std::string internal_key_file_;
  SuiteOptions options_;
  std::map<std::string, pid_t> pids_;
  std::map<std::string, int> exit_statuses_;
  std::map<std::string, int> ports_;
};

}  // namespace council::e2e

#endif  // COUNCIL_TESTS_E2E_SUITE_HARNESS_H_
