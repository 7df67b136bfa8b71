#include "complaints-service/complaints_server.h"

#include "absl/random/random.h"
#include "grpcpp/channel.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/errors/grpc_errors.h"
#include "common/util/resource_names.h"
#include "complaints-service/deadlines.h"
#include "google/protobuf/util/time_util.h"

namespace council::complaints {
namespace {

constexpr char kService[] = "council.complaints.v1.ComplaintsService";

#define COUNCIL_AUTHENTICATE(caller, method) \
  COUNCIL_AUTHENTICATE_OR_RETURN(caller, authenticator_, context, FullMethodName(kService, method))

std::string NewComplaintId() {
  static absl::Mutex mu(absl::kConstInit);
  static absl::BitGen* gen = new absl::BitGen();
  absl::MutexLock lock(&mu);
  return absl::StrFormat("c-%012x-%08x", absl::ToUnixMillis(absl::Now()),
                         absl::Uniform<uint32_t>(*gen));
}

const profile::v1::ComplaintRoute* FindRoute(const profile::v1::CouncilProfile& profile,
                                             profile::v1::ComplaintKind kind) {
  for (const auto& route : profile.complaints().routes())
    if (route.kind() == kind) return &route;
  return nullptr;
}

}  // namespace

ComplaintsServer::ComplaintsServer(ComplaintsStore* store,
                                   std::shared_ptr<const CouncilProfile> profile,
                                   std::shared_ptr<grpc::Channel> relations,
                                   auth::AssertionKey key)
    : store_(store),
      profile_(std::move(profile)),
      calendar_(CouncilCalendar(*profile_)),
      relations_(relations::v1::RelationsService::NewStub(relations)),
      key_(key),
      authenticator_(std::move(key)) {}

grpc::Status ComplaintsServer::CheckPersonExists(absl::string_view person,
                                                 absl::string_view on_behalf_of) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  static const std::string kMethod =
      FullMethodName(relations::v1::RelationsService::service_full_name(), "GetPerson");
  SignCall(&context, key_, "services/complaints-service", {}, on_behalf_of, kMethod);
  relations::v1::GetPersonRequest request;
  request.set_name(std::string(person));
  relations::v1::Person response;
  grpc::Status status = relations_->GetPerson(&context, request, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) return NotFound(person);
  if (!status.ok())
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        absl::StrCat("relations-service: ", status.error_message()));
  return grpc::Status::OK;
}

grpc::Status ComplaintsServer::CreateComplaint(grpc::ServerContext* context,
                                               const v1::CreateComplaintRequest* request,
                                               v1::Complaint* response) {
  COUNCIL_AUTHENTICATE(caller, "CreateComplaint");
  const auto& complaint = request->complaint();
  const std::string& complainant = caller.Person();
  if (complaint.kind() == profile::v1::COMPLAINT_KIND_UNSPECIFIED)
    return InvalidField("complaint.kind", "is required");
  if (complaint.summary().empty()) return InvalidField("complaint.summary", "is required");
  if (complaint.summary().size() > 10000)
    return InvalidField("complaint.summary", "must be at most 10,000 characters");
  const bool casework = complaint.kind() == profile::v1::COMPLAINT_KIND_MEMBER_CASEWORK;
  if (casework ? !ParseName(complaint.subject(), "services", "complaint.subject").ok()
               : !ParseName(complaint.subject(), "people", "complaint.subject").ok())
    return InvalidField("complaint.subject",
                        casework ? "casework is about a service: services/{service}"
                                 : "must be the person complained about: people/{person}");
  if (complaint.subject() == complainant)
    return InvalidField("complaint.subject", "a person cannot complain about themselves");
  absl::CivilDay filed = TodayInLondon();
  if (complaint.has_filed_date()) {
    auto day = ToCivilDay(complaint.filed_date(), "complaint.filed_date");
    if (!day.ok()) return InvalidField("complaint.filed_date", "is not a valid date");
    if (*day > filed) return InvalidField("complaint.filed_date", "is in the future");
    filed = *day;
  }
  const profile::v1::ComplaintRoute* route = FindRoute(*profile_, complaint.kind());
  if (route == nullptr || route->stages().empty())
    return RuleForbids(profile_->protocol_source(), complaint.subject(),
                       absl::StrCat("the ", profile_->display_name(),
                                    " protocol has no procedure for ",
                                    profile::v1::ComplaintKind_Name(complaint.kind())));
  if (!casework) {
    if (auto s = CheckPersonExists(complaint.subject(), complainant); !s.ok()) return s;
  }

  *response = complaint;
  response->set_name(absl::StrCat("complaints/", NewComplaintId()));
  response->set_complainant(complainant);
  *response->mutable_filed_date() = ToProtoDate(filed);
  response->set_state(v1::COMPLAINT_STATE_OPEN);
  const auto& stage = route->stages(0);
  response->set_current_stage(stage.id());
  response->clear_deadlines();
  for (auto& deadline : StageDeadlines(stage, filed, calendar_))
    *response->add_deadlines() = std::move(deadline);
  response->clear_route_reasons();
  auto* reason = response->add_route_reasons();
  *reason->mutable_citation() = route->clause();
  reason->set_finding(absl::StrCat("route for ", profile::v1::ComplaintKind_Name(route->kind())));
  auto* stage_reason = response->add_route_reasons();
  *stage_reason->mutable_citation() = stage.clause();
  stage_reason->set_finding(absl::StrCat("first stage: ", stage.title()));
  *response->mutable_create_time() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(absl::Now()));
  return FromAbsl(store_->CreateComplaint(*response, complainant), "CreateComplaint");
}

grpc::Status ComplaintsServer::GetComplaint(grpc::ServerContext* context,
                                            const v1::GetComplaintRequest* request,
                                            v1::Complaint* response) {
  COUNCIL_AUTHENTICATE(caller, "GetComplaint");
  auto id = ParseName(request->name(), "complaints");
  if (!id.ok())
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, std::string(id.status().message()));
  auto found = store_->GetComplaint(*id, response);
  if (!found.ok()) return FromAbsl(found.status(), "GetComplaint");
  bool may_read = *found && (response->complainant() == caller.Person() ||
                             response->subject() == caller.Person());
  for (const auto& designation : profile_->complaints().readers_designation_ids())
    may_read = may_read || (*found && caller.HasRole(designation));
  // Complaints are confidential: anyone else is told it does not exist.
  if (!may_read) {
    response->Clear();
    return NotFound(request->name());
  }
  return grpc::Status::OK;
}

}  // namespace council::complaints
