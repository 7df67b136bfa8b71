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
#include "tools/councilctl/documents_csv.h"
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

// --- import documents ----------------------------------------------------------------

int ImportDocuments(const Args& a) {
  if (a.positionals.size() < 3) return Usage("import documents: FILE required");
  const bool dry_run = a.Has("dry-run");
  const bool tty = isatty(STDERR_FILENO) != 0;
  int chunk_size = std::atoi(a.Get("chunk-size", "2000").c_str());
  if (chunk_size < 1 || chunk_size > 10000) return Usage("--chunk-size must be 1 to 10000");
  const absl::Time start = absl::Now();
  auto csv = ReadDocumentsCsv(a.positionals[2]);
  if (!csv.ok()) {
    std::cerr << "error: " << csv.status().message() << "\n";
    return kDataError;
  }
  const size_t total = csv->documents.size();
  std::cerr << "importing " << total << " documents from " << csv->path
            << (dry_run ? " (dry run: nothing is written)" : "") << "\n";
  Client client(a);
  grpc::ClientContext context;
  client.Prepare(&context, absl::Minutes(10));
  access::v1::ImportDocumentsResponse response;
  auto writer = client.stub()->StreamImportDocuments(&context, &response);
  size_t sent = 0;
  int last_percent = -1;
  bool stream_ok = true;
  // At least one chunk, so an empty file still says whether it is a dry run.
  for (bool first = true; first || sent < total; first = false) {
    access::v1::StreamImportDocumentsRequest chunk;
    if (first) chunk.set_validate_only(dry_run);
    const size_t end = std::min(total, sent + static_cast<size_t>(chunk_size));
    for (size_t i = sent; i < end; ++i) *chunk.add_documents() = std::move(csv->documents[i]);
    if (!writer->Write(chunk)) {
      stream_ok = false;  // the server ended the call early; Finish says why
      break;
    }
    sent = end;
    const int percent = total == 0 ? 100 : static_cast<int>(100 * sent / total);
    if (tty && percent != last_percent) {
      std::cerr << "\r  sent " << sent << "/" << total << " documents (" << percent << "%)"
                << std::flush;
      last_percent = percent;
    }
  }
  if (tty && last_percent >= 0) std::cerr << "\n";
  if (stream_ok) writer->WritesDone();
  if (tty) std::cerr << "  waiting for the server to " << (dry_run ? "check" : "commit")
                     << " the import...\n";
  grpc::Status status = writer->Finish();
  if (!status.ok()) {
    if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
      bool located = false;
      for (const auto& violation : FieldViolations(status)) {
        auto colon = violation.find(": ");
        const std::string field = violation.substr(0, colon);
        const std::string where = csv->WhereField(field);
        if (where.empty()) continue;
        std::cerr << "error: " << where << ": "
                  << (colon == std::string::npos ? violation : violation.substr(colon + 2))
                  << "\n";
        located = true;
      }
      if (!located) Client::PrintError(status);
      std::cerr << "nothing was imported\n";
      return kDataError;
    }
    Client::PrintError(status);
    std::cerr << "nothing was imported\n";
    return 2;
  }
  std::cerr << (dry_run ? "would create " : "created ") << response.created_count()
            << ", update " << response.updated_count() << ", leave " << response.unchanged_count()
            << " unchanged, in " << absl::FormatDuration(absl::Trunc(absl::Now() - start,
                                                                      absl::Milliseconds(1)))
            << "\n";
  return client.Print(status, response);
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

std::vector<std::pair<std::string, AccessCommand>> AccessCommands() {
  return {
      {"import documents",
       {"councilctl import documents FILE [--dry-run] [--chunk-size=N]\n"
        "  Imports the records system's document export (columns in demo/README.md) through\n"
        "  the gateway as one stream, committed in one transaction: all or nothing. Every row\n"
        "  is checked first; any error names file:line:column. --dry-run checks and counts,\n"
        "  writing nothing. Shows progress on a terminal.",
        ImportDocuments}},
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
}

}  // namespace council::ctl
