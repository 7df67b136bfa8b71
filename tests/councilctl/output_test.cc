// Tests for tools/councilctl/output.h and output_table.h: list responses as
// tables, other messages in text format, errors with the status code by
// name, and --json errors as one parseable object.
#include "tools/councilctl/output.h"

#include <string>

#include "council/complaints/v1/complaints_service.pb.h"
#include "council/relations/v1/relations_service.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "tools/councilctl/output_table.h"

namespace council::ctl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

relations::v1::ListPeopleResponse TwoPeople() {
  relations::v1::ListPeopleResponse response;
  auto* ann = response.add_people();
  ann->set_name("people/cllr-ann");
  ann->set_display_name("Ann Able");
  ann->set_kind(relations::v1::PERSON_KIND_MEMBER);
  ann->mutable_start_date()->set_year(2023);
  ann->mutable_start_date()->set_month(5);
  ann->mutable_start_date()->set_day(4);
  auto* bob = response.add_people();
  bob->set_name("people/off-bob");
  bob->set_display_name(std::string(60, 'B'));
  response.set_next_page_token("tok");
  return response;
}

TEST(OutputTableTest, AListIsATableOfTheFieldsSetInAnyRow) {
  std::string table;
  ASSERT_TRUE(FormatListAsTable(TwoPeople(), &table));
  EXPECT_EQ(table,
            "NAME             DISPLAY_NAME                              KIND    START_DATE\n"
            "people/cllr-ann  Ann Able                                  MEMBER  2023-05-04\n"
            "people/off-bob   " + std::string(37, 'B') + "...\n"
            "next page: --page-token=tok\n");
  EXPECT_THAT(table, Not(HasSubstr("EMAIL"))) << "a column nobody has is left out";
}

TEST(OutputTableTest, WhatDoesNotFitACellIsNamedBelowTheTable) {
  relations::v1::ListPeopleResponse response = TwoPeople();
  response.mutable_people(0)->add_system_roles("auditor");  // a list of words: a cell
  std::string table;
  ASSERT_TRUE(FormatListAsTable(response, &table));
  EXPECT_THAT(table, HasSubstr("SYSTEM_ROLES"));
  EXPECT_THAT(table, HasSubstr("auditor"));
  EXPECT_THAT(table, Not(HasSubstr("not shown")));

  // A complaint's stages are records of their own: named, not hidden.
  complaints::v1::ListComplaintsResponse complaints;
  auto* complaint = complaints.add_complaints();
  complaint->set_name("complaints/1");
  complaint->set_state(complaints::v1::COMPLAINT_STATE_OPEN);
  complaint->add_stages()->set_stage("informal");
  ASSERT_TRUE(FormatListAsTable(complaints, &table));
  EXPECT_THAT(table, HasSubstr("complaints/1"));
  EXPECT_THAT(table, HasSubstr("OPEN"));
  EXPECT_THAT(table, HasSubstr("not shown: stages (--json, or the get command, shows every "
                               "field)\n"));
}

TEST(OutputTableTest, AnEmptyListSaysSo) {
  std::string table;
  ASSERT_TRUE(FormatListAsTable(relations::v1::ListPeopleResponse(), &table));
  EXPECT_EQ(table, "(no people)\n");
}

TEST(OutputTableTest, ASingleResourceIsNotATable) {
  std::string table;
  EXPECT_FALSE(FormatListAsTable(TwoPeople().people(0), &table));
  EXPECT_THAT(FormatMessage(TwoPeople().people(0)), HasSubstr("display_name: \"Ann Able\""));
  EXPECT_EQ(FormatMessage(relations::v1::Person()), "(empty)\n");
}

grpc::Status NotFoundWithDetails() {
  google::rpc::Status rpc;
  rpc.set_code(grpc::StatusCode::NOT_FOUND);
  rpc.set_message("people/nobody does not exist");
  google::rpc::ErrorInfo info;
  info.set_reason("RESOURCE_NOT_FOUND");
  info.set_domain("council.gov.uk");
  (*info.mutable_metadata())["resource"] = "people/nobody";
  rpc.add_details()->PackFrom(info);
  return grpc::Status(grpc::StatusCode::NOT_FOUND, rpc.message(), rpc.SerializeAsString());
}

TEST(OutputTest, ErrorTextNamesTheStatusCode) {
  const std::string text = ErrorText(NotFoundWithDetails());
  EXPECT_THAT(text, HasSubstr("error: NOT_FOUND: people/nobody does not exist\n"));
  EXPECT_THAT(text, HasSubstr("  reason RESOURCE_NOT_FOUND\n"));
}

TEST(OutputTest, ErrorJsonParsesWithStatusNameCodeMessageAndDetails) {
  const std::string json = ErrorJson(NotFoundWithDetails());
  EXPECT_EQ(json.find('\n'), std::string::npos) << "one line";
  google::protobuf::Struct parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &parsed).ok()) << json;
  const auto& error = parsed.fields().at("error").struct_value().fields();
  EXPECT_EQ(error.at("status").string_value(), "NOT_FOUND");
  EXPECT_EQ(error.at("code").number_value(), 5);
  EXPECT_EQ(error.at("message").string_value(), "people/nobody does not exist");
  const auto& detail = error.at("details").list_value().values(0).struct_value().fields();
  EXPECT_EQ(detail.at("@type").string_value(), "type.googleapis.com/google.rpc.ErrorInfo");
  EXPECT_EQ(detail.at("reason").string_value(), "RESOURCE_NOT_FOUND");
}

TEST(OutputTest, ErrorJsonWithoutDetailsStillParses) {
  google::protobuf::Struct parsed;
  const std::string json = ErrorJson(grpc::Status(grpc::StatusCode::UNAVAILABLE, "say \"hi\""));
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &parsed).ok()) << json;
  EXPECT_EQ(parsed.fields().at("error").struct_value().fields().at("status").string_value(),
            "UNAVAILABLE");
}

TEST(OutputTest, MessageJsonIsProtobufJson) {
  EXPECT_THAT(MessageJson(TwoPeople(), /*one_line=*/true),
              HasSubstr("\"displayName\":\"Ann Able\""));
  EXPECT_THAT(MessageJson(TwoPeople(), /*one_line=*/true), HasSubstr("\"nextPageToken\":\"tok\""));
}

}  // namespace
}  // namespace council::ctl
