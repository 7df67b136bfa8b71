// council-health: asks a council service for its gRPC health
// (grpc.health.v1.Health/Check), for monitoring, scripts and the package test.
//
//   council-health [--tls_ca_file=FILE [--tls_cert_file=FILE --tls_key_file=FILE]]
//                  [--service=NAME] [--timeout_ms=N] HOST:PORT
//
// Backends serving TLS require a client certificate of the suite's CA: give
// one (e.g. the service's own) with --tls_cert_file and --tls_key_file.
//
// Prints SERVING, NOT_SERVING, ... and exits 0 only for SERVING; 1 for any
// other status or an RPC failure (the message says which), 64 for usage.
// Every council binary serves the health service (the overall status is
// SERVING once started and NOT_SERVING while draining at shutdown).
//
// The two tiny health messages are encoded by hand (field 1 of each), so no
// health.proto is needed at build time.
#include <cstdint>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/build_info/build_info.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"

namespace {

constexpr char kUsage[] =
    "Usage: council-health [--tls_ca_file=FILE [--tls_cert_file=FILE --tls_key_file=FILE]]\n"
    "                      [--service=NAME] [--timeout_ms=N] HOST:PORT\n"
    "  Calls grpc.health.v1.Health/Check; prints the status; exit 0 only if SERVING.\n"
    "       council-health --version\n";

const char* StatusName(int64_t status) {
  switch (status) {
    case 0: return "UNKNOWN";
    case 1: return "SERVING";
    case 2: return "NOT_SERVING";
    case 3: return "SERVICE_UNKNOWN";
    default: return "UNRECOGNISED";
  }
}

std::string EncodeRequest(const std::string& service) {
  std::string out;
  if (service.empty()) return out;  // proto3: the empty string is not sent
  out.push_back(0x0a);              // field 1, length-delimited
  size_t n = service.size();
  while (n >= 0x80) {
    out.push_back(static_cast<char>((n & 0x7f) | 0x80));
    n >>= 7;
  }
  out.push_back(static_cast<char>(n));
  return out + service;
}

// Returns the `status` (field 1, varint) of a HealthCheckResponse; 0 if absent.
int64_t DecodeStatus(const std::string& bytes) {
  size_t i = 0;
  auto varint = [&](uint64_t* value) {
    *value = 0;
    for (int shift = 0; i < bytes.size() && shift < 64; shift += 7) {
      const uint8_t b = static_cast<uint8_t>(bytes[i++]);
      *value |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return true;
    }
    return false;
  };
  while (i < bytes.size()) {
    uint64_t key;
    if (!varint(&key)) return -1;
    const int field = static_cast<int>(key >> 3), wire = static_cast<int>(key & 7);
    uint64_t value = 0;
    if (wire == 0) {
      if (!varint(&value)) return -1;
      if (field == 1) return static_cast<int64_t>(value);
    } else if (wire == 2) {
      if (!varint(&value) || value > bytes.size() - i) return -1;
      i += value;
    } else {
      return -1;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string address, ca_file, cert_file, key_file, service;
  int64_t timeout_ms = 3000;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--version") {
      std::cout << council::VersionText("council-health");
      return 0;
    } else if (absl::StartsWith(arg, "--tls_ca_file=")) {
      ca_file = arg.substr(14);
    } else if (absl::StartsWith(arg, "--tls_cert_file=")) {
      cert_file = arg.substr(16);
    } else if (absl::StartsWith(arg, "--tls_key_file=")) {
      key_file = arg.substr(15);
    } else if (absl::StartsWith(arg, "--service=")) {
      service = arg.substr(10);
    } else if (absl::StartsWith(arg, "--timeout_ms=")) {
      if (!absl::SimpleAtoi(arg.substr(13), &timeout_ms) || timeout_ms <= 0) {
        std::cerr << "council-health: bad " << arg << "\n" << kUsage;
        return 64;
      }
    } else if (!absl::StartsWith(arg, "-") && address.empty()) {
      address = arg;
    } else {
      std::cerr << "council-health: unexpected argument " << arg << "\n" << kUsage;
      return 64;
    }
  }
  if (address.empty() || cert_file.empty() != key_file.empty() ||
      (!cert_file.empty() && ca_file.empty())) {
    std::cerr << kUsage;
    return 64;
  }
  auto read = [](const std::string& path, std::string* out) {
    std::ifstream in(path);
    if (!in) return false;
    std::stringstream text;
    text << in.rdbuf();
    *out = text.str();
    return true;
  };
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (!ca_file.empty()) {
    grpc::SslCredentialsOptions options;
    for (const auto& [path, field] : {std::pair{&ca_file, &options.pem_root_certs},
                                      std::pair{&cert_file, &options.pem_cert_chain},
                                      std::pair{&key_file, &options.pem_private_key}}) {
      if (path->empty()) continue;
      if (!read(*path, field)) {
        std::cerr << "council-health: cannot read " << *path << "\n";
        return 1;
      }
    }
    credentials = grpc::SslCredentials(options);
  }
  auto channel = grpc::CreateChannel(address, credentials);
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Milliseconds(timeout_ms)));
  const std::string request_bytes = EncodeRequest(service);
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::Status status;
  grpc::CompletionQueue cq;
  auto call = stub.PrepareUnaryCall(&context, "/grpc.health.v1.Health/Check", request, &cq);
  call->StartCall();
  call->Finish(&response, &status, reinterpret_cast<void*>(1));
  void* tag = nullptr;
  bool ok = false;
  cq.Next(&tag, &ok);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  if (!status.ok()) {
    std::cerr << "council-health: " << address << ": " << status.error_message() << " (code "
              << status.error_code() << ")\n";
    return 1;
  }
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (response.Dump(&slices).ok())
    for (const auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  const int64_t health = DecodeStatus(bytes);
  std::cout << StatusName(health) << "\n";
  return health == 1 ? 0 : 1;
}
