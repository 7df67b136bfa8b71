#include "tests/e2e/suite_harness.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/audit/chain_key.h"
#include "common/audit/checkpoint.h"
#include "common/auth/internal_assertion.h"
#include "common/auth/jwt_signer.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace council::e2e {

double TimeScale() {
  const char* scale = std::getenv("COUNCIL_TEST_TIME_SCALE");
  const double value = scale == nullptr ? 1.0 : std::atof(scale);
  return value >= 1.0 ? value : 1.0;
}
namespace {

[[noreturn]] void Die(const std::string& message) {
  std::cerr << "e2e harness: " << message << std::endl;
  std::abort();
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::trunc);
  out << content;
  if (!out) Die("cannot write " + path);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string BinaryFor(const std::string& service) {
  const std::string folder = service;  // each binary lives in its folder
  return absl::StrCat(COUNCIL_BINARY_DIR, "/", folder, "/", service);
}

}  // namespace

pid_t SpawnLogged(std::vector<std::string> args, const std::string& log) {
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid != 0) return pid;
  // A test binary killed by a timeout (ctest's, or a person's Ctrl-C) must
  // not leave services running on the machine: they die with it. The check
  // after prctl covers a parent that died before the call.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);
  FILE* out = std::fopen(log.c_str(), "a");
  if (out != nullptr) {
    dup2(fileno(out), STDOUT_FILENO);
    dup2(fileno(out), STDERR_FILENO);
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  execv(argv[0], argv.data());
  _exit(127);
}

namespace {
int ExitCodeOf(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
}  // namespace

ServiceProcess::ServiceProcess(std::vector<std::string> args, std::string port_file,
                               std::string log)
    : port_file_(std::move(port_file)), log_(std::move(log)) {
  std::remove(port_file_.c_str());
  pid_ = SpawnLogged(std::move(args), log_);
}

bool ServiceProcess::WaitListening(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (pid_ > 0 && absl::Now() < deadline) {
    if (!ReadFile(port_file_).empty()) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_code_ = ExitCodeOf(status);
      pid_ = -1;
      return false;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return false;
}

int ServiceProcess::Stop() {
  if (pid_ <= 0) return exit_code_;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  exit_code_ = ExitCodeOf(status);
  return exit_code_;
}

std::string ServiceProcess::log() const { return ReadFile(log_); }


std::unique_ptr<Suite> Suite::Start(const std::string& profile) {
  return Start(profile, SuiteOptions());
}

std::unique_ptr<Suite> Suite::Start(const std::string& profile,
                                    const std::vector<std::string>& gateway_flags) {
  SuiteOptions options;
  options.gateway_flags = gateway_flags;
  return Start(profile, options);
}

std::unique_ptr<Suite> Suite::Start(const std::string& profile, const SuiteOptions& options) {
  std::unique_ptr<Suite> suite(new Suite());
  suite->options_ = options;
  char tmpl[] = "/tmp/council-e2e-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) Die("mkdtemp failed");
  suite->dir_ = tmpl;
  suite->profile_ = profile;
  auto key = auth::GeneratePrivateKeyPem(auth::KeyType::kEcP256);
  if (!key.ok()) Die(std::string(key.status().message()));
  suite->jwt_key_file_ = suite->dir_ + "/jwt-private.pem";
  suite->jwt_kid_ = key->second;
  WriteFile(suite->jwt_key_file_, key->first);
  WriteFile(suite->jwt_key_file_ + ".kid", key->second);
  auto signer = auth::JwtSigner::FromPrivateKeyPem(key->first, key->second);
  if (!signer.ok()) Die(std::string(signer.status().message()));
  WriteFile(suite->dir_ + "/jwks.json", signer->PublicJwks());
  suite->internal_key_file_ = suite->dir_ + "/internal.key";
  WriteFile(suite->internal_key_file_, auth::AssertionKey::GenerateSecretHex());
  // --- Audit keys (issue 17), only with options.audit_keys. ---
  if (options.audit_keys) {
    std::filesystem::create_directory(suite->AuditFile(""));
    WriteFile(suite->AuditFile("chain.key"), audit::ChainKey::GenerateSecretHex());
    auto pair = audit::CheckpointKey::Generate();
    if (!pair.ok()) Die(std::string(pair.status().message()));
    WriteFile(suite->AuditFile("checkpoint-private.pem"), pair->first);
    WriteFile(suite->AuditFile("checkpoint-public.pem"), pair->second);
  }
  // --- end of audit keys ---
  // --- TLS on every hop (issue 17), only with options.internal_tls. ---
  if (options.internal_tls) {
    const std::string command = absl::StrCat(COUNCIL_SOURCE_DIR, "/scripts/make-dev-certs.sh '",
                                             suite->TlsFile(""), "' >'", suite->dir_,
                                             "/make-dev-certs.log' 2>&1");
    if (std::system(command.c_str()) != 0)
      Die("make-dev-certs.sh failed:\n" + ReadFile(suite->dir_ + "/make-dev-certs.log"));
    if (suite->options_.gateway_ca_file.empty())
      suite->options_.gateway_ca_file = suite->TlsFile("ca.pem");
  }
  // --- end of TLS on every hop ---
  for (const char* service :
       {"relations-service", "access-service", "complaints-service", "gateway"})
    suite->Launch(service, 0);
  return suite;
}

std::vector<std::string> Suite::ArgsFor(const std::string& service, int port) const {
  std::vector<std::string> args = {
      BinaryFor(service),
      absl::StrCat("--listen=127.0.0.1:", port),
      absl::StrCat("--port_file=", dir_, "/", service, ".port"),
      absl::StrCat("--database=", DatabasePath(service)),
      absl::StrCat("--internal_key_file=", internal_key_file_),
  };
  if (service != "gateway")
    args.push_back(absl::StrCat("--profile=", COUNCIL_SOURCE_DIR, "/profiles/", profile_,
                                ".textproto"));
  // --- Audit keys (issue 17), only with options.audit_keys. ---
  if (options_.audit_keys) {
    args.push_back("--audit_key_file=" + AuditFile("chain.key"));
    args.push_back("--audit_checkpoint_key_file=" + AuditFile("checkpoint-private.pem"));
    args.push_back("--audit_checkpoint_file=" + AuditFile(service + ".checkpoints"));
    args.push_back("--audit_checkpoint_interval_seconds=1");
  }
  // --- end of audit keys ---
  if (options_.internal_hops_over_unix_sockets && service != "gateway")
    args.push_back(absl::StrCat("--unix_socket=", UnixSocketPath(service)));
  // --- TLS on every hop (issue 17), only with options_.internal_tls. ---
  if (options_.internal_tls) {
    args.push_back("--tls_cert_file=" + TlsFile(service + ".crt"));
    args.push_back("--tls_key_file=" + TlsFile(service + ".key"));
    args.push_back("--tls_client_ca_file=" + TlsFile("ca.pem"));
    args.push_back("--tls_client_crl_file=" + TlsFile("crl.pem"));
    args.push_back("--internal_tls_ca_file=" + TlsFile("ca.pem"));
  }
  // --- end of TLS on every hop ---
  if (service == "relations-service") {
    args.push_back("--bootstrap_administrator=it-admin");
    return args;
  }
  args.push_back("--relations_address=" + InternalAddress("relations-service"));
  if (service == "gateway") {
    args.push_back(absl::StrCat("--policy_file=", COUNCIL_SOURCE_DIR,
                                "/config/gateway-policy.textproto"));
    args.push_back(absl::StrCat("--jwks_file=", dir_, "/jwks.json"));
    args.push_back("--jwt_issuer=council-dev");
    args.push_back("--jwt_audience=council-suite");
    args.push_back("--access_address=" + InternalAddress("access-service"));
    args.push_back("--complaints_address=" + InternalAddress("complaints-service"));
    // Last, so that they override the defaults above (the last flag wins).
    args.insert(args.end(), options_.gateway_flags.begin(), options_.gateway_flags.end());
  }
  return args;
}

std::string Suite::UnixSocketPath(const std::string& service) const {
  return absl::StrCat(dir_, "/", service, ".sock");
}

std::string Suite::InternalAddress(const std::string& service) const {
  if (options_.internal_hops_over_unix_sockets) return "unix:" + UnixSocketPath(service);
  return absl::StrCat("127.0.0.1:", ports_.at(service));
}

std::string Suite::DatabasePath(const std::string& service) const {
  return absl::StrCat(options_.database_dir.empty() ? dir_ : options_.database_dir, "/",
                      service, ".db");
}

void Suite::Launch(const std::string& service, int port) {
  const std::string port_file = absl::StrCat(dir_, "/", service, ".port");
  std::remove(port_file.c_str());
  std::vector<std::string> args = ArgsFor(service, port);
  const std::string log = absl::StrCat(dir_, "/", service, ".log");
  const pid_t pid = SpawnLogged(std::move(args), log);
  if (pid < 0) Die("fork failed");
  pids_[service] = pid;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (absl::Now() < deadline) {
    const std::string content = ReadFile(port_file);
    if (!content.empty()) {
      ports_[service] = std::atoi(content.c_str());
      return;
    }
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid)
      Die(absl::StrCat(service, " exited at start; log:\n", ReadFile(log)));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Die(absl::StrCat(service, " did not listen within 20 s; log:\n", ReadFile(log)));
}

Suite::~Suite() {
  for (auto& [service, pid] : pids_) kill(pid, SIGTERM);
  for (auto& [service, pid] : pids_) {
    int status = 0;
    waitpid(pid, &status, 0);
  }
  if (std::getenv("COUNCIL_E2E_KEEP") == nullptr) std::filesystem::remove_all(dir_);
}

void Suite::Kill9(const std::string& service) {
  pid_t pid = pids_.at(service);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  pids_.erase(service);
}

void Suite::Restart(const std::string& service) { Launch(service, ports_.at(service)); }

bool Suite::SendSignal(const std::string& service, int signal) const {
  auto it = pids_.find(service);
  return it != pids_.end() && kill(it->second, signal) == 0;
}

void Suite::WriteJwks(const std::string& jwks_json) const {
  const std::string tmp = jwks_file() + ".tmp";
  WriteFile(tmp, jwks_json);
  if (std::rename(tmp.c_str(), jwks_file().c_str()) != 0) Die("cannot replace " + jwks_file());
}

int Suite::Stop(const std::string& service) {
  pid_t pid = pids_.at(service);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  pids_.erase(service);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool Suite::IsRunning(const std::string& service) {
  auto it = pids_.find(service);
  if (it == pids_.end()) return false;
  int status = 0;
  if (waitpid(it->second, &status, WNOHANG) == 0) return true;
  exit_statuses_[service] = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  pids_.erase(it);
  return false;
}

int Suite::ExitStatus(const std::string& service) const {
  auto it = exit_statuses_.find(service);
  return it == exit_statuses_.end() ? -1 : it->second;
}

std::string Suite::TokenFor(const std::string& person) const {
  auto signer = auth::JwtSigner::FromPrivateKeyPemFile(jwt_key_file_, jwt_kid_);
  if (!signer.ok()) Die(std::string(signer.status().message()));
  auth::JwtSigner::Claims claims;
  claims.subject = person;
  claims.issuer = "council-dev";
  claims.audience = "council-suite";
  claims.issued_at = absl::Now();
  claims.expires_at = claims.issued_at + absl::Hours(1);
  auto token = signer->Sign(claims);
  if (!token.ok()) Die(std::string(token.status().message()));
  return *token;
}

void Suite::Authorize(grpc::ClientContext* context, const std::string& person) const {
  context->AddMetadata("authorization", "Bearer " + TokenFor(person));
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
}

std::shared_ptr<grpc::Channel> Suite::GatewayChannel() const {
  if (options_.gateway_ca_file.empty()) return BackendChannel("gateway");
  grpc::SslCredentialsOptions tls;
  tls.pem_root_certs = ReadFile(options_.gateway_ca_file);
  if (tls.pem_root_certs.empty()) Die("cannot read " + options_.gateway_ca_file);
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", ports_.at("gateway")),
                             grpc::SslCredentials(tls));
}

std::shared_ptr<grpc::Channel> Suite::BackendChannel(const std::string& service) const {
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", ports_.at(service)),
                             grpc::InsecureChannelCredentials());
}

int Suite::RunCtl(const std::vector<std::string>& args, const std::string& person,
                  std::string* output) const {
  std::vector<std::string> command = {absl::StrCat("--gateway=127.0.0.1:", ports_.at("gateway"))};
  if (!options_.gateway_ca_file.empty()) command.push_back("--ca-file=" + options_.gateway_ca_file);
  if (!person.empty()) command.push_back("--token=" + TokenFor(person));
  command.insert(command.end(), args.begin(), args.end());
  return RunBinary("tools/councilctl", command, output);
}

int Suite::RunBinary(const std::string& binary, const std::vector<std::string>& args,
                     std::string* output) {
  std::vector<std::string> command = {absl::StrCat(COUNCIL_BINARY_DIR, "/", binary)};
  command.insert(command.end(), args.begin(), args.end());
  std::string line;
  for (const auto& part : command) {
    // Single-quote each argument for the shell.
    std::string quoted = "'";
    for (char c : part) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    absl::StrAppend(&line, quoted, "' ");
  }
  absl::StrAppend(&line, "2>&1");
  FILE* pipe = popen(line.c_str(), "r");
  if (pipe == nullptr) Die("popen failed");
  char buffer[4096];
  output->clear();
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) output->append(buffer, n);
  int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int Suite::LoadDemoCouncil() {
  std::string output;
  int rc = RunCtl({"import", "directory", absl::StrCat(COUNCIL_SOURCE_DIR, "/demo/council")},
                  "people/it-admin", &output);
  if (rc != 0) std::cerr << output;
  // Each shipped profile declares relationships to the officer it names
  // (demo/council/declarations/<profile>/, as setup-and-start.sh loads them:
  // Sheffield 4.5 refuses the monitoring officer as recipient).
  std::string declarations = absl::StrCat(COUNCIL_SOURCE_DIR, "/demo/council/declarations/",
                                          profile_);
  if (!std::filesystem::exists(declarations))
    declarations = absl::StrCat(COUNCIL_SOURCE_DIR, "/demo/council");
  int rc_declarations =
      RunCtl({"import", "declarations", declarations}, "people/it-admin", &output);
  if (rc_declarations != 0) std::cerr << output;
  rc += rc_declarations;
  int rc2 = RunCtl({"import", "documents",
                    absl::StrCat(COUNCIL_SOURCE_DIR, "/demo/council/documents.csv")},
                   "people/it-admin", &output);
  if (rc2 != 0) std::cerr << output;
  return rc + rc2;
}

}  // namespace council::e2e
