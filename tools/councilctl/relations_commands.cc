// relations_commands.cc — councilctl's relations-service commands: the
// directory (people, bodies, memberships), conflicts, the register of
// interests, acting designation holders and management chains.
#include "tools/councilctl/relations_commands.h"

#include <cstdlib>
#include <map>

#include "absl/strings/str_split.h"
#include "common/util/resource_names.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "tools/councilctl/gateway_client.h"

namespace council::ctl {

using Client = GatewayClient;

void AddRelationsCommands(CommandTable* table) {
  table->Add("people get", {"councilctl people get people/ID", [](const Args& a) {
    if (a.positionals.size() < 3) return Usage("people get: NAME required");
    Client client(a);
    auto stub = relations::v1::RelationsService::NewStub(client.channel());
    grpc::ClientContext ctx;
    client.Prepare(&ctx);
    relations::v1::GetPersonRequest req;
    req.set_name(a.positionals[2]);
    relations::v1::Person resp;
    return client.Print(stub->GetPerson(&ctx, req, &resp), resp);
  }});
  table->Add("people list", {"councilctl people list [--page-size=N] [--page-token=T]", [](const Args& a) {
    Client client(a);
    auto stub = relations::v1::RelationsService::NewStub(client.channel());
    grpc::ClientContext ctx;
    client.Prepare(&ctx);
    relations::v1::ListPeopleRequest req;
    req.set_page_size(std::atoi(a.Get("page-size", "0").c_str()));
    req.set_page_token(a.Get("page-token"));
    relations::v1::ListPeopleResponse resp;
    return client.Print(stub->ListPeople(&ctx, req, &resp), resp);
  }});
  table->Add("bodies list", {"councilctl bodies list [--page-size=N] [--page-token=T]", [](const Args& a) {
    Client client(a);
    auto stub = relations::v1::RelationsService::NewStub(client.channel());
    grpc::ClientContext ctx;
    client.Prepare(&ctx);
    relations::v1::ListBodiesRequest req;
    req.set_page_size(std::atoi(a.Get("page-size", "0").c_str()));
    req.set_page_token(a.Get("page-token"));
    relations::v1::ListBodiesResponse resp;
    return client.Print(stub->ListBodies(&ctx, req, &resp), resp);
  }});
  table->Add("memberships list", {
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
      }});
  table->Add("conflicts check", {
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
      }});
  table->Add("register get", {
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
      }});
  table->Add("designations acting", {
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
      }});
  table->Add("chain get", {"councilctl chain get people/ID\n  The person's post and the posts above it.",
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
  }});
}

}  // namespace council::ctl
