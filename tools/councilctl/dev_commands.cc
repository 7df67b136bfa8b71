// dev_commands.cc — development-only commands: keys and tokens for a demo
// suite (never for production; the runbook says what production uses).
#include "tools/councilctl/dev_commands.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/internal_assertion.h"
#include "common/auth/jwt_signer.h"
#include "common/util/resource_names.h"
#include "tools/councilctl/gateway_client.h"

namespace council::ctl {
namespace {

int MintToken(const Args& args) {
  const std::string key = args.Get("key", Env("COUNCIL_DEV_KEY", ".council/dev/jwt-private.pem"));
  const std::string person = args.Get("person");
  if (person.empty() || !ParseName(person, "people").ok())
    return Usage("token: --person=people/{id} is required");
  std::string kid = args.Get("kid", ReadTrimmed(key + ".kid"));
  auto signer = auth::JwtSigner::FromPrivateKeyPemFile(key, kid);
  if (!signer.ok()) return Usage(absl::StrCat("token: ", signer.status().message()));
  auth::JwtSigner::Claims claims;
  claims.subject = person;
  claims.issuer = args.Get("issuer", "council-dev");
  claims.audience = args.Get("audience", "council-suite");
  claims.issued_at = absl::Now();
  int minutes = std::atoi(args.Get("ttl-minutes", "480").c_str());
  // The parser took only whole numbers of 1 or more.
  claims.expires_at = claims.issued_at + absl::Minutes(minutes);
  auto token = signer->Sign(claims);
  if (!token.ok()) return Usage(absl::StrCat("token: ", token.status().message()));
  std::cout << *token << "\n";
  return 0;
}

// Writes a development key set: the JWT signing key (private, mode 0600), its
// kid, the public JWKS for the gateway, and the suite's internal HMAC key.
int DevKeys(const Args& args) {
  const std::string dir = args.Get("out", ".council/dev");
  auto generated = auth::GeneratePrivateKeyPem(auth::KeyType::kEcP256);
  if (!generated.ok()) return Usage(absl::StrCat("dev-keys: ", generated.status().message()));
  auto signer = auth::JwtSigner::FromPrivateKeyPem(generated->first, generated->second);
  if (!signer.ok()) return Usage(absl::StrCat("dev-keys: ", signer.status().message()));
  auto write = [&](const std::string& name, const std::string& content) {
    const std::string path = dir + "/" + name;
    std::ofstream out(path, std::ios::trunc);
    out << content;
    out.close();
    ::chmod(path.c_str(), 0600);
    return static_cast<bool>(out);
  };
  if (!write("jwt-private.pem", generated->first) ||
      !write("jwt-private.pem.kid", generated->second + "\n") ||
      !write("jwks.json", signer->PublicJwks()) ||
      !write("internal.key", auth::AssertionKey::GenerateSecretHex() + "\n"))
    return Usage(absl::StrCat("dev-keys: cannot write into ", dir, " (does it exist?)"));
  std::cout << "wrote " << dir << "/{jwt-private.pem,jwt-private.pem.kid,jwks.json,internal.key}\n";
  return 0;
}

}  // namespace

void AddDevCommands(CommandTable* table) {
  table->Add("dev-keys", {"councilctl dev-keys [--out=DIR]\n"
                          "  Generates development keys (never for production).",
                          DevKeys});
  table->Add("token", {"councilctl token --person=people/ID [--key=PEM] [--kid=KID] [--issuer=ISS] "
                       "[--audience=AUD] [--ttl-minutes=N]\n"
                       "  Mints a development JWT (demo only).",
                       MintToken});
}

}  // namespace council::ctl
