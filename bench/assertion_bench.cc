// assertion_bench: the cost of the internal assertion every hop carries —
// signing (gateway, sibling calls) and verifying (every backend call).
//
//   build/bench/assertion_bench [--count=100000]
//
// Signs `count` fresh assertions (new nonce each, as SignCall does), then
// verifies each once; prints the mean time per operation.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/clock.h"
#include "common/auth/internal_assertion.h"
#include "common/server/process_tuning.h"

ABSL_FLAG(int, count, 100000, "Assertions to sign and then verify.");

int main(int argc, char** argv) {
  council::TuneProcess();
  absl::ParseCommandLine(argc, argv);
  using council::auth::AssertionKey;
  const AssertionKey key = AssertionKey::FromSecretForTesting(AssertionKey::GenerateSecretHex());
  council::auth::AssertionVerifier verifier(key);
  const std::string method = "/council.relations.v1.RelationsService/GetPerson";
  const int count = absl::GetFlag(FLAGS_count);
  std::vector<std::string> tokens;
  tokens.reserve(count);
  const auto signing = std::chrono::steady_clock::now();
  for (int i = 0; i < count; ++i)
    tokens.push_back(council::auth::SignAssertion(
        council::auth::NewAssertion("people/cllr-ada-okafor", {"member"}, method, absl::Now()),
        key));
  const auto verifying = std::chrono::steady_clock::now();
  int accepted = 0;
  for (const std::string& token : tokens) accepted += verifier.Verify(token, method, absl::Now()).ok();
  const auto done = std::chrono::steady_clock::now();
  const auto micros = [count](auto from, auto to) {
    return std::chrono::duration<double, std::micro>(to - from).count() / count;
  };
  std::printf("assertion_bench (%d assertions)\n  sign %.2f us, verify %.2f us (%d accepted)\n",
              count, micros(signing, verifying), micros(verifying, done), accepted);
  return accepted == count ? 0 : 1;
}
