// complaints_server.h — the ComplaintsService gRPC API.
//
// Files complaints by the authenticated caller, picks the profile's route for
// the kind of complaint, checks the subject in relations-service and computes
// the first stage's deadlines in the council's working days.
#ifndef COUNCIL_COMPLAINTS_SERVICE_COMPLAINTS_SERVER_H_
#define COUNCIL_COMPLAINTS_SERVICE_COMPLAINTS_SERVER_H_

#include <memory>

#include "common/calendar/working_day_calendar.h"
#include "common/profile/profile_loader.h"
#include "common/server/caller.h"
#include "complaints-service/complaints_store.h"
#include "council/complaints/v1/complaints_service.grpc.pb.h"
#include "council/relations/v1/relations_service.grpc.pb.h"

namespace council::complaints {

class ComplaintsServer final : public v1::ComplaintsService::Service {
 public:
  ComplaintsServer(ComplaintsStore* store, std::shared_ptr<const CouncilProfile> profile,
                   std::shared_ptr<grpc::Channel> relations, auth::AssertionKey key);

  grpc::Status CreateComplaint(grpc::ServerContext*, const v1::CreateComplaintRequest*,
                               v1::Complaint*) override;
  grpc::Status GetComplaint(grpc::ServerContext*, const v1::GetComplaintRequest*,
                            v1::Complaint*) override;

 private:
  // Returns NOT_FOUND if `person` is not in the directory.
  grpc::Status CheckPersonExists(absl::string_view person, absl::string_view on_behalf_of);

  ComplaintsStore* store_;
  std::shared_ptr<const CouncilProfile> profile_;
  calendar::WorkingDayCalendar calendar_;
  std::unique_ptr<relations::v1::RelationsService::Stub> relations_;
  auth::AssertionKey key_;
  CallerAuthenticator authenticator_;
};

}  // namespace council::complaints

#endif  // COUNCIL_COMPLAINTS_SERVICE_COMPLAINTS_SERVER_H_
