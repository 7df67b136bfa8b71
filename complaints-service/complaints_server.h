// complaints_server.h — the ComplaintsService gRPC API.
//
// Authenticates each call (the gateway's internal assertion), checks input,
// enforces who may see and do what on a complaint, and hands the work to the
// workflow (workflow.h) and the pure ladder (ladder.h):
//
//   ComplaintsServer service(&workflow, std::move(key), {.per_caller = 16, .total = 2000});
//   runner.AddService(&service);
//   ...
//   service.Stop();  // ends watch streams before the server shuts down
//
// WatchComplaintEvents uses gRPC's callback API (watch_hub.h): an open stream
// costs a reactor and a short queue, not a thread. The other methods are
// synchronous.
//
// Confidentiality: a complaint is visible to its participants (complainant,
// subject, handlers, advisers, people the protocol says are told) and to the
// holders of the profile's reader designations; to everyone else it does not
// exist (NOT_FOUND), so its existence is not disclosed either.
#ifndef COUNCIL_COMPLAINTS_SERVICE_COMPLAINTS_SERVER_H_
#define COUNCIL_COMPLAINTS_SERVICE_COMPLAINTS_SERVER_H_

#include <memory>
#include <string>

#include "common/server/caller.h"
#include "complaints-service/watch_hub.h"
#include "complaints-service/workflow.h"
#include "council/complaints/v1/complaints_service.grpc.pb.h"

namespace council::complaints {

class ComplaintsServer final
    : public v1::ComplaintsService::WithCallbackMethod_WatchComplaintEvents<
          v1::ComplaintsService::Service> {
 public:
  ComplaintsServer(Workflow* workflow, auth::AssertionKey key, WatchLimits watch_limits = {});

  // Stop
  //
  // Ends every watch stream (UNAVAILABLE, with the position to resume from)
  // and refuses new ones. Call before the gRPC server shuts down; destroy the
  // server before this object.
  void Stop();

  // The watch streams' figures (tests, metrics).
  WatchHub& watch_hub() { return watch_hub_; }

  grpc::Status CreateComplaint(grpc::ServerContext*, const v1::CreateComplaintRequest*,
                               v1::Complaint*) override;
  grpc::Status GetComplaint(grpc::ServerContext*, const v1::GetComplaintRequest*,
                            v1::Complaint*) override;
  grpc::Status ListComplaints(grpc::ServerContext*, const v1::ListComplaintsRequest*,
                              v1::ListComplaintsResponse*) override;
  grpc::Status AcknowledgeComplaint(grpc::ServerContext*, const v1::AcknowledgeComplaintRequest*,
                                    v1::Complaint*) override;
  grpc::Status RecordHoldingNotice(grpc::ServerContext*, const v1::RecordHoldingNoticeRequest*,
                                   v1::Complaint*) override;
  grpc::Status RespondToComplaint(grpc::ServerContext*, const v1::RespondToComplaintRequest*,
                                  v1::Complaint*) override;
  grpc::Status EscalateComplaint(grpc::ServerContext*, const v1::EscalateComplaintRequest*,
                                 v1::Complaint*) override;
  grpc::Status CloseComplaint(grpc::ServerContext*, const v1::CloseComplaintRequest*,
                              v1::Complaint*) override;
  grpc::Status RecordBreachFinding(grpc::ServerContext*, const v1::RecordBreachFindingRequest*,
                                   v1::Complaint*) override;
  grpc::Status DecideFormalAction(grpc::ServerContext*, const v1::DecideFormalActionRequest*,
                                  v1::Complaint*) override;
  grpc::Status CompleteFollowUpCheck(grpc::ServerContext*,
                                     const v1::CompleteFollowUpCheckRequest*,
                                     v1::Complaint*) override;
  grpc::Status GetComplaintTimeline(grpc::ServerContext*, const v1::GetComplaintTimelineRequest*,
                                    v1::ComplaintTimeline*) override;
  grpc::ServerWriteReactor<v1::ComplaintEvent>* WatchComplaintEvents(
      grpc::CallbackServerContext*, const v1::WatchComplaintEventsRequest*) override;
  grpc::Status RunSweep(grpc::ServerContext*, const v1::RunSweepRequest*,
                        v1::RunSweepResponse*) override;
  grpc::Status RecomputeDeadlines(grpc::ServerContext*, const v1::RecomputeDeadlinesRequest*,
                                  v1::RecomputeDeadlinesResponse*) override;

 private:
  // Loads complaint `name` if `caller` may read it; NOT_FOUND otherwise.
  grpc::Status Load(const Caller& caller, absl::string_view name, v1::Complaint* out,
                    std::string* id);
  // True if `caller` holds one of the profile's reader designations.
  bool IsReader(const Caller& caller) const;
  // A day from an optional request field: unset means today; the future is
  // refused.
  grpc::Status DayOf(const common::v1::Date& date, bool has, absl::string_view field,
                     absl::CivilDay* day) const;
  // Applies a ladder step as the current stage's handler.
  using StageStep = std::function<absl::StatusOr<Events>(const profile::v1::ComplaintStage&,
                                                         v1::Complaint*)>;
  // Who may take the step is `StageActors(complaint, act)` (ladder.h).
  grpc::Status HandlerStep(const Caller& caller, absl::string_view name, absl::string_view method,
                           StageAct act, const StageStep& step, v1::Complaint* response);
  // Authenticates and checks a watch request: the caller's person, and the
  // complaint's name or empty.
  grpc::Status AdmitWatch(const grpc::ServerContextBase* context,
                          const v1::WatchComplaintEventsRequest* request, std::string* caller,
                          std::string* complaint);
  // Decorates `complaint` for reading today.
  void ForRead(v1::Complaint* complaint) const;

  Workflow* workflow_;
  CallerAuthenticator authenticator_;
  WatchHub watch_hub_;
};

}  // namespace council::complaints

#endif  // COUNCIL_COMPLAINTS_SERVICE_COMPLAINTS_SERVER_H_
