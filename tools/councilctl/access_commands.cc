#include "tools/councilctl/access_commands.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/errors/grpc_errors.h"
#include "common/util/resource_names.h"
#include "council/access/v1/access_service.grpc.pb.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "tools/councilctl/gateway_client.h"

namespace council::ctl {
namespace {

using access::v1::AccessService;

// Every command's gateway connection, with this service's typed stub.
class Client : public GatewayClient {
 public:
  explicit Client(const Args& args)
      : GatewayClient(args), stub_(AccessService::NewStub(channel())) {}
  AccessService::Stub* stub() const { return stub_.get(); }

 private:
  std::unique_ptr<AccessService::Stub> stub_;
};

bool ParseCapacity(const std::string& text, access::v1::Capacity* out) {
  static const std::map<std::string, access::v1::Capacity> kCapacities = {
      {"", access::v1::CAPACITY_UNSPECIFIED},
      {"body-member", access::v1::CAPACITY_BODY_MEMBER},
      {"ward-member", access::v1::CAPACITY_WARD_MEMBER},
      {"portfolio-holder", access::v1::CAPACITY_PORTFOLIO_HOLDER},
      {"scrutiny", access::v1::CAPACITY_SCRUTINY},
      {"other", access::v1::CAPACITY_OTHER}};
  auto it = kCapacities.find(text);
  if (it == kCapacities.end()) return false;
  *out = it->second;
  return true;
}

bool ParseOutcome(const std::string& text, access::v1::Outcome* out) {
  static const std::map<std::string, access::v1::Outcome> kOutcomes = {
      {"", access::v1::OUTCOME_UNSPECIFIED},
      {"granted", access::v1::OUTCOME_GRANTED},
      {"refused", access::v1::OUTCOME_REFUSED},
      {"needs-justification", access::v1::OUTCOME_NEEDS_JUSTIFICATION},
      {"referred", access::v1::OUTCOME_REFERRED},
      {"foi", access::v1::OUTCOME_HANDLED_AS_FOI}};
  auto it = kOutcomes.find(text);
  if (it == kOutcomes.end()) return false;
  *out = it->second;
  return true;
}

std::string DayText(const common::v1::Date& date) {
  return FormatDay(absl::CivilDay(date.year(), date.month(), date.day()));
}

// A decision as a person reads it: the outcome, then each clause in order.
void PrintDecision(const access::v1::AccessDecision& decision) {
  std::string outcome = access::v1::Outcome_Name(decision.outcome()).substr(8);
  std::cout << outcome << " (profile " << decision.profile() << ")\n";
  int n = 0;
  for (const auto& reason : decision.reasons())
    std::cout << "  " << ++n << ". " << reason.citation().clause() << ": " << reason.finding()
              << "\n";
  for (const auto& condition : decision.conditions()) std::cout << "  condition: " << condition << "\n";
  if (!decision.referred_to().empty()) std::cout << "  referred to: " << decision.referred_to() << "\n";
  if (!decision.advised_by().empty()) std::cout << "  advised by: " << decision.advised_by() << "\n";
  if (decision.has_foi_due_date()) {
    std::cout << "  FOI due: " << DayText(decision.foi_due_date()) << "\n";
    for (const auto& day : decision.foi_skipped_days())
      std::cout << "    skips " << DayText(day.date()) << " " << day.reason() << "\n";
  }
}

// --- access explain / accessible / record / dispute / decide ---------------------------

int Explain(const Args& a) {
  access::v1::ExplainAccessRequest request;
  request.set_document(a.Get("document"));
  request.set_person(a.Get("person"));
  access::v1::Capacity capacity;
  if (!ParseCapacity(a.Get("capacity"), &capacity)) return Usage("access explain: unknown --capacity");
  request.set_capacity(capacity);
  request.set_purpose(a.Get("purpose"));
  request.set_justification(a.Get("justification"));
  if (a.Has("as-of")) {
    absl::CivilDay day;
    if (!ParseDay(a.Get("as-of"), &day)) return Usage("--as-of must be YYYY-MM-DD");
    *request.mutable_as_of() = ToProtoDate(day);
  }
  Client client(a);
  grpc::ClientContext context;
  client.Prepare(&context);
  access::v1::ExplainAccessResponse response;
  grpc::Status status = client.stub()->ExplainAccess(&context, request, &response);
  if (client.json() || !status.ok()) return client.Print(status, response);
  std::cout << response.facts().person() << " asking for " << request.document() << " as "
            << access::v1::Capacity_Name(response.capacity()).substr(9) << ", on "
            << DayText(response.facts().as_of()) << ":\n";
  PrintDecision(response.decision());
  if (!response.decider().empty()) std::cout << "  decider: " << response.decider() << "\n";
  return 0;
}

int Accessible(const Args& a) {
  access::v1::ListAccessibleDocumentsRequest request;
  request.set_person(a.Get("person"));
  access::v1::Capacity capacity;
  if (!ParseCapacity(a.Get("capacity"), &capacity))
    return Usage("access accessible: unknown --capacity");
  request.set_capacity(capacity);
  request.set_purpose(a.Get("purpose"));
  request.set_justification(a.Get("justification"));
  request.set_body(a.Get("body"));
  request.set_owning_service(a.Get("service"));
  request.set_ward(a.Get("ward"));
  request.set_portfolio(a.Get("portfolio"));
  request.set_page_size(std::atoi(a.Get("page-size", "0").c_str()));
  request.set_page_token(a.Get("page-token"));
  Client client(a);
  grpc::ClientContext context;
  client.Prepare(&context);
  access::v1::ListAccessibleDocumentsResponse response;
  grpc::Status status = client.stub()->ListAccessibleDocuments(&context, request, &response);
  if (client.json() || !status.ok()) return client.Print(status, response);
  for (const auto& entry : response.documents()) {
    std::cout << entry.document().name() << "  " << entry.document().title() << "\n    ";
    for (int i = 0; i < entry.decision().reasons_size(); ++i)
      std::cout << (i ? ", " : "") << entry.decision().reasons(i).citation().clause();
    std::cout << "\n";
  }
  if (!response.next_page_token().empty())
    std::cout << "next page: --page-token=" << response.next_page_token() << "\n";
  return 0;
}

int Record(const Args& a) {
  access::v1::ListAccessRequestsRequest request;
  request.set_document(a.Get("document"));
  request.set_requester(a.Get("requester"));
  request.set_decider(a.Get("decider"));
  access::v1::Outcome outcome;
  if (!ParseOutcome(a.Get("outcome"), &outcome)) return Usage("access record: unknown --outcome");
  request.set_outcome(outcome);
  request.set_open_disputes_only(a.Get("open") == "true");
  request.set_page_size(std::atoi(a.Get("page-size", "0").c_str()));
  request.set_page_token(a.Get("page-token"));
  Client client(a);
  grpc::ClientContext context;
  client.Prepare(&context);
  access::v1::ListAccessRequestsResponse response;
  return client.Print(client.stub()->ListAccessRequests(&context, request, &response), response);
}

int Dispute(const Args& a) {
  if (a.positionals.size() < 3) return Usage("access dispute: NAME required");
  access::v1::DisputeAccessRequestRequest request;
  request.set_name(a.positionals[2]);
  request.set_grounds(a.Get("grounds"));
  Client client(a);
  grpc::ClientContext context;
  client.Prepare(&context);
  access::v1::AccessRequest response;
  return client.Print(client.stub()->DisputeAccessRequest(&context, request, &response), response);
}

int Decide(const Args& a) {
  if (a.positionals.size() < 3) return Usage("access decide: NAME required");
  access::v1::DecideDisputeRequest request;
  request.set_name(a.positionals[2]);
  access::v1::Outcome outcome;
  if (!ParseOutcome(a.Get("outcome"), &outcome) ||
      (outcome != access::v1::OUTCOME_GRANTED && outcome != access::v1::OUTCOME_REFUSED))
    return Usage("access decide: --outcome=granted|refused is required");
  request.set_outcome(outcome);
  request.set_reasons(a.Get("reasons"));
  request.set_advice(a.Get("advice"));
  for (absl::string_view condition : absl::StrSplit(a.Get("conditions"), ';', absl::SkipEmpty()))
    request.add_conditions(std::string(condition));
  Client client(a);
  grpc::ClientContext context;
  client.Prepare(&context);
  access::v1::AccessRequest response;
  return client.Print(client.stub()->DecideDispute(&context, request, &response), response);
}

}  // namespace

void AddAccessCommands(CommandTable* table) {
  table->Add("documents get", {"councilctl documents get documents/ID", [](const Args& a) {
    if (a.positionals.size() < 3) return Usage("documents get: NAME required");
    Client client(a);
    auto stub = access::v1::AccessService::NewStub(client.channel());
    grpc::ClientContext ctx;
    client.Prepare(&ctx);
    access::v1::GetDocumentRequest req;
    req.set_name(a.positionals[2]);
    access::v1::Document resp;
    return client.Print(stub->GetDocument(&ctx, req, &resp), resp);
  }});
  table->Add("documents list", {"councilctl documents list [--page-size=N] [--page-token=T]",
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
  }});
  table->Add("access request", {
      "councilctl access request --document=documents/ID "
      "[--capacity=body-member|ward-member|portfolio-holder|scrutiny|other] [--purpose=TEXT]\n"
      "  Asks, as the token's person, to inspect a document; prints the decision and clauses.\n"
      "  The capacity is other unless given.",
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
      }});
  table->Add("access get", {"councilctl access get accessRequests/ID", [](const Args& a) {
    if (a.positionals.size() < 3) return Usage("access get: NAME required");
    Client client(a);
    auto stub = access::v1::AccessService::NewStub(client.channel());
    grpc::ClientContext ctx;
    client.Prepare(&ctx);
    access::v1::GetAccessRequestRequest req;
    req.set_name(a.positionals[2]);
    access::v1::AccessRequest resp;
    return client.Print(stub->GetAccessRequest(&ctx, req, &resp), resp);
  }});
  const std::vector<std::pair<std::string, Command>> commands = {
      {"access explain",
       {"councilctl access explain --document=documents/ID [--person=people/ID] "
        "[--capacity=body-member|ward-member|portfolio-holder|scrutiny|other] [--purpose=TEXT] "
        "[--justification=TEXT] [--as-of=YYYY-MM-DD]\n"
        "  What the answer to a request would be, and why, without filing one. Another\n"
        "  member's needs a role the profile lets read the record.",
        Explain}},
      {"access accessible",
       {"councilctl access accessible [--person=people/ID] [--capacity=...] [--purpose=TEXT] "
        "[--justification=TEXT] [--body=bodies/ID] [--service=ID] [--ward=wards/ID] "
        "[--portfolio=portfolios/ID] [--page-size=N] [--page-token=T]\n"
        "  The documents a member would be granted, over the whole catalogue, paged.",
        Accessible}},
      {"access record",
       {"councilctl access record [--document=documents/ID] [--requester=people/ID] "
        "[--decider=people/ID] [--outcome=granted|refused|needs-justification|referred|foi] "
        "[--open=true] [--page-size=N] [--page-token=T]\n"
        "  Who saw what: every request for a document, or by a member, with its decisions.\n"
        "  Members see their own, deciders their disputes; the profile's readers see all.",
        Record}},
      {"access dispute",
       {"councilctl access dispute accessRequests/ID --grounds=TEXT\n"
        "  Disputes your refused request; the profile's dispute decider decides.",
        Dispute}},
      {"access decide",
       {"councilctl access decide accessRequests/ID --outcome=granted|refused --reasons=TEXT "
        "[--advice=TEXT] [--conditions=A;B]\n"
        "  The dispute decider decides an open dispute or referral, with reasons.",
        Decide}},
  };
  for (const auto& [name, command] : commands) table->Add(name, command);
}

}  // namespace council::ctl
