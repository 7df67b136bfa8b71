// Tests for access-service/access_server.h, in one process: the real
// AccessServer on a loopback port with an in-memory store, and a fake
// relations-service answering the calls access-service makes. Callers sign
// their own assertions, as the gateway does.
//
// The central property: for every member and every document, "what may I
// see" lists a document exactly when "explain" (and a real request) grants
// it, under several councils' profiles.
#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "access-service/access_server.h"
#include "access-service/access_store.h"
#include "common/errors/grpc_errors.h"
#include "common/profile/profile_loader.h"
#include "common/server/caller.h"
#include "common/util/resource_names.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "tests/e2e/raw_client_stream.h"

namespace council::access {
namespace {

using ::testing::HasSubstr;

const absl::CivilDay kToday(2026, 12, 4);
constexpr char kMember[] = "people/cllr-ada";        // planning committee, abbey, labour
constexpr char kOtherMember[] = "people/cllr-ben";   // no seats, harbour, conservative
constexpr char kAssistant[] = "people/pa-cara";      // labour political assistant
constexpr char kCoOpted[] = "people/coopt-dev";      // audit committee
constexpr char kOfficer[] = "people/off-eve";
constexpr char kMonitoringOfficer[] = "people/off-mo";

// Just enough of relations-service for access-service.
class FakeRelations final : public relations::v1::RelationsService::Service {
 public:
  FakeRelations() {
    auto person = [&](const char* name, relations::v1::PersonKind kind, const char* ward,
                      const char* group) {
      relations::v1::Person p;
      p.set_name(name);
      p.set_kind(kind);
      p.set_ward(ward);
      p.set_party_group(group);
      people_[name] = p;
    };
    person(kMember, relations::v1::PERSON_KIND_MEMBER, "wards/abbey", "groups/labour");
    person(kOtherMember, relations::v1::PERSON_KIND_MEMBER, "wards/harbour", "groups/conservative");
    person(kAssistant, relations::v1::PERSON_KIND_POLITICAL_ASSISTANT, "", "groups/labour");
    person(kCoOpted, relations::v1::PERSON_KIND_CO_OPTED_MEMBER, "", "");
    person(kOfficer, relations::v1::PERSON_KIND_OFFICER, "", "");
    person("people/off-director", relations::v1::PERSON_KIND_OFFICER, "", "");
    seats_[kMember] = {"bodies/planning"};
    seats_[kCoOpted] = {"bodies/audit"};
  }

  grpc::Status GetPerson(grpc::ServerContext*, const relations::v1::GetPersonRequest* request,
                         relations::v1::Person* response) override {
    if (down_) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "down");
    auto it = people_.find(request->name());
    if (it == people_.end()) return grpc::Status(grpc::StatusCode::NOT_FOUND, request->name());
    *response = it->second;
    return grpc::Status::OK;
  }
  grpc::Status ListMemberships(grpc::ServerContext*,
                               const relations::v1::ListMembershipsRequest* request,
                               relations::v1::ListMembershipsResponse* response) override {
    for (const auto& body : seats_[request->person()]) {
      auto* m = response->add_memberships();
      m->set_name(absl::StrCat(body, "/memberships/", request->person().substr(7)));
      m->set_person(request->person());
    }
    return grpc::Status::OK;
  }
  grpc::Status ListPortfolios(grpc::ServerContext*, const relations::v1::ListPortfoliosRequest*,
                              relations::v1::ListPortfoliosResponse* response) override {
    auto* p = response->add_portfolios();
    p->set_name("portfolios/environment");
    p->set_holder(kMember);
    p->add_services("waste");
    return grpc::Status::OK;
  }
  // The directory's names, which imports are checked against.
  grpc::Status ListPeople(grpc::ServerContext*, const relations::v1::ListPeopleRequest*,
                          relations::v1::ListPeopleResponse* response) override {
    if (down_) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "down");
    for (const auto& [name, person] : people_) *response->add_people() = person;
    return grpc::Status::OK;
  }
  grpc::Status ListBodies(grpc::ServerContext*, const relations::v1::ListBodiesRequest*,
                          relations::v1::ListBodiesResponse* response) override {
    for (const char* name : {"bodies/audit", "bodies/executive", "bodies/planning"})
      response->add_bodies()->set_name(name);
    return grpc::Status::OK;
  }
  grpc::Status ListWards(grpc::ServerContext*, const relations::v1::ListWardsRequest*,
                         relations::v1::ListWardsResponse* response) override {
    for (const char* name : {"wards/abbey", "wards/harbour"}) response->add_wards()->set_name(name);
    return grpc::Status::OK;
  }
  grpc::Status ListPartyGroups(grpc::ServerContext*, const relations::v1::ListPartyGroupsRequest*,
                               relations::v1::ListPartyGroupsResponse* response) override {
    for (const char* name : {"groups/conservative", "groups/labour"})
      response->add_party_groups()->set_name(name);
    return grpc::Status::OK;
  }
  grpc::Status GetRegister(grpc::ServerContext*, const relations::v1::GetRegisterRequest* request,
                           relations::v1::Register* response) override {
    response->set_person(request->person());
    if (request->person() == kMember) {
      auto* interest = response->add_interests();
      interest->set_name(absl::StrCat(kMember, "/interests/int-1"));
      interest->set_category(relations::v1::INTEREST_CATEGORY_LAND);
      interest->add_matters("matter-depot");
    }
    return grpc::Status::OK;
  }
  grpc::Status GetActingHolder(grpc::ServerContext*,
                               const relations::v1::GetActingHolderRequest* request,
                               relations::v1::ActingHolder* response) override {
    // As relations-service answers when nobody holds the post, nor a deputy.
    if (vacant_)
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          absl::StrCat("nobody can act as ", request->designation(), ": ",
                                       request->designation(), " has no holder on that day"));
    if (request->designation() == "designations/proper-officer")
      response->set_person("people/off-proper");
    else if (request->designation() == "designations/monitoring-officer" ||
             request->designation() == "designations/clerk")
      response->set_person(kMonitoringOfficer);
    else
      return grpc::Status(grpc::StatusCode::NOT_FOUND, request->designation());
    response->set_designation(request->designation());
    return grpc::Status::OK;
  }

  bool down_ = false;
  std::atomic<bool> vacant_{false};

 private:
  std::map<std::string, relations::v1::Person> people_;
  std::map<std::string, std::vector<std::string>> seats_;
};

// A small catalogue covering every branch of the rules.
std::vector<v1::Document> Catalogue() {
  std::vector<v1::Document> documents;
  const char* const bodies[] = {"", "bodies/planning", "bodies/audit", "bodies/executive"};
  const char* const wards[] = {"", "wards/abbey", "wards/harbour"};
  const v1::DocumentStatus statuses[] = {v1::DOCUMENT_STATUS_OPEN, v1::DOCUMENT_STATUS_CONFIDENTIAL,
                                         v1::DOCUMENT_STATUS_EXEMPT,
                                         v1::DOCUMENT_STATUS_NOT_FOR_PUBLICATION};
  int n = 0;
  for (const char* body : bodies)
    for (const char* ward : wards)
      for (auto status : statuses)
        for (int variant = 0; variant < 5; ++variant) {
          v1::Document d;
          d.set_name(absl::StrCat("documents/doc-", 1000 + n++));
          d.set_title("Test document");
          d.set_owning_service(variant == 1 ? "waste" : "planning");
          d.set_holding_chief_officer("people/off-director");
          d.set_body(body);
          if (*body != '\0' && variant != 4) *d.mutable_meeting_date() = ToProtoDate(absl::CivilDay(2027, 1, 12));
          if (*ward != '\0') d.add_wards(ward);
          d.set_status(status);
          if (status == v1::DOCUMENT_STATUS_EXEMPT) d.add_exempt_paragraphs(1 + variant);
          if (variant == 2) d.add_matters("matter-depot");
          if (variant == 3) d.set_third_party_personal_data(true);
          if (variant == 4) d.set_party_group(n % 2 ? "groups/labour" : "groups/conservative");
          if (variant == 0 && n % 3 == 0) d.set_requested_advice_for(n % 2 ? kMember : kOtherMember);
          documents.push_back(d);
        }
  return documents;
}

class AccessServerTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    grpc::ServerBuilder relations_builder;
    int relations_port = 0;
    relations_builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                                       &relations_port);
    relations_builder.RegisterService(&relations_);
    relations_server_ = relations_builder.BuildAndStart();
    auto profile = LoadProfile(absl::StrCat(COUNCIL_SOURCE_DIR, "/profiles/", GetParam(),
                                            ".textproto"));
    ASSERT_TRUE(profile.ok()) << profile.status();
    auto store = AccessStore::Open(":memory:");
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
    AccessServerOptions options;
    options.requester_facts_ttl = absl::ZeroDuration();
    options.today = kToday;
    auto server = AccessServer::Create(
        store_.get(), *profile,
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", relations_port),
                            grpc::InsecureChannelCredentials()),
        key_, options);
    ASSERT_TRUE(server.ok()) << server.status();
    service_ = std::move(*server);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    channel_ =
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
    stub_ = v1::AccessService::NewStub(channel_);
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
    if (relations_server_) relations_server_->Shutdown();
  }

  // A context as the gateway would forward it for `person` with `roles`.
  std::unique_ptr<grpc::ClientContext> As(const std::string& person,
                                          std::vector<std::string> roles, const char* method) {
    auto context = std::make_unique<grpc::ClientContext>();
    SignCall(context.get(), key_, person, roles, "",
             FullMethodName(v1::AccessService::service_full_name(), method));
    return context;
  }
  static std::vector<std::string> RolesOf(const std::string& person) {
    if (person == kAssistant) return {"officer", "political-assistant"};
    if (person == kOfficer) return {"officer"};
    if (person == kMonitoringOfficer) return {"officer", "monitoring-officer"};
    return {"member"};
  }

  grpc::Status Import(const std::vector<v1::Document>& documents) {
    v1::ImportDocumentsRequest request;
    for (const auto& d : documents) *request.add_documents() = d;
    v1::ImportDocumentsResponse response;
    return stub_->ImportDocuments(As("people/admin", {"administrator"}, "ImportDocuments").get(),
                                  request, &response);
  }

  // Checks, for one member, that every page of "what may I see" lists
  // exactly the documents ExplainAccess grants, with and without a purpose.
  void CheckListingAgreesWithExplain(const std::string& person,
                                     const std::vector<v1::Document>& documents) {
    for (const char* purpose : {"", "Casework for a constituent."}) {
      SCOPED_TRACE(absl::StrCat(person, " purpose=\"", purpose, "\""));
      // Every page of the listing, small pages so tokens are exercised.
      std::set<std::string> listed;
      v1::ListAccessibleDocumentsRequest list;
      list.set_purpose(purpose);
      list.set_page_size(7);
      grpc::Status status;
      for (int pages = 0; pages < 200; ++pages) {
        v1::ListAccessibleDocumentsResponse page;
        status = stub_->ListAccessibleDocuments(
            As(person, RolesOf(person), "ListAccessibleDocuments").get(), list, &page);
        if (!status.ok()) break;
        for (const auto& entry : page.documents()) {
          EXPECT_TRUE(listed.insert(entry.document().name()).second);
          EXPECT_EQ(entry.decision().outcome(), v1::OUTCOME_GRANTED);
        }
        if (page.next_page_token().empty()) break;
        list.set_page_token(page.next_page_token());
      }
      if (person == kAssistant &&
          !service_->profile().document_access().political_assistant_access().enabled()) {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
        continue;
      }
      ASSERT_TRUE(status.ok()) << status.error_message();
      int granted = 0;
      for (const auto& document : documents) {
        v1::ExplainAccessRequest explain;
        explain.set_document(document.name());
        explain.set_purpose(purpose);
        v1::ExplainAccessResponse explained;
        grpc::Status status = stub_->ExplainAccess(
            As(person, RolesOf(person), "ExplainAccess").get(), explain, &explained);
        if (Hidden(document, person)) {
          // Middlesbrough 14.10: another member's requested advice does not
          // exist for them, in explain and in the listing alike.
          EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << document.name();
          EXPECT_EQ(listed.count(document.name()), 0u) << document.name();
          continue;
        }
        ASSERT_TRUE(status.ok()) << status.error_message();
        const bool grants = explained.decision().outcome() == v1::OUTCOME_GRANTED;
        granted += grants;
        EXPECT_EQ(listed.count(document.name()) == 1, grants)
            << document.ShortDebugString() << " explained as "
            << v1::Outcome_Name(explained.decision().outcome());
      }
      EXPECT_EQ(granted, static_cast<int>(listed.size()));
    }
  }

  // Whether `document` is hidden from `person` calling with RolesOf(person)
  // (another member's requested advice, where the profile hides it).
  bool Hidden(const v1::Document& document, const std::string& person) const {
    const auto roles = RolesOf(person);
    const bool officer = std::find(roles.begin(), roles.end(), "officer") != roles.end();
    return service_->profile().document_access().hide_requested_advice_from_other_members() &&
           !document.requested_advice_for().empty() &&
           document.requested_advice_for() != person && !officer;
  }

  FakeRelations relations_;
  auth::AssertionKey key_ =
      auth::AssertionKey::FromSecretForTesting("access-server-test-secret-of-32-bytes+");
  std::unique_ptr<grpc::Server> relations_server_;
  std::unique_ptr<AccessStore> store_;
  std::unique_ptr<AccessServer> service_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::AccessService::Stub> stub_;
};

TEST_P(AccessServerTest, WhatAMemberMaySeeIsExactlyWhatExplainGrants) {
  const auto documents = Catalogue();
  ASSERT_TRUE(Import(documents).ok());
  // One thread per member: the members' checks are independent.
  std::vector<std::thread> threads;
  for (const char* person : {kMember, kOtherMember, kCoOpted, kAssistant})
    threads.emplace_back([&, person] { CheckListingAgreesWithExplain(person, documents); });
  for (auto& thread : threads) thread.join();
}

TEST_P(AccessServerTest, ARealRequestGetsWhatExplainSaid) {
  const auto documents = Catalogue();
  ASSERT_TRUE(Import(documents).ok());
  for (size_t i = 0; i < documents.size(); i += 7) {
    v1::ExplainAccessRequest explain;
    explain.set_document(documents[i].name());
    explain.set_capacity(v1::CAPACITY_OTHER);
    explain.set_purpose("Need.");
    v1::ExplainAccessResponse explained;
    grpc::Status explain_status =
        stub_->ExplainAccess(As(kMember, {"member"}, "ExplainAccess").get(), explain, &explained);
    v1::CreateAccessRequestRequest create;
    create.mutable_access_request()->set_document(documents[i].name());
    create.mutable_access_request()->set_capacity(v1::CAPACITY_OTHER);
    create.mutable_access_request()->set_purpose("Need.");
    v1::AccessRequest filed;
    grpc::Status status =
        stub_->CreateAccessRequest(As(kMember, {"member"}, "CreateAccessRequest").get(), create,
                                   &filed);
    // Refused alike, or decided alike.
    EXPECT_EQ(status.error_code(), explain_status.error_code()) << documents[i].name();
    EXPECT_EQ(status.error_message(), explain_status.error_message());
    if (Hidden(documents[i], kMember)) {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << documents[i].name();
      continue;
    }
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(filed.decision().outcome(), explained.decision().outcome()) << documents[i].name();
    EXPECT_EQ(filed.decision().reasons_size(), explained.decision().reasons_size());
    if (filed.decision().outcome() == v1::OUTCOME_REFERRED) {
      EXPECT_FALSE(filed.dispute().decider().empty()) << "a referral names its decider";
    }
  }
}

TEST_P(AccessServerTest, WhoMayAskAndWhatTheyAreTold) {
  ASSERT_TRUE(Import(Catalogue()).ok());
  v1::CreateAccessRequestRequest create;
  create.mutable_access_request()->set_document("documents/doc-1000");
  create.mutable_access_request()->set_capacity(v1::CAPACITY_OTHER);
  v1::AccessRequest filed;
  // An officer holding a member's role (a directory error) is still refused.
  grpc::Status officer = stub_->CreateAccessRequest(
      As(kOfficer, {"member"}, "CreateAccessRequest").get(), create, &filed);
  EXPECT_EQ(officer.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(officer.error_message(), HasSubstr("is not a member"));
  // Someone the directory does not know.
  EXPECT_EQ(stub_->CreateAccessRequest(As("people/nobody", {"member"}, "CreateAccessRequest").get(),
                                       create, &filed)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  // The directory is down: retry later, nothing filed.
  relations_.down_ = true;
  EXPECT_EQ(stub_->CreateAccessRequest(As(kMember, {"member"}, "CreateAccessRequest").get(),
                                       create, &filed)
                .error_code(),
            grpc::StatusCode::UNAVAILABLE);
  relations_.down_ = false;
  // An unknown document, a malformed one, a text too long.
  create.mutable_access_request()->set_document("documents/no-such");
  EXPECT_EQ(stub_->CreateAccessRequest(As(kMember, {"member"}, "CreateAccessRequest").get(),
                                       create, &filed)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  create.mutable_access_request()->set_document("no-such");
  EXPECT_EQ(stub_->CreateAccessRequest(As(kMember, {"member"}, "CreateAccessRequest").get(),
                                       create, &filed)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  create.mutable_access_request()->set_document("documents/doc-1000");
  create.mutable_access_request()->set_purpose(std::string(4001, 'x'));
  grpc::Status long_purpose = stub_->CreateAccessRequest(
      As(kMember, {"member"}, "CreateAccessRequest").get(), create, &filed);
  EXPECT_EQ(long_purpose.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldViolations(long_purpose), ::testing::ElementsAre(HasSubstr("purpose")));
  // Nothing above was filed (the auditor reads the record under every profile).
  v1::ListAccessRequestsRequest all;
  v1::ListAccessRequestsResponse listed;
  ASSERT_TRUE(stub_->ListAccessRequests(
                       As("people/auditor", {"officer", "auditor"}, "ListAccessRequests").get(),
                       all, &listed)
                  .ok());
  EXPECT_EQ(listed.access_requests_size(), 0);
}

TEST_P(AccessServerTest, AdviceAMemberAskedForDoesNotExistForOtherMembers) {
  // Middlesbrough 14.10: advice a member asked for is kept confidential from
  // other members: its title and requested_advice_for too. To them it is
  // NOT_FOUND, word for word what a name nobody registered gets.
  v1::Document advice;
  advice.set_name("documents/advice-to-cllr-ada-on-depot");
  advice.set_title("Advice to Cllr Ada on the depot sale");
  advice.set_owning_service("planning");
  advice.set_holding_chief_officer("people/off-director");
  advice.set_status(v1::DOCUMENT_STATUS_OPEN);
  advice.set_requested_advice_for(kMember);
  ASSERT_TRUE(Import({advice}).ok());
  const bool hides =
      service_->profile().document_access().hide_requested_advice_from_other_members();
  EXPECT_EQ(hides, GetParam() == "middlesbrough");
  auto get = [&](const std::string& person, std::vector<std::string> roles,
                 const std::string& name) {
    v1::GetDocumentRequest request;
    request.set_name(name);
    v1::Document document;
    return stub_->GetDocument(As(person, std::move(roles), "GetDocument").get(), request,
                              &document);
  };
  auto listed = [&](const std::string& person, std::vector<std::string> roles) {
    v1::ListDocumentsResponse page;
    EXPECT_TRUE(stub_->ListDocuments(As(person, std::move(roles), "ListDocuments").get(),
                                     v1::ListDocumentsRequest(), &page)
                    .ok());
    return page.documents_size();
  };
  EXPECT_TRUE(get(kMember, {"member"}, advice.name()).ok()) << "the member who asked";
  EXPECT_TRUE(get(kOfficer, {"officer"}, advice.name()).ok()) << "officers";
  EXPECT_EQ(listed(kMember, {"member"}), 1);
  grpc::Status other = get(kOtherMember, {"member"}, advice.name());
  grpc::Status absent = get(kOtherMember, {"member"}, "documents/advice-to-cllr-ada-on-dep0t");
  v1::CreateAccessRequestRequest create;
  create.mutable_access_request()->set_document(advice.name());
  create.mutable_access_request()->set_capacity(v1::CAPACITY_OTHER);
  create.mutable_access_request()->set_purpose("Need.");
  v1::AccessRequest filed;
  grpc::Status asked = stub_->CreateAccessRequest(
      As(kOtherMember, {"member"}, "CreateAccessRequest").get(), create, &filed);
  v1::ExplainAccessRequest explain;
  explain.set_document(advice.name());
  v1::ExplainAccessResponse explained;
  grpc::Status explained_status =
      stub_->ExplainAccess(As(kOtherMember, {"member"}, "ExplainAccess").get(), explain,
                           &explained);
  if (!hides) {
    EXPECT_TRUE(other.ok());
    EXPECT_EQ(listed(kOtherMember, {"member"}), 1);
    return;
  }
  EXPECT_EQ(other.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(absent.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(absl::StrReplaceAll(other.error_message(), {{"depot", "dep0t"}}),
            absent.error_message())
      << "indistinguishable from a document that does not exist";
  EXPECT_EQ(ErrorInfoReason(other), ErrorInfoReason(absent));
  EXPECT_EQ(listed(kOtherMember, {"member"}), 0) << "not in the catalogue either";
  EXPECT_EQ(listed(kAssistant, {"political-assistant"}), 0);
  EXPECT_EQ(asked.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(explained_status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(other.error_message() + asked.error_message() + explained_status.error_message(),
              ::testing::Not(HasSubstr("Ada"))) << "the title is never disclosed";
  // The Monitoring Officer reads the record (14.5): explaining for the other
  // member shows the refusal and its clause.
  explain.set_person(kOtherMember);
  explain.set_purpose("Need.");
  ASSERT_TRUE(stub_->ExplainAccess(As(kMonitoringOfficer, RolesOf(kMonitoringOfficer),
                                      "ExplainAccess")
                                       .get(),
                                   explain, &explained)
                  .ok());
  EXPECT_EQ(explained.decision().outcome(), v1::OUTCOME_REFUSED);
  EXPECT_EQ(explained.decision().reasons(0).citation().clause(), "Middlesbrough 14.10");
}

TEST_P(AccessServerTest, WithNobodyToDecideExplainAndARealRequestFailAlikeCitingTheClause) {
  // A referral nobody can decide (the designation and its deputies vacant):
  // refused with FAILED_PRECONDITION citing the dispute clause, by a real
  // request and by ExplainAccess alike, and nothing is filed.
  const auto documents = Catalogue();
  ASSERT_TRUE(Import(documents).ok());
  relations_.vacant_ = true;
  const std::string clause = service_->profile().document_access().dispute_clause().clause();
  int vacant = 0;
  for (const auto& document : documents) {
    v1::ExplainAccessRequest explain;
    explain.set_document(document.name());
    explain.set_capacity(v1::CAPACITY_OTHER);
    explain.set_purpose("Need.");
    v1::ExplainAccessResponse explained;
    grpc::Status explain_status =
        stub_->ExplainAccess(As(kMember, {"member"}, "ExplainAccess").get(), explain, &explained);
    v1::CreateAccessRequestRequest create;
    create.mutable_access_request()->set_document(document.name());
    create.mutable_access_request()->set_capacity(v1::CAPACITY_OTHER);
    create.mutable_access_request()->set_purpose("Need.");
    v1::AccessRequest filed;
    grpc::Status status = stub_->CreateAccessRequest(
        As(kMember, {"member"}, "CreateAccessRequest").get(), create, &filed);
    EXPECT_EQ(status.error_code(), explain_status.error_code()) << document.name();
    EXPECT_EQ(status.error_message(), explain_status.error_message()) << document.name();
    if (status.error_code() != grpc::StatusCode::FAILED_PRECONDITION) continue;
    ++vacant;
    EXPECT_EQ(ErrorInfoMetadata(status, "clause"), clause) << "a clause, not a file name";
    EXPECT_EQ(ErrorInfoMetadata(explain_status, "clause"), clause);
    EXPECT_EQ(PreconditionSubject(status), document.name());
    EXPECT_THAT(status.error_message(), HasSubstr("nobody can decide"));
  }
  // Profiles whose decider is a designation (or whose decider takes a
  // designation's advice) meet the vacancy; the others never ask.
  const auto& decider = service_->profile().document_access().dispute_decider();
  EXPECT_EQ(vacant > 0, decider.has_designation_id() ||
                            !decider.advised_by_designation_id().empty())
      << vacant << " vacant referrals";
  v1::ListAccessRequestsResponse listed;
  ASSERT_TRUE(stub_->ListAccessRequests(
                       As("people/auditor", {"officer", "auditor"}, "ListAccessRequests").get(),
                       v1::ListAccessRequestsRequest(), &listed)
                  .ok());
  for (const auto& request : listed.access_requests()) {
    if (request.decision().outcome() != v1::OUTCOME_REFERRED) continue;
    EXPECT_FALSE(request.dispute().decider().empty()) << "no referral without a decider was filed";
  }
}

TEST_P(AccessServerTest, MalformedResourceNamesNameTheirFieldInEveryMethod) {
  // The README promises an ErrorInfo and a BadRequest naming the field for
  // every error; `documents/UPPER` used to get neither.
  auto check = [](const grpc::Status& status, const std::string& field) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << field;
    EXPECT_EQ(ErrorInfoReason(status), "ERROR_REASON_INVALID_FIELD") << field;
    auto violations = FieldViolationsOf(status);
    ASSERT_EQ(violations.size(), 1u) << field << ": " << status.error_message();
    EXPECT_EQ(violations[0].field, field);
  };
  {
    v1::GetDocumentRequest request;
    request.set_name("documents/UPPER");
    v1::Document out;
    check(stub_->GetDocument(As(kMember, {"member"}, "GetDocument").get(), request, &out), "name");
  }
  {
    v1::CreateAccessRequestRequest request;
    request.mutable_access_request()->set_document("documents/UPPER");
    request.mutable_access_request()->set_capacity(v1::CAPACITY_OTHER);
    v1::AccessRequest out;
    check(stub_->CreateAccessRequest(As(kMember, {"member"}, "CreateAccessRequest").get(),
                                     request, &out),
          "access_request.document");
  }
  for (const char* method : {"GetAccessRequest", "DisputeAccessRequest", "DecideDispute"}) {
    v1::GetAccessRequestRequest get;
    get.set_name("accessRequests/UPPER");
    v1::DisputeAccessRequestRequest dispute;
    dispute.set_name("accessRequests/UPPER");
    dispute.set_grounds("g");
    v1::DecideDisputeRequest decide;
    decide.set_name("accessRequests/UPPER");
    decide.set_outcome(v1::OUTCOME_GRANTED);
    decide.set_reasons("r");
    v1::AccessRequest out;
    auto context = As(kMember, {"member", "officer"}, method);
    const std::string m = method;
    check(m == "GetAccessRequest"       ? stub_->GetAccessRequest(context.get(), get, &out)
          : m == "DisputeAccessRequest" ? stub_->DisputeAccessRequest(context.get(), dispute, &out)
                                        : stub_->DecideDispute(context.get(), decide, &out),
          "name");
  }
  {
    v1::ExplainAccessRequest request;
    request.set_document("documents/UPPER");
    v1::ExplainAccessResponse out;
    check(stub_->ExplainAccess(As(kMember, {"member"}, "ExplainAccess").get(), request, &out),
          "document");
    request.set_document("documents/doc-1000");
    request.mutable_as_of()->set_year(2026);
    request.mutable_as_of()->set_month(2);
    request.mutable_as_of()->set_day(30);
    check(stub_->ExplainAccess(As(kMember, {"member"}, "ExplainAccess").get(), request, &out),
          "as_of");
  }
  {
    v1::ListDocumentsRequest request;
    request.set_page_token("not-a-token");
    v1::ListDocumentsResponse out;
    check(stub_->ListDocuments(As(kMember, {"member"}, "ListDocuments").get(), request, &out),
          "page_token");
  }
}

TEST_P(AccessServerTest, NotForPublicationIsAMarkBesideTheStatus) {
  // South Somerset 10 and 11: exempt and "Not for Publication" at once; the
  // old status value is taken on input as the mark on an open document.
  v1::Document exempt_and_marked = Catalogue()[0];
  exempt_and_marked.set_name("documents/exempt-and-marked");
  exempt_and_marked.set_status(v1::DOCUMENT_STATUS_EXEMPT);
  exempt_and_marked.clear_exempt_paragraphs();
  exempt_and_marked.add_exempt_paragraphs(3);
  exempt_and_marked.set_not_for_publication(true);
  exempt_and_marked.clear_requested_advice_for();
  v1::Document legacy = exempt_and_marked;
  legacy.set_name("documents/legacy-marked");
  legacy.set_status(v1::DOCUMENT_STATUS_NOT_FOR_PUBLICATION);
  legacy.clear_exempt_paragraphs();
  legacy.set_not_for_publication(false);
  ASSERT_TRUE(Import({exempt_and_marked, legacy}).ok());
  v1::GetDocumentRequest get;
  v1::Document out;
  get.set_name(exempt_and_marked.name());
  ASSERT_TRUE(stub_->GetDocument(As(kOfficer, {"officer"}, "GetDocument").get(), get, &out).ok());
  EXPECT_EQ(out.status(), v1::DOCUMENT_STATUS_EXEMPT);
  EXPECT_TRUE(out.not_for_publication());
  get.set_name(legacy.name());
  ASSERT_TRUE(stub_->GetDocument(As(kOfficer, {"officer"}, "GetDocument").get(), get, &out).ok());
  EXPECT_EQ(out.status(), v1::DOCUMENT_STATUS_OPEN);
  EXPECT_TRUE(out.not_for_publication());
  // Re-importing the legacy spelling changes nothing.
  v1::ImportDocumentsRequest again;
  *again.add_documents() = legacy;
  v1::ImportDocumentsResponse counts;
  ASSERT_TRUE(stub_->ImportDocuments(As("people/admin", {"administrator"}, "ImportDocuments").get(),
                                     again, &counts)
                  .ok());
  EXPECT_EQ(counts.unchanged_count(), 1);
}

TEST_P(AccessServerTest, ImportNamesTheDocumentAndFieldAndWritesNothing) {
  auto documents = Catalogue();
  documents[5].clear_title();
  grpc::Status status = Import(documents);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldViolations(status), ::testing::ElementsAre(HasSubstr("documents[5].title")));
  documents = Catalogue();
  documents[7].set_name(documents[3].name());
  EXPECT_THAT(FieldViolations(Import(documents)),
              ::testing::ElementsAre(HasSubstr("documents[7].name")));
  // Paragraph 9 exists only in the pre-2006 numbering (South Somerset).
  documents = Catalogue();
  documents[2].set_status(v1::DOCUMENT_STATUS_EXEMPT);
  documents[2].clear_exempt_paragraphs();
  documents[2].add_exempt_paragraphs(9);
  status = Import(documents);
  if (GetParam() == "south-somerset") {
    EXPECT_TRUE(status.ok()) << status.error_message();
  } else {
    EXPECT_THAT(FieldViolations(status),
                ::testing::ElementsAre(HasSubstr("documents[2].exempt_paragraphs[0]")));
    v1::ListDocumentsRequest list;
    v1::ListDocumentsResponse page;
    ASSERT_TRUE(
        stub_->ListDocuments(As(kMember, {"member"}, "ListDocuments").get(), list, &page).ok());
    EXPECT_EQ(page.documents_size(), 0) << "nothing partial";
  }
}

TEST_P(AccessServerTest, ImportNamesEveryBadDocumentIncludingUnknownReferences) {
  auto documents = Catalogue();
  documents[4].set_body("bodies/no-such-committee");
  documents[9].clear_title();
  documents[11].clear_wards();
  documents[11].add_wards("wards/abbey");
  documents[11].add_wards("wards/atlantis");
  documents[20].set_holding_chief_officer("people/off-nobody");
  documents[21].set_party_group("groups/no-such-group");
  documents[22].set_requested_advice_for("people/cllr-nobody");
  grpc::Status status = Import(documents);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(
      FieldViolations(status),
      ::testing::ElementsAre(
          "documents[4].body: bodies/no-such-committee is not in the council directory",
          "documents[9].title: is required",
          "documents[11].wards[1]: wards/atlantis is not in the council directory",
          "documents[20].holding_chief_officer: people/off-nobody is not in the council directory",
          "documents[21].party_group: groups/no-such-group is not in the council directory",
          "documents[22].requested_advice_for: people/cllr-nobody is not in the council "
          "directory"));
  EXPECT_THAT(status.error_message(), HasSubstr("6 invalid fields"));
  v1::ListDocumentsRequest list;
  v1::ListDocumentsResponse page;
  ASSERT_TRUE(
      stub_->ListDocuments(As(kMember, {"member"}, "ListDocuments").get(), list, &page).ok());
  EXPECT_EQ(page.documents_size(), 0) << "nothing partial";

  // The directory cannot be asked: nothing is written, and the caller may retry.
  relations_.down_ = true;
  EXPECT_EQ(Import(Catalogue()).error_code(), grpc::StatusCode::UNAVAILABLE);
  relations_.down_ = false;
  EXPECT_TRUE(Import(Catalogue()).ok());
}

TEST_P(AccessServerTest, AnImportWithManyBadDocumentsListsABoundedNumber) {
  auto documents = Catalogue();
  for (auto& document : documents) document.clear_title();
  grpc::Status status = Import(documents);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const auto violations = FieldViolations(status);
  EXPECT_GT(violations.size(), 20u);
  EXPECT_LT(violations.size(), documents.size());
  EXPECT_THAT(status.error_message(),
              HasSubstr(absl::StrCat(documents.size(), " invalid fields, the first ",
                                     violations.size(), " listed")));
  EXPECT_LT(status.error_details().size(), 6000u) << "well inside the 8 KiB trailer limit";
}

// --- StreamImportDocuments: all or nothing, whatever the stream carries -------------

constexpr char kStreamImport[] = "/council.access.v1.AccessService/StreamImportDocuments";

// Documents [begin, end) of `all` as one chunk, marked final or not.
v1::StreamImportDocumentsRequest DocumentsChunk(const std::vector<v1::Document>& all, size_t begin,
                                                size_t end, bool final_chunk) {
  v1::StreamImportDocumentsRequest chunk;
  for (size_t i = begin; i < end; ++i) *chunk.add_documents() = all[i];
  chunk.set_final_chunk(final_chunk);
  return chunk;
}

TEST_P(AccessServerTest, AStreamedImportWithAnUnparsableChunkWritesNothing) {
  if (GetParam() != "southwark") GTEST_SKIP() << "the stream does not depend on the profile";
  const auto documents = Catalogue();
  // A document whose name is the bytes FF FE: not UTF-8, so the chunk does
  // not parse (field 1 of the chunk, field 1 of the Document).
  const std::string invalid_utf8("\x0a\x04\x0a\x02\xff\xfe", 6);
  auto stream = [&](const std::vector<grpc::ByteBuffer>& chunks) {
    auto context = As("people/admin", {"administrator"}, "StreamImportDocuments");
    return test_streams::CallClientStream(channel_, context.get(), kStreamImport, chunks);
  };
  auto listed = [&] {
    v1::ListDocumentsRequest list;
    v1::ListDocumentsResponse page;
    EXPECT_TRUE(
        stub_->ListDocuments(As(kMember, {"member"}, "ListDocuments").get(), list, &page).ok());
    return page.documents_size();
  };
  // Before the fix: the first two chunks were committed and OK returned.
  auto result = stream({test_streams::Serialized(DocumentsChunk(documents, 0, 10, false)),
                        test_streams::Serialized(DocumentsChunk(documents, 10, 20, false)),
                        test_streams::RawBytes(invalid_utf8),
                        test_streams::Serialized(DocumentsChunk(documents, 20, 30, true))});
  ASSERT_EQ(result.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << result.status.error_message();
  EXPECT_THAT(FieldViolations(result.status),
              ::testing::ElementsAre(HasSubstr("chunks[2]: was not received intact")));
  EXPECT_EQ(ErrorInfoMetadata(result.status, "field"), "chunks[2]");
  EXPECT_EQ(listed(), 0) << "nothing partial";

  // Cut short (no final chunk), or going on after it: nothing either.
  result = stream({test_streams::Serialized(DocumentsChunk(documents, 0, 10, false))});
  EXPECT_EQ(ErrorInfoMetadata(result.status, "field"), "chunks[1]");
  result = stream({test_streams::Serialized(DocumentsChunk(documents, 0, 10, true)),
                   test_streams::Serialized(DocumentsChunk(documents, 10, 20, true))});
  EXPECT_THAT(result.status.error_message(),
              HasSubstr("chunks[1]: comes after chunks[0], which was marked final_chunk"));
  EXPECT_EQ(listed(), 0) << "nothing partial";

  // The same chunks, ending with the final one: all of them.
  result = stream({test_streams::Serialized(DocumentsChunk(documents, 0, 10, false)),
                   test_streams::Serialized(DocumentsChunk(documents, 10, 20, true))});
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  EXPECT_EQ(listed(), 20);
}

TEST_P(AccessServerTest, TwoDecidersRacingOnOneDisputeCannotBothWin) {
  if (GetParam() != "middlesbrough") GTEST_SKIP() << "Middlesbrough: the Monitoring Officer decides";
  ASSERT_TRUE(Import(Catalogue()).ok());
  // Middlesbrough 14.4/14.5: a stated need for another body's paper is referred.
  v1::CreateAccessRequestRequest create;
  create.mutable_access_request()->set_document("documents/doc-1180");
  create.mutable_access_request()->set_capacity(v1::CAPACITY_OTHER);
  create.mutable_access_request()->set_purpose("Need.");
  v1::AccessRequest filed;
  ASSERT_TRUE(stub_->CreateAccessRequest(As(kOtherMember, {"member"}, "CreateAccessRequest").get(),
                                         create, &filed)
                  .ok());
  ASSERT_EQ(filed.dispute().decider(), kMonitoringOfficer) << filed.ShortDebugString();
  std::vector<grpc::Status> results(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      v1::DecideDisputeRequest decide;
      decide.set_name(filed.name());
      decide.set_outcome(i % 2 ? v1::OUTCOME_GRANTED : v1::OUTCOME_REFUSED);
      decide.set_reasons(absl::StrCat("Decision ", i));
      v1::AccessRequest out;
      results[i] = stub_->DecideDispute(
          As(kMonitoringOfficer, RolesOf(kMonitoringOfficer), "DecideDispute").get(), decide, &out);
    });
  for (auto& t : threads) t.join();
  int won = 0;
  for (const auto& r : results) {
    won += r.ok();
    if (!r.ok()) {
      EXPECT_TRUE(r.error_code() == grpc::StatusCode::ABORTED ||
                  r.error_code() == grpc::StatusCode::FAILED_PRECONDITION)
          << r.error_code() << " " << r.error_message();
    }
  }
  EXPECT_EQ(won, 1) << "exactly one decision is recorded";
  auto verification = store_->VerifyAudit();
  EXPECT_TRUE(verification.ok) << verification.problem;
}

INSTANTIATE_TEST_SUITE_P(Councils, AccessServerTest,
                         ::testing::Values("southwark", "middlesbrough", "south-somerset",
                                           "sheffield", "parish-template"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (char& c : name)
                             if (c == '-') c = '_';
                           return name;
                         });

}  // namespace
}  // namespace council::access
