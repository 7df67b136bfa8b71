// transport_security.h — TLS on every hop between the suite's processes,
// from the --tls_* and --internal_tls_* flags, reloaded on SIGHUP.
//
// Each process serves --listen with its certificate (--tls_cert_file,
// --tls_key_file) and, given --tls_client_ca_file, verifies client
// certificates against that CA (the gateway asks for one, for service
// accounts; backends require one: only the gateway and sibling services call
// them), refusing those --tls_client_crl_file revokes. Calls to siblings
// (gateway → backends, access and complaints → relations) use TLS when
// --internal_tls_ca_file is set, verify that the sibling's certificate
// chains to it and names the host of the address dialled (a DNS or IP
// subjectAltName), and present --internal_tls_cert_file/--internal_tls_key_file
// (default: --tls_cert_file/--tls_key_file) as the client certificate.
//
// Plaintext is allowed only where nothing crosses a network: a --listen
// address on loopback, and sibling addresses on loopback or unix: sockets.
// Anything else is refused at start (and by --check_config), naming the flag.
//
//   auto security = runner.LoadTransportSecurity();
//   auto channel = InternalChannel("--relations_address", address, **security);
//   ... runner.Start(listen);                 // server credentials from the same object
//   (*security)->Reload();                    // on SIGHUP (ServerRunner does it)
#ifndef COUNCIL_COMMON_SERVER_TRANSPORT_SECURITY_H_
#define COUNCIL_COMMON_SERVER_TRANSPORT_SECURITY_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/server/crl_verifier.h"
#include "common/server/tls_material.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"

namespace council {

// IsLocalAddress
//
// True for an address whose traffic stays on this host: "unix:PATH" (and
// "unix-abstract:"), and host:port (optionally "dns:///", "ipv4:" or
// "ipv6:"-prefixed) whose host is "localhost", an IPv4 address in
// 127.0.0.0/8 or "::1" ("[::1]:port"). Anything else, including 0.0.0.0 and
// host names, is not.
bool IsLocalAddress(absl::string_view address);

class TransportSecurity {
 public:
  // FromFlags
  //
  // Reads and checks every file the TLS flags name. Returns INVALID_ARGUMENT
  // naming the flag for an inconsistent combination (a key without a
  // certificate, a client CA or CRL without a certificate, a CRL without a
  // client CA) or a file that fails its check (ValidateTlsFiles), NOT_FOUND
  // naming the flag for a file that cannot be read.
  static absl::StatusOr<std::unique_ptr<TransportSecurity>> FromFlags();

  // ServerCredentials
  //
  // Credentials to serve `listen_address` with: TLS from --tls_cert_file, or
  // plaintext if it is not set and the address is local (else
  // INVALID_ARGUMENT naming --listen and --tls_cert_file). With a client CA,
  // clients are asked for a certificate, and `require_client_certificate`
  // refuses those that send none.
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(
      const std::string& listen_address, bool require_client_certificate) const;

  // ChannelCredentials
  //
  // Credentials to call a sibling at `address` (named by `flag`, for
  // messages): plaintext for a unix: socket; TLS with --internal_tls_ca_file
  // if set; plaintext on loopback without it; else INVALID_ARGUMENT naming
  // the flag and --internal_tls_ca_file.
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentials(
      const std::string& flag, const std::string& address) const;

  // Reload
  //
  // Re-reads every file (certificates, keys, CAs, the CRL). Each set that
  // passes its checks is used for new connections within about a second;
  // each that does not is logged (tls_reload_failed, naming flag and file)
  // and the previous one kept. Returns the first failure, or OK.
  absl::Status Reload();

  bool serves_tls() const { return server_ != nullptr; }
  bool has_client_ca() const { return server_ != nullptr && server_->has_ca(); }

 private:
  TransportSecurity() = default;

  std::unique_ptr<TlsMaterial> server_;    // --tls_*; null: plaintext
  std::unique_ptr<TlsMaterial> internal_;  // --internal_tls_*; null: no TLS to siblings
  std::string crl_file_;
  std::string client_ca_file_;
  std::shared_ptr<RevocationChecker> revocation_;  // null without --tls_client_crl_file
};

}  // namespace council

#endif  // COUNCIL_COMMON_SERVER_TRANSPORT_SECURITY_H_
