#include "common/server/transport_security.h"

#include <arpa/inet.h>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/server/flags.h"
#include "common/server/log.h"
#include "grpcpp/security/tls_credentials_options.h"

namespace council {
namespace {

// The host part of "host:port", "[v6]:port" or a bare host.
absl::string_view HostOf(absl::string_view address) {
  if (absl::StartsWith(address, "[")) {
    const size_t end = address.find(']');
    return end == absl::string_view::npos ? address : address.substr(1, end - 1);
  }
  const size_t colon = address.rfind(':');
  // More than one colon without brackets: a bare IPv6 address.
  if (colon == absl::string_view::npos || address.find(':') != colon) return address;
  return address.substr(0, colon);
}

}  // namespace

bool IsLocalAddress(absl::string_view address) {
  if (absl::StartsWith(address, "unix:") || absl::StartsWith(address, "unix-abstract:"))
    return true;
  for (absl::string_view scheme : {"dns:///", "ipv4:", "ipv6:"})
    if (absl::StartsWith(address, scheme)) address.remove_prefix(scheme.size());
  const std::string host(HostOf(address));
  if (absl::EqualsIgnoreCase(host, "localhost")) return true;
  in_addr v4;
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1)
    return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6;
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

absl::StatusOr<std::unique_ptr<TransportSecurity>> TransportSecurity::FromFlags() {
  const std::string cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  const std::string key_file = absl::GetFlag(FLAGS_tls_key_file);
  const std::string client_ca_file = absl::GetFlag(FLAGS_tls_client_ca_file);
  const std::string crl_file = absl::GetFlag(FLAGS_tls_client_crl_file);
  std::unique_ptr<TransportSecurity> security(new TransportSecurity());
  if (cert_file.empty()) {
    if (!client_ca_file.empty())
      return absl::InvalidArgumentError(
          "--tls_client_ca_file is set but --tls_cert_file is not: client certificates are "
          "only asked for over TLS; set --tls_cert_file and --tls_key_file too");
    if (!key_file.empty())
      return absl::InvalidArgumentError(
          "--tls_key_file is set but --tls_cert_file is not; set both, or neither for "
          "plaintext");
  } else {
    if (key_file.empty())
      return absl::InvalidArgumentError("--tls_cert_file is set but --tls_key_file is not");
    auto server = TlsMaterial::Create({cert_file, "--tls_cert_file", key_file, "--tls_key_file",
                                       client_ca_file, "--tls_client_ca_file"},
                                      "server");
    if (!server.ok()) return server.status();
    security->server_ = *std::move(server);
  }
  if (!crl_file.empty()) {
    if (client_ca_file.empty())
      return absl::InvalidArgumentError(
          "--tls_client_crl_file is set but --tls_client_ca_file is not: a CRL revokes client "
          "certificates of that CA");
    auto list = RevocationList::FromFiles(crl_file, client_ca_file, "--tls_client_crl_file",
                                          absl::Now());
    if (!list.ok()) return list.status();
    if (list->stale())
      LogWarning("tls_client_crl_stale",
                 {{"file", crl_file},
                  {"effect", "its nextUpdate has passed; still applied: issue a new CRL"}});
    security->crl_file_ = crl_file;
    security->client_ca_file_ = client_ca_file;
    security->revocation_ = std::make_shared<RevocationChecker>(*std::move(list));
  }
  const std::string internal_ca = absl::GetFlag(FLAGS_internal_tls_ca_file);
  std::string internal_cert = absl::GetFlag(FLAGS_internal_tls_cert_file);
  std::string internal_key = absl::GetFlag(FLAGS_internal_tls_key_file);
  std::string cert_flag = "--internal_tls_cert_file";
  std::string key_flag = "--internal_tls_key_file";
  if (internal_cert.empty() != internal_key.empty())
    return absl::InvalidArgumentError(
        "--internal_tls_cert_file and --internal_tls_key_file must be set together");
  if (internal_cert.empty()) {
    internal_cert = cert_file;
    internal_key = key_file;
    cert_flag = "--tls_cert_file";
    key_flag = "--tls_key_file";
  }
  if (internal_ca.empty()) {
    if (!absl::GetFlag(FLAGS_internal_tls_cert_file).empty())
      return absl::InvalidArgumentError(
          "--internal_tls_cert_file is set but --internal_tls_ca_file is not: a client "
          "certificate is presented only over TLS to the other services");
  } else {
    auto internal = TlsMaterial::Create({internal_cert, cert_flag, internal_key, key_flag,
                                         internal_ca, "--internal_tls_ca_file"},
                                        "internal");
    if (!internal.ok()) return internal.status();
    security->internal_ = *std::move(internal);
  }
  return security;
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> TransportSecurity::ServerCredentials(
    const std::string& listen_address, bool require_client_certificate) const {
  if (server_ == nullptr) {
    if (!IsLocalAddress(listen_address))
      return absl::InvalidArgumentError(absl::StrCat(
          "--listen: ", listen_address,
          " is not a loopback address, and plaintext is allowed only on loopback: set "
          "--tls_cert_file and --tls_key_file (and --tls_client_ca_file), or listen on "
          "127.0.0.1"));
    return grpc::InsecureServerCredentials();
  }
  grpc::experimental::TlsServerCredentialsOptions options(server_->provider());
  options.watch_identity_key_cert_pairs();
  if (server_->has_ca()) {
    options.watch_root_certs();
    // The gateway asks but does not insist: people connect without a
    // certificate and send a bearer token. A certificate that is sent must
    // chain to the CA, or the handshake fails.
    options.set_cert_request_type(require_client_certificate
                                      ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
                                      : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
  }
  if (revocation_ != nullptr)
    options.set_certificate_verifier(
        grpc::experimental::ExternalCertificateVerifier::Create<CrlCertificateVerifier>(
            revocation_));
  else
    options.set_certificate_verifier(
        std::make_shared<grpc::experimental::NoOpCertificateVerifier>());
  return grpc::experimental::TlsServerCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> TransportSecurity::ChannelCredentials(
    const std::string& flag, const std::string& address) const {
  // A unix socket is reachable only from this host, by accounts that may
  // enter its directory; the services serve it in plaintext.
  if (absl::StartsWith(address, "unix:") || absl::StartsWith(address, "unix-abstract:"))
    return grpc::InsecureChannelCredentials();
  if (internal_ == nullptr) {
    if (!IsLocalAddress(address))
      return absl::InvalidArgumentError(absl::StrCat(
          flag, ": ", address,
          " is neither a loopback address nor a unix: socket, and calls to it would cross the "
          "network in plaintext: set --internal_tls_ca_file (the CA of the other services' "
          "certificates) and a client certificate (--tls_cert_file/--tls_key_file or "
          "--internal_tls_cert_file/--internal_tls_key_file)"));
    return grpc::InsecureChannelCredentials();
  }
  grpc::experimental::TlsChannelCredentialsOptions options;
  options.set_certificate_provider(internal_->provider());
  options.watch_root_certs();
  if (internal_->has_identity()) options.watch_identity_key_cert_pairs();
  options.set_verify_server_certs(true);
  // The sibling's certificate must name the host dialled (DNS or IP SAN).
  options.set_certificate_verifier(
      std::make_shared<grpc::experimental::HostNameCertificateVerifier>());
  return grpc::experimental::TlsCredentials(options);
}

absl::Status TransportSecurity::Reload() {
  absl::Status first;
  auto note = [&first](const absl::Status& status, const std::string& what) {
    if (status.ok()) {
      LogInfo("tls_reloaded", {{"material", what}});
      return;
    }
    LogError("tls_reload_failed", {{"material", what},
                                   {"error", status.ToString()},
                                   {"effect", "keeping the previous material"}});
    if (first.ok()) first = status;
  };
  if (server_ != nullptr) note(server_->Reload(), "--tls_cert_file, --tls_key_file, --tls_client_ca_file");
  if (internal_ != nullptr)
    note(internal_->Reload(), "--internal_tls_ca_file and the client certificate");
  if (revocation_ != nullptr) {
    auto list = RevocationList::FromFiles(crl_file_, client_ca_file_, "--tls_client_crl_file",
                                          absl::Now());
    if (list.ok()) {
      if (list->stale())
        LogWarning("tls_client_crl_stale",
                   {{"file", crl_file_},
                    {"effect", "its nextUpdate has passed; still applied: issue a new CRL"}});
      LogInfo("tls_client_crl_entries", {{"revoked", std::to_string(list->size())}});
      revocation_->Replace(*std::move(list));
    }
    note(list.status(), "--tls_client_crl_file");
  }
  return first;
}

}  // namespace council
