// RelationsService handler for conflict checks (answered from the snapshot).
#include "absl/strings/str_cat.h"
#include "common/errors/grpc_errors.h"
#include "common/util/resource_names.h"
#include "relations-service/conflict_checker.h"
#include "relations-service/relations_server.h"

namespace council::relations {

grpc::ServerUnaryReactor* RelationsServer::CheckConflict(grpc::CallbackServerContext* context,
                                                         const v1::CheckConflictRequest* request,
                                                         v1::CheckConflictResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(AnswerConflictCheck(context, request, response));
  return reactor;
}

grpc::Status RelationsServer::AnswerConflictCheck(const grpc::ServerContextBase* context,
                                                  const v1::CheckConflictRequest* request,
                                                  v1::CheckConflictResponse* response) {
  COUNCIL_AUTHENTICATE_OR_RETURN(caller, authenticator_, context,
                                 FullMethodName(internal::kService, "CheckConflict"));
  // Answers reveal declarations: officers arranging bodies, panels and
  // hearings, the monitoring officer, auditors and the suite's services ask;
  // members and political assistants do not (the gateway's policy says the
  // same; checked again so a policy mistake cannot open it).
  if (auto s = internal::RequireRole(caller, {"officer", "monitoring-officer", "auditor"},
                                     "CheckConflict");
      !s.ok())
    return s;
  if (!ParseName(request->person(), "people", "person").ok())
    return InvalidField("person", "must be people/{person}");
  if (request->setting() == v1::CONFLICT_SETTING_UNSPECIFIED)
    return InvalidField("setting", "is required");
  const bool interest = request->setting() == v1::CONFLICT_SETTING_INTEREST_IN_MATTER;
  if (interest) {
    if (!IsValidId(request->matter()))
      return InvalidField("matter", "is required for CONFLICT_SETTING_INTEREST_IN_MATTER");
  } else if (!ParseName(request->other_person(), "people", "other_person").ok()) {
    return InvalidField("other_person", "must be people/{person}");
  }
  auto day = internal::AsOf(request->has_as_of(), request->as_of());
  if (!day.ok()) return FromAbsl(day.status(), __func__);
  auto directory = store_->Snapshot();
  if (directory->FindPerson(request->person()) == nullptr) return NotFound(request->person());
  if (!interest && directory->FindPerson(request->other_person()) == nullptr)
    return NotFound(request->other_person());
  *response = relations::CheckConflict(*directory, *profile_, *request, *day);
  return grpc::Status::OK;
}

}  // namespace council::relations
