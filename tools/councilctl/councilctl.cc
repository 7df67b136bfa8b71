// councilctl — the suite's command line, calling it through the gateway with
// typed stubs. Readable output by default, --json for scripts.
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/auth/internal_assertion.h"
#include "common/auth/jwt_signer.h"
#include "common/errors/grpc_errors.h"
#include "common/util/resource_names.h"
#include "council/access/v1/access_service.grpc.pb.h"
#include "council/complaints/v1/complaints_service.grpc.pb.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/health_check_service_interface.h"
#include "absl/strings/str_split.h"
#include "tools/councilctl/access_commands.h"
#include "tools/councilctl/cli_args.h"
#include "tools/councilctl/gateway_client.h"
#include "tools/councilctl/complaints_commands.h"
#include "tools/councilctl/import_commands.h"

namespace council::ctl {
namespace {

constexpr char kUsage[] = R"(councilctl — call the council protocol suite through its gateway.

Usage: councilctl [global options] COMMAND [options]

Global options:
  --gateway=HOST:PORT   gateway address (env COUNCIL_GATEWAY; default 127.0.0.1:7443)
  --token=JWT           bearer token (env COUNCIL_TOKEN), or --token-file=FILE
  --ca-file=PEM         TLS: the CA that signed the gateway's certificate
                        (env COUNCIL_CA_FILE); plaintext without it
  --cert-file=PEM --key-file=PEM
                        a service account's client certificate and key (mTLS,
                        with --ca-file; env COUNCIL_CERT_FILE, COUNCIL_KEY_FILE),
                        used instead of a token
  --json                print responses as JSON
  --help                help for any command

Commands:
  dev-keys            generate development keys (JWT signing key, JWKS, internal key)
  token               mint a development token for a person
  people get|list     the directory's people
  bodies list         the council's bodies
  memberships list    seats on a body
  documents get|list  document metadata
  access request|get  ask to inspect a document; read a decision
  access explain      what a request would get, and why, without filing it
  access accessible   the documents a member would be granted
  access record       who saw what (a document's grants, a member's requests)
  access dispute|decide  dispute a refusal; the dispute decider decides
  complaints create|get|list   file and read complaints
  complaints acknowledge|holding-notice|respond|escalate|close
                      act at a complaint's stage (handler; complainant escalates)
  complaints breach|formal-action|follow-up|timeline
  complaints watch|sweep|recompute   the event stream and the sweeper (administrators)
  import directory DIR | import declarations DIR | import documents FILE
                      bulk import from CSV; every problem named FILE:LINE:COLUMN,
                      all or nothing (--dry-run, --skip-bad-rows)
  conflicts check     may a person act in a setting (with clauses)
  register get        a member's register of interests
  designations acting who acts as a designation today
  chain get           a person's management chain
)";

struct Command {
  std::string help;
  std::function<int(const Args&)> run;
};

using Client = GatewayClient;

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
  claims.expires_at = claims.issued_at + absl::Minutes(minutes > 0 ? minutes : 480);
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

std::map<std::string, Command> Commands() {
  std::map<std::string, Command> c;
  c["dev-keys"] = {"councilctl dev-keys [--out=DIR]\n  Generates development keys (never for production).",
                   DevKeys};
  c["token"] = {"councilctl token --person=people/ID [--key=PEM] [--kid=KID] [--issuer=ISS] "
                "[--audience=AUD] [--ttl-minutes=N]\n  Mints a development JWT (demo only).",
                MintToken};
  c["people get"] = {"councilctl people get people/ID", [](const Args& a) {
    if (a.positionals.size() < 3) return Usage("people get: NAME required");
    Client client(a);
    auto stub = relations::v1::RelationsService::NewStub(client.channel());
    grpc::ClientContext ctx;
    client.Prepare(&ctx);
    relations::v1::GetPersonRequest req;
    req.set_name(a.positionals[2]);
    relations::v1::Person resp;
    return client.Print(stub->GetPerson(&ctx, req, &resp), resp);
  }};
  c["people list"] = {"councilctl people list [--page-size=N] [--page-token=T]", [](const Args& a) {
    Client client(a);
    auto stub = relations::v1::RelationsService::NewStub(client.channel());
    grpc::ClientContext ctx;
    client.Prepare(&ctx);
    relations::v1::ListPeopleRequest req;
    req.set_page_size(std::atoi(a.Get("page-size", "0").c_str()));
    req.set_page_token(a.Get("page-token"));
    relations::v1::ListPeopleResponse resp;
    return client.Print(stub->ListPeople(&ctx, req, &resp), resp);
  }};
  c["bodies list"] = {"councilctl bodies list [--page-size=N] [--page-token=T]", [](const Args& a) {
    Client client(a);
    auto stub = relations::v1::RelationsService::NewStub(client.channel());
    grpc::ClientContext ctx;
    client.Prepare(&ctx);
    relations::v1::ListBodiesRequest req;
    req.set_page_size(std::atoi(a.Get("page-size", "0").c_str()));
    req.set_page_token(a.Get("page-token"));
    relations::v1::ListBodiesResponse resp;
    return client.Print(stub->ListBodies(&ctx, req, &resp), resp);
  }};
  c["memberships list"] = {
      "councilctl memberships list bodies/ID|bodies/- [--person=people/ID] [--as-of=YYYY-MM-DD]",
      [](const Args& a) {
        if (a.positionals.size() < 3) return Usage("memberships list: PARENT required");
        Client client(a);
        auto stub = relations::v1::RelationsService::NewStub(client.channel());
        grpc::ClientContext ctx;
        client.Prepare(&ctx);
        relations::v1::ListMembershipsRequest req;
        req.set_parent(a.positionals[2]);
        req.set_person(a.Get("person"));
        if (a.Has("as-of")) {
          absl::CivilDay day;
          if (!ParseDay(a.Get("as-of"), &day)) return Usage("--as-of must be YYYY-MM-DD");
          *req.mutable_as_of() = ToProtoDate(day);
        }
        req.set_page_size(std::atoi(a.Get("page-size", "0").c_str()));
        relations::v1::ListMembershipsResponse resp;
        return client.Print(stub->ListMemberships(&ctx, req, &resp), resp);
      }};
  c["documents get"] = {"councilctl documents get documents/ID", [](const Args& a) {
    if (a.positionals.size() < 3) return Usage("documents get: NAME required");
    Client client(a);
    auto stub = access::v1::AccessService::NewStub(client.channel());
    grpc::ClientContext ctx;
    client.Prepare(&ctx);
    access::v1::GetDocumentRequest req;
    req.set_name(a.positionals[2]);
    access::v1::Document resp;
    return client.Print(stub->GetDocument(&ctx, req, &resp), resp);
  }};
  c["documents list"] = {"councilctl documents list [--page-size=N] [--page-token=T]",
                         [](const Args& a) {
    Client client(a);
    auto stub = access::v1::AccessService::NewStub(client.channel());
    grpc::ClientContext ctx;
    client.Prepare(&ctx);
    access::v1::ListDocumentsRequest req;
    req.set_page_size(std::atoi(a.Get("page-size", "0").c_str()));
    req.set_page_token(a.Get("page-token"));
    access::v1::ListDocumentsResponse resp;
    return client.Print(stub->ListDocuments(&ctx, req, &resp), resp);
  }};
  c["access request"] = {
      "councilctl access request --document=documents/ID "
      "--capacity=body-member|ward-member|portfolio-holder|scrutiny|other [--purpose=TEXT]\n"
      "  Asks, as the token's person, to inspect a document; prints the decision and clauses.",
      [](const Args& a) {
        static const std::map<std::string, access::v1::Capacity> kCapacities = {
            {"body-member", access::v1::CAPACITY_BODY_MEMBER},
            {"ward-member", access::v1::CAPACITY_WARD_MEMBER},
            {"portfolio-holder", access::v1::CAPACITY_PORTFOLIO_HOLDER},
            {"scrutiny", access::v1::CAPACITY_SCRUTINY},
            {"other", access::v1::CAPACITY_OTHER}};
        auto capacity = kCapacities.find(a.Get("capacity", "other"));
        if (capacity == kCapacities.end()) return Usage("access request: unknown --capacity");
        Client client(a);
        auto stub = access::v1::AccessService::NewStub(client.channel());
        grpc::ClientContext ctx;
        client.Prepare(&ctx);
        access::v1::CreateAccessRequestRequest req;
        req.mutable_access_request()->set_document(a.Get("document"));
        req.mutable_access_request()->set_capacity(capacity->second);
        req.mutable_access_request()->set_purpose(a.Get("purpose"));
        access::v1::AccessRequest resp;
        return client.Print(stub->CreateAccessRequest(&ctx, req, &resp), resp);
      }};
  c["access get"] = {"councilctl access get accessRequests/ID", [](const Args& a) {
    if (a.positionals.size() < 3) return Usage("access get: NAME required");
    Client client(a);
    auto stub = access::v1::AccessService::NewStub(client.channel());
    grpc::ClientContext ctx;
    client.Prepare(&ctx);
    access::v1::GetAccessRequestRequest req;
    req.set_name(a.positionals[2]);
    access::v1::AccessRequest resp;
    return client.Print(stub->GetAccessRequest(&ctx, req, &resp), resp);
  }};
  c["complaints get"] = {"councilctl complaints get complaints/ID", [](const Args& a) {
    if (a.positionals.size() < 3) return Usage("complaints get: NAME required");
    Client client(a);
    auto stub = complaints::v1::ComplaintsService::NewStub(client.channel());
    grpc::ClientContext ctx;
    client.Prepare(&ctx);
    complaints::v1::GetComplaintRequest req;
    req.set_name(a.positionals[2]);
    complaints::v1::Complaint resp;
    return client.Print(stub->GetComplaint(&ctx, req, &resp), resp);
  }};
  c["conflicts check"] = {
      "councilctl conflicts check --person=people/ID "
      "--setting=body-or-decision|appointment-panel|appeal-hearing|handling|interest "
      "[--other=people/ID] [--matter=ID] [--as-of=YYYY-MM-DD]",
      [](const Args& a) {
        static const std::map<std::string, relations::v1::ConflictSetting> kSettings = {
            {"body-or-decision", relations::v1::CONFLICT_SETTING_BODY_OR_DECISION},
            {"appointment-panel", relations::v1::CONFLICT_SETTING_APPOINTMENT_PANEL},
            {"appeal-hearing", relations::v1::CONFLICT_SETTING_APPEAL_HEARING},
            {"handling", relations::v1::CONFLICT_SETTING_HANDLING},
            {"interest", relations::v1::CONFLICT_SETTING_INTEREST_IN_MATTER}};
        auto setting = kSettings.find(a.Get("setting"));
        if (setting == kSettings.end()) return Usage("conflicts check: unknown --setting");
        Client client(a);
        auto stub = relations::v1::RelationsService::NewStub(client.channel());
        grpc::ClientContext ctx;
        client.Prepare(&ctx);
        relations::v1::CheckConflictRequest req;
        req.set_person(a.Get("person"));
        req.set_setting(setting->second);
        req.set_other_person(a.Get("other"));
        req.set_matter(a.Get("matter"));
        if (a.Has("as-of")) {
          absl::CivilDay day;
          if (!ParseDay(a.Get("as-of"), &day)) return Usage("--as-of must be YYYY-MM-DD");
          *req.mutable_as_of() = ToProtoDate(day);
        }
        relations::v1::CheckConflictResponse resp;
        return client.Print(stub->CheckConflict(&ctx, req, &resp), resp);
      }};
  c["register get"] = {
      "councilctl register get people/ID [--full] [--as-of=YYYY-MM-DD]\n"
      "  A member's register of interests (public view unless --full: monitoring officer only).",
      [](const Args& a) {
        if (a.positionals.size() < 3) return Usage("register get: PERSON required");
        Client client(a);
        auto stub = relations::v1::RelationsService::NewStub(client.channel());
        grpc::ClientContext ctx;
        client.Prepare(&ctx);
        relations::v1::GetRegisterRequest req;
        req.set_person(a.positionals[2]);
        req.set_view(a.Has("full") ? relations::v1::REGISTER_VIEW_FULL
                                   : relations::v1::REGISTER_VIEW_PUBLIC);
        if (a.Has("as-of")) {
          absl::CivilDay day;
          if (!ParseDay(a.Get("as-of"), &day)) return Usage("--as-of must be YYYY-MM-DD");
          *req.mutable_as_of() = ToProtoDate(day);
        }
        relations::v1::Register resp;
        return client.Print(stub->GetRegister(&ctx, req, &resp), resp);
      }};
  c["designations acting"] = {
      "councilctl designations acting designations/ID [--exclude=people/A,people/B]\n"
      "  Who acts as a designation today (the deputy when the holder is absent or conflicted).",
      [](const Args& a) {
        if (a.positionals.size() < 3) return Usage("designations acting: DESIGNATION required");
        Client client(a);
        auto stub = relations::v1::RelationsService::NewStub(client.channel());
        grpc::ClientContext ctx;
        client.Prepare(&ctx);
        relations::v1::GetActingHolderRequest req;
        req.set_designation(a.positionals[2]);
        for (absl::string_view person : absl::StrSplit(a.Get("exclude"), ',', absl::SkipEmpty()))
          req.add_exclude_related_to(std::string(person));
        relations::v1::ActingHolder resp;
        return client.Print(stub->GetActingHolder(&ctx, req, &resp), resp);
      }};
  c["chain get"] = {"councilctl chain get people/ID\n  The person's post and the posts above it.",
                    [](const Args& a) {
    if (a.positionals.size() < 3) return Usage("chain get: PERSON required");
    Client client(a);
    auto stub = relations::v1::RelationsService::NewStub(client.channel());
    grpc::ClientContext ctx;
    client.Prepare(&ctx);
    relations::v1::GetManagementChainRequest req;
    req.set_person(a.positionals[2]);
    relations::v1::GetManagementChainResponse resp;
    return client.Print(stub->GetManagementChain(&ctx, req, &resp), resp);
  }};
  // access-service's commands (tools/councilctl/access_commands.h).
  for (auto& [name, command] : AccessCommands()) c[name] = {command.help, command.run};
  // The CSV imports (tools/councilctl/import_commands.h).
  for (auto& [name, command] : ImportCommands()) c[name] = {command.help, command.run};
  // complaints-service's commands (tools/councilctl/complaints_commands.h).
  for (auto& [name, command] : ComplaintsCommands()) c[name] = {command.help, command.run};
  return c;
}

}  // namespace
}  // namespace council::ctl

int main(int argc, char** argv) {
  using namespace council::ctl;
  Args args = ParseArgs(argc, argv, {"json", "help", "dry-run", "skip-bad-rows"});
  auto commands = Commands();
  std::string key = args.positionals.empty() ? "" : args.positionals[0];
  auto it = commands.find(key);
  if (it == commands.end() && args.positionals.size() >= 2)
    it = commands.find(key + " " + args.positionals[1]);
  if (it == commands.end()) {
    std::cout << kUsage;
    return args.positionals.empty() || args.Has("help") ? 0 : 64;
  }
  if (args.Has("help")) {
    std::cout << it->second.help << "\n";
    return 0;
  }
  // A one-word command takes its positionals from index 1; shift so every
  // command sees the object at index 2.
  if (key == "token" || key == "dev-keys") args.positionals.insert(args.positionals.begin() + 1, "");
  return it->second.run(args);
}
