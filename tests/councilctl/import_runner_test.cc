// Tests for tools/councilctl/import_runner.h, with a fake import in place of
// the service: all or nothing without --skip-bad-rows; with it, rounds of
// validation that leave out refused rows and the rows depending on them;
// dry runs write nothing; long lists are capped.
#include "tools/councilctl/import_runner.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors/grpc_errors.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace council::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// One row of the fake file "f.csv", at line `line`.
struct FakeRow {
  explicit FakeRow(int line, bool bad_here = false, bool bad_there = false,
                   std::optional<int> needs = std::nullopt)
      : line(line), bad_here(bad_here), bad_there(bad_there), needs(needs) {}
  int line;
  // Refused by councilctl's own checks.
  bool bad_here;
  // Refused by the service.
  bool bad_there;
  // Refused by the service unless this line is imported too (a membership
  // of a person).
  std::optional<int> needs;
};

FakeRow Good(int line) { return FakeRow(line); }
FakeRow BadHere(int line) { return FakeRow(line, true); }
FakeRow BadThere(int line) { return FakeRow(line, false, true); }
FakeRow Needs(int line, int other) { return FakeRow(line, false, false, other); }

// A bulk import whose "service" refuses rows as FakeRow says, naming them by
// field path as the real services do ("rows[i].field").
class FakeJob : public ImportJob {
 public:
  explicit FakeJob(std::vector<FakeRow> rows) : rows_(std::move(rows)) {}

  std::vector<RowProblem> Build(const RowSet& skip) override {
    included_.clear();
    sources_.clear();
    std::vector<RowProblem> problems;
    for (const FakeRow& row : rows_) {
      const SourceRow source{"f.csv", row.line};
      if (skip.contains(source)) continue;
      if (row.bad_here) {
        problems.push_back({{source, 2, "b"}, "is not a date"});
        continue;
      }
      sources_.Add(absl::StrCat("rows[", included_.size(), "]"), source, header_, &kColumns);
      included_.push_back(row);
    }
    ++builds_;
    return problems;
  }
  int Rows() const override { return static_cast<int>(included_.size()); }
  bool Atomic() const override { return atomic_; }

  Attempt Send(bool validate_only) override {
    sends_.push_back(validate_only);
    if (fail_with_.has_value()) return Attempt{*fail_with_, {}, {}, {}, 0};
    std::set<int> lines;
    for (const auto& row : included_) lines.insert(row.line);
    FieldViolationList violations;
    for (size_t i = 0; i < included_.size(); ++i) {
      const FakeRow& row = included_[i];
      if (row.bad_there)
        violations.Add({absl::StrCat("rows[", i, "].a"), "does not exist", ""});
      else if (row.needs && !lines.count(*row.needs))
        violations.Add({absl::StrCat("rows[", i, "].c"),
                        absl::StrCat("line ", *row.needs, " does not exist"), ""});
    }
    Attempt attempt;
    attempt.status = violations.ToStatus();
    if (attempt.status.ok()) {
      attempt.counts.created = static_cast<int64_t>(included_.size());
      if (!validate_only) written_ = lines;
    } else if (!atomic_ && !validate_only) {
      written_ = lines;  // one by one: what was before the refusal is written
    }
    PlaceViolations(sources_, &attempt);
    return attempt;
  }

  std::vector<bool> sends_;  // validate_only of each Send
  std::set<int> written_;
  int builds_ = 0;
  std::optional<grpc::Status> fail_with_;
  bool atomic_ = true;

 private:
  static inline const FieldColumns kColumns = {{"a", "a"}, {"c", "c"}};
  std::vector<FakeRow> rows_;
  std::shared_ptr<const std::vector<std::string>> header_ =
      std::make_shared<const std::vector<std::string>>(std::vector<std::string>{"a", "b", "c"});
  std::vector<FakeRow> included_;
  SourceMap sources_;
};

ImportOptions Options(bool skip_bad_rows, bool dry_run = false) {
  ImportOptions options;
  options.skip_bad_rows = skip_bad_rows;
  options.dry_run = dry_run;
  return options;
}

// A person (line 3) the service refuses, a membership of theirs (line 5).
std::vector<FakeRow> PersonAndMembership() {
  return {Good(2), BadThere(3), Good(4), Needs(5, 3), Good(6)};
}

TEST(RunImportTest, WithoutSkippingOneRefusedRowWritesNothingAndNamesTheCell) {
  FakeJob job(PersonAndMembership());
  std::ostringstream log;
  ImportResult result = RunImport(job, Options(false), log);
  EXPECT_EQ(result.exit_code, 65);
  EXPECT_THAT(job.written_, IsEmpty());
  EXPECT_THAT(job.sends_, ElementsAre(false)) << "one sending: the service checks first";
  EXPECT_THAT(log.str(), HasSubstr("error: f.csv:3:1 (a): does not exist\n"));
  EXPECT_THAT(log.str(), HasSubstr("nothing was imported: the service refused 1 row"));
}

TEST(RunImportTest, WithoutSkippingABadRowHereMeansNothingIsWritten) {
  FakeJob job({Good(2), BadHere(3), BadHere(4)});
  std::ostringstream log;
  ImportResult result = RunImport(job, Options(false), log);
  EXPECT_EQ(result.exit_code, 65);
  EXPECT_THAT(job.sends_, ElementsAre(true)) << "the rest is only checked";
  EXPECT_THAT(job.written_, IsEmpty());
  EXPECT_THAT(log.str(), HasSubstr("error: f.csv:3:2 (b): is not a date\n"
                                   "error: f.csv:4:2 (b): is not a date\n"));
  EXPECT_THAT(log.str(), HasSubstr("2 rows failed councilctl's checks;"));
}

TEST(RunImportTest, WithoutSkippingEveryProblemIsListedInOneRunInFileOrder) {
  // Line 3 fails councilctl's checks, line 5 the service's: both are named
  // at once, so the person fixing the file does not meet the second only
  // after fixing the first.
  FakeJob job({Good(2), BadHere(3), Good(4), BadThere(5), BadHere(6)});
  std::ostringstream log;
  ImportResult result = RunImport(job, Options(false), log);
  EXPECT_EQ(result.exit_code, 65);
  EXPECT_THAT(job.sends_, ElementsAre(true));
  EXPECT_THAT(job.written_, IsEmpty());
  EXPECT_THAT(log.str(), HasSubstr("error: f.csv:3:2 (b): is not a date\n"
                                   "error: f.csv:5:1 (a): does not exist\n"
                                   "error: f.csv:6:2 (b): is not a date\n"));
  EXPECT_THAT(log.str(), HasSubstr("nothing was imported: 2 rows failed councilctl's checks and "
                                   "the service refused 1 row;"));
}

TEST(RunImportTest, WithoutSkippingAServiceThatCannotCheckIsSaidBesideTheRowProblems) {
  FakeJob job({Good(2), BadHere(3)});
  job.fail_with_ = grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused");
  std::ostringstream log;
  ImportResult result = RunImport(job, Options(false), log);
  EXPECT_EQ(result.exit_code, 65);
  EXPECT_THAT(log.str(), HasSubstr("error: f.csv:3:2 (b): is not a date\n"));
  EXPECT_THAT(log.str(), HasSubstr("error: the service could not check the other rows: "
                                   "UNAVAILABLE: connection refused\n"));
}

TEST(RunImportTest, SkippingLeavesOutRefusedRowsAndTheRowsThatDependOnThem) {
  FakeJob job(PersonAndMembership());
  std::ostringstream log;
  ImportResult result = RunImport(job, Options(true), log);
  EXPECT_EQ(result.exit_code, 0) << log.str();
  EXPECT_THAT(job.written_, ElementsAre(2, 4, 6));
  // Round 1 names line 3, round 2 its membership, round 3 passes; then the import.
  EXPECT_THAT(job.sends_, ElementsAre(true, true, true, false));
  ASSERT_EQ(result.skipped.size(), 2u);
  EXPECT_EQ(result.skipped[0].ToString(), "f.csv:3:1 (a): does not exist");
  EXPECT_EQ(result.skipped[1].ToString(), "f.csv:5:3 (c): line 3 does not exist");
  EXPECT_THAT(log.str(), HasSubstr("skipped: f.csv:3:1 (a): does not exist\n"));
  EXPECT_THAT(log.str(), HasSubstr("skipped: f.csv:5:3 (c): line 3 does not exist\n"));
  EXPECT_THAT(log.str(), HasSubstr("created 3, updated 0, left 0 unchanged (3 rows imported, "
                                   "2 rows skipped)"));
  EXPECT_EQ(result.rows, 3);
}

TEST(RunImportTest, SkippingAlsoLeavesOutRowsThatFailOurOwnChecks) {
  FakeJob job({Good(2), BadHere(3), Needs(4, 3)});
  std::ostringstream log;
  ImportResult result = RunImport(job, Options(true), log);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(job.written_, ElementsAre(2));
  ASSERT_EQ(result.skipped.size(), 2u);
  EXPECT_EQ(result.skipped[0].cell.row.line, 3);
  EXPECT_EQ(result.skipped[1].cell.row.line, 4);
}

TEST(RunImportTest, ADryRunWithSkippingSaysWhatWouldBeSkippedAndWrittenAndWritesNothing) {
  FakeJob job(PersonAndMembership());
  std::ostringstream log;
  ImportResult result = RunImport(job, Options(true, /*dry_run=*/true), log);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(job.written_, IsEmpty());
  EXPECT_THAT(job.sends_, ElementsAre(true, true, true));
  EXPECT_EQ(result.skipped.size(), 2u);
  EXPECT_EQ(result.counts.created, 3);
  EXPECT_THAT(log.str(), HasSubstr("dry run: would create 3, update 0, leave 0 unchanged (3 rows "
                                   "would be imported, 2 rows skipped); nothing was written"));
}

TEST(RunImportTest, ADryRunWithoutSkippingIsOneValidation) {
  FakeJob job({Good(2), Good(3)});
  std::ostringstream log;
  ImportResult result = RunImport(job, Options(false, /*dry_run=*/true), log);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(job.sends_, ElementsAre(true));
  EXPECT_THAT(job.written_, IsEmpty());
}

TEST(RunImportTest, RoundsAreBoundedAndThenNothingIsWritten) {
  // A chain: each row needs the one before; the first is refused.
  std::vector<FakeRow> rows = {BadThere(2)};
  for (int line = 3; line < 20; ++line) rows.push_back(Needs(line, line - 1));
  FakeJob job(rows);
  ImportOptions options = Options(true);
  options.max_rounds = 4;
  std::ostringstream log;
  ImportResult result = RunImport(job, options, log);
  EXPECT_EQ(result.exit_code, 65);
  EXPECT_THAT(job.written_, IsEmpty());
  EXPECT_THAT(job.sends_, ElementsAre(true, true, true, true));
  EXPECT_THAT(log.str(), HasSubstr("still refused rows after 4 rounds"));
}

TEST(RunImportTest, LongListsAreCapped) {
  std::vector<FakeRow> rows;
  for (int line = 2; line < 122; ++line) rows.push_back(BadHere(line));
  FakeJob job(rows);
  std::ostringstream log;
  EXPECT_EQ(RunImport(job, Options(false), log).exit_code, 65);
  EXPECT_THAT(log.str(), HasSubstr("error: f.csv:51:2 (b)"));
  EXPECT_THAT(log.str(), Not(HasSubstr("error: f.csv:52:2 (b)")));
  EXPECT_THAT(log.str(), HasSubstr("... and 70 more not listed\n"));
  EXPECT_THAT(log.str(), HasSubstr("nothing was imported: 120 rows failed councilctl's checks"));
}

TEST(RunImportTest, ManyRefusedRowsAreLeftOutOverSeveralRoundsWhenTheServiceListsSome) {
  // The service lists a bounded number of problems; the rest come next round.
  std::vector<FakeRow> rows;
  for (int line = 2; line < 302; ++line) rows.push_back(FakeRow(line, false, line % 2 == 0));
  FakeJob job(rows);
  std::ostringstream log;
  ImportResult result = RunImport(job, Options(true), log);
  EXPECT_EQ(result.exit_code, 0) << log.str();
  EXPECT_EQ(result.skipped.size(), 150u);
  EXPECT_EQ(job.written_.size(), 150u);
  EXPECT_GT(job.sends_.size(), 3u);
}

TEST(RunImportTest, ServiceRefusalsThatAreNotAboutRowsStopTheImport) {
  FakeJob job({Good(2), Good(3)});
  job.fail_with_ = grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "not allowed");
  std::ostringstream log;
  ImportResult result = RunImport(job, Options(true), log);
  EXPECT_EQ(result.exit_code, 77);  // EX_NOPERM (tools/councilctl/exit_codes.h)
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(job.written_, IsEmpty());
}

// A streamed import whose second chunk (rows 4 and 5) the service could not
// read: it refuses the stream as a whole, naming `chunks[1]`.
class ChunkRefusedJob : public ImportJob {
 public:
  std::vector<RowProblem> Build(const RowSet&) override {
    for (int i = 0; i < 4; ++i)
      sources_.Add(absl::StrCat("rows[", i, "]"), {"f.csv", i + 2}, nullptr, nullptr);
    return {};
  }
  int Rows() const override { return 4; }
  Attempt Send(bool /*validate_only*/) override {
    ++sends_;
    ChunkRows chunks;
    chunks.Add(0, "rows", 0, 2);
    chunks.Add(1, "rows", 2, 4);
    Attempt attempt;
    attempt.status = InvalidField("chunks[1]", "was not received intact", "final_chunk");
    PlaceViolations(sources_, &attempt, &chunks);
    return attempt;
  }
  int sends_ = 0;

 private:
  SourceMap sources_;
};

TEST(RunImportTest, AChunkRefusedAsAWholeIsNamedByItsLinesAndNothingIsWritten) {
  for (bool skip : {false, true}) {
    ChunkRefusedJob job;
    std::ostringstream log;
    ImportResult result = RunImport(job, Options(skip), log);
    EXPECT_EQ(result.exit_code, 65) << log.str();
    EXPECT_EQ(job.sends_, 1) << "skipping rows cannot mend a chunk: one sending, then stop";
    EXPECT_THAT(log.str(), HasSubstr("error: f.csv:4-5 (chunks[1] of the stream): was not "
                                     "received intact\n"));
    EXPECT_THAT(log.str(), HasSubstr("nothing was imported: the service refused the import as a "
                                     "whole\n"));
    EXPECT_EQ(result.counts.created, 0);
  }
}

TEST(PlaceViolationsTest, TheGatewaysRefusalOfOneStreamMessageIsPlacedInItsRow) {
  // The gateway screens each message and names a path within it, with the
  // message's position as ErrorInfo metadata "message".
  SourceMap sources;
  const FieldColumns columns = {{"display_name", "display_name"}};
  auto header = std::make_shared<const std::vector<std::string>>(
      std::vector<std::string>{"hr_id", "display_name"});
  for (int i = 0; i < 4; ++i)
    sources.Add(absl::StrCat("people[", i, "]"), {"p.csv", i + 2}, header, &columns);
  ChunkRows chunks("chunk.");
  chunks.Add(0, "people", 0, 2);
  chunks.Add(1, "people", 2, 4);
  auto refusal = [](const std::string& field, const std::string& message) {
    google::rpc::BadRequest bad_request;
    if (!field.empty()) {
      auto* violation = bad_request.add_field_violations();
      violation->set_field(field);
      violation->set_description("must not contain control characters");
    }
    google::rpc::ErrorInfo info;
    info.set_reason("ERROR_REASON_INVALID_FIELD");
    (*info.mutable_metadata())["message"] = message;
    google::rpc::Status details;
    details.set_code(grpc::StatusCode::INVALID_ARGUMENT);
    details.add_details()->PackFrom(bad_request);
    details.add_details()->PackFrom(info);
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "refused by the gateway",
                        details.SerializeAsString());
  };
  Attempt attempt;
  attempt.status = refusal("chunk.people[1].display_name", "1");
  PlaceViolations(sources, &attempt, &chunks);
  ASSERT_EQ(attempt.refused.size(), 1u);
  EXPECT_EQ(attempt.refused[0].ToString(),
            "p.csv:5:2 (display_name): must not contain control characters");
  // A message that does not decode: its lines.
  Attempt malformed;
  malformed.status = refusal("", "1");
  PlaceViolations(sources, &malformed, &chunks);
  EXPECT_THAT(malformed.unplaced,
              ElementsAre("p.csv:4-5 (chunks[1] of the stream): refused by the gateway"));
}

TEST(RunImportTest, RowsSentOneByOneAreAllCheckedBeforeAnyIsWritten) {
  FakeJob job(PersonAndMembership());
  job.atomic_ = false;
  std::ostringstream log;
  ImportResult result = RunImport(job, Options(false), log);
  EXPECT_EQ(result.exit_code, 65);
  EXPECT_THAT(job.sends_, ElementsAre(true)) << "validate first, then nothing";
  EXPECT_THAT(job.written_, IsEmpty());

  FakeJob good({Good(2), Good(3)});
  good.atomic_ = false;
  EXPECT_EQ(RunImport(good, Options(false), log).exit_code, 0);
  EXPECT_THAT(good.sends_, ElementsAre(true, false));
  EXPECT_THAT(good.written_, ElementsAre(2, 3));
}

TEST(PlaceViolationsTest, ViolationsOfNoRowAndUnlistedOnesAreKept) {
  SourceMap sources;
  const FieldColumns columns = {{"title", "title"}};
  sources.Add("documents[0]", {"e.csv", 2},
              std::make_shared<const std::vector<std::string>>(std::vector<std::string>{"title"}),
              &columns);
  Attempt attempt;
  attempt.status = InvalidFields({{"documents[0].title", "is required", ""},
                                  {"chunks[0].documents", "at most 10000", ""}},
                                 /*total=*/7);
  PlaceViolations(sources, &attempt);
  ASSERT_EQ(attempt.refused.size(), 1u);
  EXPECT_EQ(attempt.refused[0].ToString(), "e.csv:2:1 (title): is required");
  EXPECT_THAT(attempt.unplaced, ElementsAre("chunks[0].documents: at most 10000"));
  EXPECT_EQ(attempt.unnamed, 5u);
}

}  // namespace
}  // namespace council::ctl
