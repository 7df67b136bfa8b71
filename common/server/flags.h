// flags.h — the command-line flags every service binary shares.
//
// One set of names across the suite, so council IT configures each service the
// same way. Secrets (keys, certificates) are always given by path, never by
// value on the command line.
#ifndef COUNCIL_COMMON_SERVER_FLAGS_H_
#define COUNCIL_COMMON_SERVER_FLAGS_H_

#include <string>

#include "absl/flags/declare.h"

ABSL_DECLARE_FLAG(std::string, listen);
ABSL_DECLARE_FLAG(std::string, port_file);
ABSL_DECLARE_FLAG(std::string, unix_socket);
ABSL_DECLARE_FLAG(std::string, database);
ABSL_DECLARE_FLAG(std::string, profile);
ABSL_DECLARE_FLAG(std::string, internal_key_file);
ABSL_DECLARE_FLAG(std::string, relations_address);
ABSL_DECLARE_FLAG(std::string, tls_cert_file);
ABSL_DECLARE_FLAG(std::string, tls_key_file);
ABSL_DECLARE_FLAG(std::string, tls_client_ca_file);
ABSL_DECLARE_FLAG(std::string, tls_client_crl_file);
ABSL_DECLARE_FLAG(std::string, internal_tls_ca_file);
ABSL_DECLARE_FLAG(std::string, internal_tls_cert_file);
ABSL_DECLARE_FLAG(std::string, internal_tls_key_file);
ABSL_DECLARE_FLAG(bool, check_config);
ABSL_DECLARE_FLAG(std::string, metrics_listen);
// The audit keys and checkpoints (read by common/audit/service_audit.h).
ABSL_DECLARE_FLAG(std::string, audit_key_file);
ABSL_DECLARE_FLAG(std::string, audit_checkpoint_key_file);
ABSL_DECLARE_FLAG(std::string, audit_checkpoint_file);
ABSL_DECLARE_FLAG(int, audit_checkpoint_interval_seconds);

#endif  // COUNCIL_COMMON_SERVER_FLAGS_H_
