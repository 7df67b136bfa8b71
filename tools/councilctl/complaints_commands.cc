#include "tools/councilctl/complaints_commands.h"

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
#include "council/complaints/v1/complaints_service.grpc.pb.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "tools/councilctl/gateway_client.h"

namespace council::ctl {
namespace {

using complaints::v1::ComplaintsService;

// Every command's gateway connection, with this service's typed stub.
class Client : public GatewayClient {
 public:
  explicit Client(const Args& args)
      : GatewayClient(args), stub_(ComplaintsService::NewStub(channel())) {}
  ComplaintsService::Stub* stub() const { return stub_.get(); }

 private:
  std::unique_ptr<ComplaintsService::Stub> stub_;
};

// Parses --name=YYYY-MM-DD into `date` if given; false (with a message) if
// malformed.
bool DateOption(const Args& a, const std::string& name, common::v1::Date* date, bool* has) {
  *has = a.Has(name);
  if (!*has) return true;
  absl::CivilDay day;
  if (!ParseDay(a.Get(name), &day)) {
    std::cerr << "--" << name << " must be YYYY-MM-DD\n";
    return false;
  }
  *date = ToProtoDate(day);
  return true;
}

// Splits a ';'-separated option into entries.
std::vector<std::string> ListOption(const Args& a, const std::string& name) {
  std::vector<std::string> out;
  if (!a.Has(name)) return out;
  for (absl::string_view part : absl::StrSplit(a.Get(name), ';', absl::SkipEmpty()))
    out.emplace_back(part);
  return out;
}

std::string NameArg(const Args& a) { return a.positionals.size() >= 3 ? a.positionals[2] : ""; }

}  // namespace

void AddComplaintsCommands(CommandTable* table) {
  table->Add("complaints get", {"councilctl complaints get complaints/ID", [](const Args& a) {
    if (a.positionals.size() < 3) return Usage("complaints get: NAME required");
    Client client(a);
    auto stub = complaints::v1::ComplaintsService::NewStub(client.channel());
    grpc::ClientContext ctx;
    client.Prepare(&ctx);
    complaints::v1::GetComplaintRequest req;
    req.set_name(a.positionals[2]);
    complaints::v1::Complaint resp;
    return client.Print(stub->GetComplaint(&ctx, req, &resp), resp);
  }});
  std::vector<std::pair<std::string, Command>> c;
  c.push_back({"complaints create",
               {"councilctl complaints create --subject=people/ID|services/ID --summary=TEXT "
                "[--kind=member-about-officer|member-about-senior-officer|"
                "member-about-chief-executive|officer-about-member|member-casework] "
                "[--filed=YYYY-MM-DD]\n"
                "  Files a complaint as the token's person. The kind is classified from the\n"
                "  directory (give it only to check); prints the route, handler and deadlines.",
                [](const Args& a) {
                  static const std::map<std::string, profile::v1::ComplaintKind> kKinds = {
                      {"member-about-officer", profile::v1::COMPLAINT_KIND_MEMBER_ABOUT_OFFICER},
                      {"member-about-senior-officer",
                       profile::v1::COMPLAINT_KIND_MEMBER_ABOUT_SENIOR_OFFICER},
                      {"member-about-chief-executive",
                       profile::v1::COMPLAINT_KIND_MEMBER_ABOUT_CHIEF_EXECUTIVE},
                      {"officer-about-member", profile::v1::COMPLAINT_KIND_OFFICER_ABOUT_MEMBER},
                      {"member-casework", profile::v1::COMPLAINT_KIND_MEMBER_CASEWORK}};
                  complaints::v1::CreateComplaintRequest req;
                  auto* complaint = req.mutable_complaint();
                  if (a.Has("kind")) {
                    auto kind = kKinds.find(a.Get("kind"));
                    if (kind == kKinds.end()) return Usage("complaints create: unknown --kind");
                    complaint->set_kind(kind->second);
                  }
                  complaint->set_subject(a.Get("subject"));
                  complaint->set_summary(a.Get("summary"));
                  bool has = false;
                  if (!DateOption(a, "filed", complaint->mutable_filed_date(), &has)) return kUsageError;
                  if (!has) complaint->clear_filed_date();
                  Client client(a);
                  grpc::ClientContext ctx;
                  client.Prepare(&ctx);
                  complaints::v1::Complaint resp;
                  return client.Print(client.stub()->CreateComplaint(&ctx, req, &resp), resp);
                }}});
  c.push_back({"complaints list",
               {"councilctl complaints list [--state=open|closed] [--page-size=N] "
                "[--page-token=T]\n"
                "  The complaints the token's person may read.",
                [](const Args& a) {
                  complaints::v1::ListComplaintsRequest req;
                  const std::string state = a.Get("state");
                  if (state == "open") req.set_state(complaints::v1::COMPLAINT_STATE_OPEN);
                  else if (state == "closed") req.set_state(complaints::v1::COMPLAINT_STATE_CLOSED);
                  else if (!state.empty()) return Usage("--state must be open or closed");
                  req.set_page_size(std::atoi(a.Get("page-size", "0").c_str()));
                  req.set_page_token(a.Get("page-token"));
                  Client client(a);
                  grpc::ClientContext ctx;
                  client.Prepare(&ctx);
                  complaints::v1::ListComplaintsResponse resp;
                  return client.Print(client.stub()->ListComplaints(&ctx, req, &resp), resp);
                }}});
  c.push_back({"complaints acknowledge",
               {"councilctl complaints acknowledge complaints/ID [--date=YYYY-MM-DD]\n"
                "  The handler acknowledges the complaint at its current stage.",
                [](const Args& a) {
                  complaints::v1::AcknowledgeComplaintRequest req;
                  req.set_name(NameArg(a));
                  bool has = false;
                  if (!DateOption(a, "date", req.mutable_acknowledged_date(), &has)) return kUsageError;
                  if (!has) req.clear_acknowledged_date();
                  Client client(a);
                  grpc::ClientContext ctx;
                  client.Prepare(&ctx);
                  complaints::v1::Complaint resp;
                  return client.Print(client.stub()->AcknowledgeComplaint(&ctx, req, &resp), resp);
                }}});
  c.push_back({"complaints holding-notice",
               {"councilctl complaints holding-notice complaints/ID --text=TEXT "
                "[--expected=YYYY-MM-DD] [--date=YYYY-MM-DD]\n"
                "  The handler tells the complainant when the response will come.",
                [](const Args& a) {
                  complaints::v1::RecordHoldingNoticeRequest req;
                  req.set_name(NameArg(a));
                  req.set_text(a.Get("text"));
                  bool has = false;
                  if (!DateOption(a, "expected", req.mutable_expected_response_date(), &has))
                    return kUsageError;
                  if (!has) req.clear_expected_response_date();
                  if (!DateOption(a, "date", req.mutable_sent_date(), &has)) return kUsageError;
                  if (!has) req.clear_sent_date();
                  Client client(a);
                  grpc::ClientContext ctx;
                  client.Prepare(&ctx);
                  complaints::v1::Complaint resp;
                  return client.Print(client.stub()->RecordHoldingNotice(&ctx, req, &resp), resp);
                }}});
  c.push_back({"complaints respond",
               {"councilctl complaints respond complaints/ID --text=TEXT "
                "[--salient-points='A;B'] [--actions='X;Y'] [--date=YYYY-MM-DD]\n"
                "  The handler responds at the current stage (salient points where the stage\n"
                "  keeps a record of them, Sheffield 15).",
                [](const Args& a) {
                  complaints::v1::RespondToComplaintRequest req;
                  req.set_name(NameArg(a));
                  req.set_text(a.Get("text"));
                  for (auto& p : ListOption(a, "salient-points")) req.add_salient_points(p);
                  for (auto& p : ListOption(a, "actions")) req.add_actions(p);
                  bool has = false;
                  if (!DateOption(a, "date", req.mutable_responded_date(), &has)) return kUsageError;
                  if (!has) req.clear_responded_date();
                  Client client(a);
                  grpc::ClientContext ctx;
                  client.Prepare(&ctx);
                  complaints::v1::Complaint resp;
                  return client.Print(client.stub()->RespondToComplaint(&ctx, req, &resp), resp);
                }}});
  c.push_back({"complaints escalate",
               {"councilctl complaints escalate complaints/ID --reason=TEXT [--date=YYYY-MM-DD] "
                "[--trade-union-consulted] [--raise-directly]\n"
                "  Moves the complaint to the next stage of its ladder (complainant or handler).\n"
                "  The complainant may say they consulted their trade union representative\n"
                "  first, and raise it directly with the stage's direct handler, where the\n"
                "  profile provides for it (South Somerset 17.4: the Senior HR Employee).",
                [](const Args& a) {
                  complaints::v1::EscalateComplaintRequest req;
                  req.set_name(NameArg(a));
                  req.set_reason(a.Get("reason"));
                  req.set_trade_union_consulted(a.Has("trade-union-consulted"));
                  req.set_raise_directly(a.Has("raise-directly"));
                  bool has = false;
                  if (!DateOption(a, "date", req.mutable_escalated_date(), &has)) return kUsageError;
                  if (!has) req.clear_escalated_date();
                  Client client(a);
                  grpc::ClientContext ctx;
                  client.Prepare(&ctx);
                  complaints::v1::Complaint resp;
                  return client.Print(client.stub()->EscalateComplaint(&ctx, req, &resp), resp);
                }}});
  c.push_back({"complaints close",
               {"councilctl complaints close complaints/ID "
                "--finding=upheld|partly-upheld|not-upheld|resolved --summary=TEXT "
                "[--apology=written|verbal] [--undertaking=TEXT] [--changes='A;B'] "
                "[--follow-up=YYYY-MM-DD] [--date=YYYY-MM-DD]\n"
                "  The handler records the outcome; required changes schedule the follow-up\n"
                "  check (South Somerset 16.7: six months, or the pre-specified date).",
                [](const Args& a) {
                  static const std::map<std::string, complaints::v1::OutcomeFinding> kFindings = {
                      {"upheld", complaints::v1::OUTCOME_FINDING_UPHELD},
                      {"partly-upheld", complaints::v1::OUTCOME_FINDING_PARTLY_UPHELD},
                      {"not-upheld", complaints::v1::OUTCOME_FINDING_NOT_UPHELD},
                      {"resolved", complaints::v1::OUTCOME_FINDING_RESOLVED}};
                  auto finding = kFindings.find(a.Get("finding"));
                  if (finding == kFindings.end()) return Usage("complaints close: unknown --finding");
                  complaints::v1::CloseComplaintRequest req;
                  req.set_name(NameArg(a));
                  auto* outcome = req.mutable_outcome();
                  outcome->set_finding(finding->second);
                  outcome->set_summary(a.Get("summary"));
                  const std::string apology = a.Get("apology");
                  if (apology == "written") outcome->set_apology(complaints::v1::APOLOGY_WRITTEN);
                  else if (apology == "verbal") outcome->set_apology(complaints::v1::APOLOGY_VERBAL);
                  else if (!apology.empty()) return Usage("--apology must be written or verbal");
                  outcome->set_undertaking(a.Get("undertaking"));
                  for (auto& change : ListOption(a, "changes")) outcome->add_required_changes(change);
                  bool has = false;
                  if (!DateOption(a, "follow-up", req.mutable_follow_up_date(), &has)) return kUsageError;
                  if (!has) req.clear_follow_up_date();
                  if (!DateOption(a, "date", req.mutable_decided_date(), &has)) return kUsageError;
                  if (!has) req.clear_decided_date();
                  Client client(a);
                  grpc::ClientContext ctx;
                  client.Prepare(&ctx);
                  complaints::v1::Complaint resp;
                  return client.Print(client.stub()->CloseComplaint(&ctx, req, &resp), resp);
                }}});
  c.push_back({"complaints breach",
               {"councilctl complaints breach complaints/ID --breached-by=people/ID "
                "--finding=TEXT\n"
                "  Records a breach found after an upheld complaint and routes it by who\n"
                "  breached (Middlesbrough 20.1-20.3).",
                [](const Args& a) {
                  complaints::v1::RecordBreachFindingRequest req;
                  req.set_name(NameArg(a));
                  req.set_breached_by(a.Get("breached-by"));
                  req.set_finding(a.Get("finding"));
                  Client client(a);
                  grpc::ClientContext ctx;
                  client.Prepare(&ctx);
                  complaints::v1::Complaint resp;
                  return client.Print(client.stub()->RecordBreachFinding(&ctx, req, &resp), resp);
                }}});
  c.push_back({"complaints formal-action",
               {"councilctl complaints formal-action complaints/ID --decision=take|none "
                "--reasons=TEXT [--hr-consulted=people/ID]\n"
                "  A manager of the officer, having consulted HR, decides on formal action;\n"
                "  members never do (Sheffield 15).",
                [](const Args& a) {
                  const std::string decision = a.Get("decision");
                  if (decision != "take" && decision != "none")
                    return Usage("--decision must be take or none");
                  complaints::v1::DecideFormalActionRequest req;
                  req.set_name(NameArg(a));
                  req.set_formal_action(decision == "take");
                  req.set_reasons(a.Get("reasons"));
                  req.set_hr_consulted(a.Get("hr-consulted"));
                  Client client(a);
                  grpc::ClientContext ctx;
                  client.Prepare(&ctx);
                  complaints::v1::Complaint resp;
                  return client.Print(client.stub()->DecideFormalAction(&ctx, req, &resp), resp);
                }}});
  c.push_back({"complaints follow-up",
               {"councilctl complaints follow-up complaints/ID --implemented=yes|no "
                "--content=yes|no [--notes=TEXT] [--date=YYYY-MM-DD]\n"
                "  Records the follow-up check (South Somerset 16.7).",
                [](const Args& a) {
                  complaints::v1::CompleteFollowUpCheckRequest req;
                  req.set_name(NameArg(a));
                  req.set_changes_implemented(a.Get("implemented") == "yes");
                  req.set_complainant_content(a.Get("content") == "yes");
                  req.set_notes(a.Get("notes"));
                  bool has = false;
                  if (!DateOption(a, "date", req.mutable_completed_date(), &has)) return kUsageError;
                  if (!has) req.clear_completed_date();
                  Client client(a);
                  grpc::ClientContext ctx;
                  client.Prepare(&ctx);
                  complaints::v1::Complaint resp;
                  return client.Print(client.stub()->CompleteFollowUpCheck(&ctx, req, &resp), resp);
                }}});
  c.push_back({"complaints timeline",
               {"councilctl complaints timeline complaints/ID [--page-size=N] [--page-token=T]\n"
                "  Every state change of the complaint, oldest first (the read is audited).",
                [](const Args& a) {
                  complaints::v1::GetComplaintTimelineRequest req;
                  req.set_name(NameArg(a));
                  req.set_page_size(std::atoi(a.Get("page-size", "0").c_str()));
                  req.set_page_token(a.Get("page-token"));
                  Client client(a);
                  grpc::ClientContext ctx;
                  client.Prepare(&ctx);
                  complaints::v1::ComplaintTimeline resp;
                  return client.Print(client.stub()->GetComplaintTimeline(&ctx, req, &resp), resp);
                }}});
  c.push_back({"complaints watch",
               {"councilctl complaints watch [--after=POSITION] [--complaint=complaints/ID] "
                "[--seconds=N]\n"
                "  Streams events from the outbox (administrators and auditors); resume with\n"
                "  the last position printed. --seconds stops after N seconds (0: forever).",
                [](const Args& a) {
                  complaints::v1::WatchComplaintEventsRequest req;
                  req.set_after_position(std::atoll(a.Get("after", "0").c_str()));
                  req.set_complaint(a.Get("complaint"));
                  const int seconds = std::atoi(a.Get("seconds", "0").c_str());
                  Client client(a);
                  client.set_watching();
                  grpc::ClientContext ctx;
                  client.Prepare(&ctx, seconds > 0 ? absl::Seconds(seconds) : absl::Hours(24 * 365));
                  auto reader = client.stub()->WatchComplaintEvents(&ctx, req);
                  complaints::v1::ComplaintEvent event;
                  while (reader->Read(&event)) client.PrintMessage(event);
                  grpc::Status status = reader->Finish();
                  if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED && seconds > 0)
                    return 0;
                  return status.ok() ? 0 : client.PrintError(status);
                }}});
  c.push_back({"complaints sweep",
               {"councilctl complaints sweep [--as-of=YYYY-MM-DD]\n"
                "  Runs the deadline sweeper now (administrators).",
                [](const Args& a) {
                  complaints::v1::RunSweepRequest req;
                  bool has = false;
                  if (!DateOption(a, "as-of", req.mutable_as_of(), &has)) return kUsageError;
                  if (!has) req.clear_as_of();
                  Client client(a);
                  grpc::ClientContext ctx;
                  client.Prepare(&ctx);
                  complaints::v1::RunSweepResponse resp;
                  return client.Print(client.stub()->RunSweep(&ctx, req, &resp), resp);
                }}});
  c.push_back({"complaints recompute",
               {"councilctl complaints recompute --reason=TEXT\n"
                "  Recomputes open deadlines on the calendar now in force (administrators).",
                [](const Args& a) {
                  complaints::v1::RecomputeDeadlinesRequest req;
                  req.set_reason(a.Get("reason"));
                  Client client(a);
                  grpc::ClientContext ctx;
                  client.Prepare(&ctx);
                  complaints::v1::RecomputeDeadlinesResponse resp;
                  return client.Print(client.stub()->RecomputeDeadlines(&ctx, req, &resp), resp);
                }}});
  for (const auto& [name, command] : c) table->Add(name, command);
}

}  // namespace council::ctl
