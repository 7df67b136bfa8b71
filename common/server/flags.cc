#include "common/server/flags.h"

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0",
          "Address to serve gRPC on, host:port. Port 0 picks a free port (see --port_file).");
ABSL_FLAG(std::string, port_file, "",
          "If set, the bound port is written to this file once the server is listening.");
ABSL_FLAG(std::string, unix_socket, "",
          "If set, also serve gRPC, plaintext, on a Unix domain socket at this path, for a "
          "sibling on the same host (the gateway: --relations_address=unix:PATH). Unlike a "
          "loopback port, only accounts that may enter its directory can connect; every call "
          "still needs the suite's internal assertion. Not for the gateway.");
ABSL_FLAG(std::string, database, "", "Path of this service's SQLite database file.");
ABSL_FLAG(std::string, profile, "", "Path of the council profile (text-format proto).");
ABSL_FLAG(std::string, internal_key_file, "",
          "Path of the suite's internal HMAC key, shared by the gateway and the backends.");
ABSL_FLAG(std::string, relations_address, "",
          "host:port of relations-service (for services that ask it).");
ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM certificate chain to serve TLS with; plaintext if empty (refused unless --listen "
          "is a loopback address). Re-read on SIGHUP.");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key matching --tls_cert_file.");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "PEM CA certificate(s) that sign service accounts' client certificates (mTLS; needs "
          "--tls_cert_file), and of the other services' client certificates. The gateway asks "
          "for a certificate (people connect without one); a backend requires one. A presented "
          "certificate must chain to this CA or the handshake fails. Empty: no client "
          "certificates are asked for.");
ABSL_FLAG(std::string, tls_client_crl_file, "",
          "PEM CRL(s) signed by the --tls_client_ca_file CA: a client certificate it revokes "
          "fails the handshake. Re-read on SIGHUP (a bad file is logged and the previous CRL "
          "kept).");
ABSL_FLAG(std::string, internal_tls_ca_file, "",
          "PEM CA certificate(s) the other services' certificates chain to. Set: calls to them "
          "(--relations_address, --access_address, --complaints_address) use TLS, check that "
          "the certificate names the host dialled, and present a client certificate. Empty: "
          "plaintext, allowed only to loopback addresses and unix: sockets.");
ABSL_FLAG(std::string, internal_tls_cert_file, "",
          "PEM client certificate presented to the other services; default --tls_cert_file "
          "(its extendedKeyUsage must then allow clientAuth).");
ABSL_FLAG(std::string, internal_tls_key_file, "",
          "PEM private key of --internal_tls_cert_file; default --tls_key_file.");
ABSL_FLAG(bool, check_config, false,
          "Validate the configuration (profile, keys, database schema) and exit.");
ABSL_FLAG(std::string, metrics_listen, "",
          "host:port to serve Prometheus metrics on (GET /metrics); empty disables.");
ABSL_FLAG(std::string, audit_key_file, "",
          "Path of the audit chain key (64 hex characters; owner root, group council, mode "
          "0640): every audit entry carries an HMAC under it, so entries changed or written "
          "without it fail `council-backup verify --audit_key_file`. Empty: plain SHA-256 "
          "entries, which anyone who can write the database can recompute (warned at start).");
ABSL_FLAG(std::string, audit_checkpoint_key_file, "",
          "Path of the Ed25519 private key (PEM) that signs audit checkpoints (readable by the "
          "service only); needs --audit_checkpoint_file.");
ABSL_FLAG(std::string, audit_checkpoint_file, "",
          "File that signed audit checkpoints (seq and head hash of the audit chain) are "
          "appended to, on another path than the database; each is also logged (event "
          "audit_checkpoint). Needs --audit_checkpoint_key_file.");
ABSL_FLAG(int, audit_checkpoint_interval_seconds, 60,
          "How often a checkpoint is written if the audit chain has grown; one is also written "
          "at start and at shutdown. 0: only then.");
