#include "tools/councilctl/import_commands.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/errors/grpc_errors.h"
#include "council/access/v1/access_service.grpc.pb.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "tools/councilctl/csv_import.h"
#include "tools/councilctl/documents_csv.h"
#include "tools/councilctl/gateway_client.h"
#include "tools/councilctl/import_chunks.h"
#include "tools/councilctl/import_runner.h"
#include "tools/councilctl/progress.h"

namespace council::ctl {
namespace {

using access::v1::AccessService;
using relations::v1::RelationsService;

// Records per StreamImportDirectory chunk (of each of people, posts,
// memberships).
constexpr int kDirectoryChunk = 2000;
// How long a whole import stream may take.
constexpr absl::Duration kStreamTimeout = absl::Minutes(10);

ImportOptions OptionsFrom(const Args& a) {
  ImportOptions options;
  options.dry_run = a.Has("dry-run");
  options.skip_bad_rows = a.Has("skip-bad-rows");
  return options;
}

// Prints the outcome: the response on stdout (text, or JSON with --json)
// when the import ran, the error (and `failed`) when the service failed.
int Report(const ImportResult& result, const GatewayClient& client,
           const google::protobuf::Message& response,
           const char* failed = "nothing was imported") {
  if (!result.status.ok()) {
    const int code = client.PrintError(result.status);
    std::cerr << failed << "\n";
    return code;
  }
  if (result.exit_code != 0) return result.exit_code;
  client.PrintMessage(response);
  return 0;
}

// --- import directory ------------------------------------------------------------------

class DirectoryJob : public ImportJob {
 public:
  DirectoryJob(DirectoryCsv csv, const GatewayClient& client)
      : csv_(std::move(csv)), client_(client), stub_(RelationsService::NewStub(client.channel())) {}

  std::vector<RowProblem> Build(const RowSet& skip) override {
    built_ = BuildDirectoryImport(csv_, skip);
    return built_.problems;
  }
  int Rows() const override { return built_.rows; }

  Attempt Send(bool validate_only) override {
    built_.request.set_validate_only(validate_only);
    const auto& r = built_.request;
    Progress progress(validate_only ? "checking" : "importing",
                      r.people_size() + r.posts_size() + r.memberships_size());
    grpc::ClientContext context;
    client_.Prepare(&context, kStreamTimeout);
    response_.Clear();
    // Streamed in chunks so a large HR export never meets the message size
    // limit; the server commits the whole stream in one transaction, and
    // only if it ends right after the chunk marked final.
    auto writer = stub_->StreamImportDirectory(&context, &response_);
    chunk_rows_.clear();
    const auto chunks = ChunkDirectory(built_.request, kDirectoryChunk, &chunk_rows_);
    bool stream_ok = true;
    for (size_t i = 0; i < chunks.size(); ++i) {
      relations::v1::StreamImportDirectoryRequest message;
      *message.mutable_chunk() = chunks[i];
      message.set_final_chunk(i + 1 == chunks.size());
      if (!writer->Write(message)) {
        stream_ok = false;  // the server ended the call early; Finish says why
        break;
      }
      progress.Advance(chunks[i].people_size() + chunks[i].posts_size() +
                       chunks[i].memberships_size());
    }
    if (stream_ok) writer->WritesDone();
    Attempt attempt;
    attempt.status = writer->Finish();
    progress.Done();
    attempt.counts = {response_.created_count(), response_.updated_count(),
                      response_.unchanged_count()};
    PlaceViolations(built_.sources, &attempt, &chunk_rows_);
    return attempt;
  }

  const relations::v1::ImportDirectoryResponse& response() const { return response_; }
  const relations::v1::ImportDirectoryRequest& request() const { return built_.request; }

 private:
  DirectoryCsv csv_;
  const GatewayClient& client_;
  std::unique_ptr<RelationsService::Stub> stub_;
  DirectoryImport built_;
  // The rows each chunk of the last Send carried; the records of a
  // StreamImportDirectoryRequest are in its `chunk`.
  ChunkRows chunk_rows_{"chunk."};
  relations::v1::ImportDirectoryResponse response_;
};

int ImportDirectory(const Args& a) {
  if (a.positionals.size() < 3) return Usage("import directory: DIR required");
  auto csv = ReadDirectoryCsv(a.positionals[2]);
  if (!csv.ok()) {
    std::cerr << "error: " << csv.status().message() << "\nnothing was imported\n";
    return kDataError;
  }
  const ImportOptions options = OptionsFrom(a);
  GatewayClient client(a);
  DirectoryJob job(std::move(*csv), client);
  std::cerr << "importing the directory from " << a.positionals[2]
            << (options.dry_run ? " (dry run: nothing is written)" : "") << "\n";
  ImportResult result = RunImport(job, options, std::cerr);
  if (result.exit_code == 0) {
    const auto& r = job.request();
    std::cerr << "  " << r.people_size() << " people, " << r.posts_size() << " posts, "
              << r.designations_size() << " designations, " << r.bodies_size() << " bodies, "
              << r.memberships_size() << " memberships, " << r.party_groups_size() << " groups, "
              << r.wards_size() << " wards, " << r.portfolios_size() << " portfolios\n";
  }
  return Report(result, client, job.response());
}

// --- import documents ------------------------------------------------------------------

class DocumentsJob : public ImportJob {
 public:
  DocumentsJob(CsvTable csv, const GatewayClient& client, int chunk_size)
      : csv_(std::move(csv)),
        client_(client),
        stub_(AccessService::NewStub(client.channel())),
        chunk_size_(chunk_size) {}

  std::vector<RowProblem> Build(const RowSet& skip) override {
    built_ = BuildDocumentsImport(csv_, skip);
    return built_.problems;
  }
  int Rows() const override { return static_cast<int>(built_.documents.size()); }

  Attempt Send(bool validate_only) override {
    const auto& documents = built_.documents;
    const size_t total = documents.size();
    Progress progress(validate_only ? "checking" : "importing", static_cast<int>(total));
    grpc::ClientContext context;
    client_.Prepare(&context, kStreamTimeout);
    response_.Clear();
    auto writer = stub_->StreamImportDocuments(&context, &response_);
    size_t sent = 0;
    bool stream_ok = true;
    chunk_rows_.clear();
    // At least one chunk, so an empty file still says whether it is a dry run;
    // the last is marked final, or the service writes nothing.
    for (int index = 0; index == 0 || sent < total; ++index) {
      access::v1::StreamImportDocumentsRequest chunk;
      if (index == 0) chunk.set_validate_only(validate_only);
      const size_t end = std::min(total, sent + static_cast<size_t>(chunk_size_));
      for (size_t i = sent; i < end; ++i) *chunk.add_documents() = documents[i];
      chunk.set_final_chunk(end == total);
      chunk_rows_.Add(index, "documents", static_cast<int>(sent), static_cast<int>(end));
      if (!writer->Write(chunk)) {
        stream_ok = false;  // the server ended the call early; Finish says why
        break;
      }
      progress.Advance(static_cast<int>(end - sent));
      sent = end;
    }
    if (stream_ok) writer->WritesDone();
    Attempt attempt;
    attempt.status = writer->Finish();
    progress.Done();
    attempt.counts = {response_.created_count(), response_.updated_count(),
                      response_.unchanged_count()};
    PlaceViolations(built_.sources, &attempt, &chunk_rows_);
    return attempt;
  }

  const access::v1::ImportDocumentsResponse& response() const { return response_; }

 private:
  CsvTable csv_;
  const GatewayClient& client_;
  std::unique_ptr<AccessService::Stub> stub_;
  int chunk_size_;
  DocumentsImport built_;
  // The rows each chunk of the last Send carried.
  ChunkRows chunk_rows_;
  access::v1::ImportDocumentsResponse response_;
};

int ImportDocuments(const Args& a) {
  if (a.positionals.size() < 3) return Usage("import documents: FILE required");
  const int chunk_size = std::atoi(a.Get("chunk-size", "2000").c_str());
  if (chunk_size < 1 || chunk_size > 10000) return Usage("--chunk-size must be 1 to 10000");
  auto csv = ReadDocumentsCsv(a.positionals[2]);
  if (!csv.ok()) {
    std::cerr << "error: " << csv.status().message() << "\nnothing was imported\n";
    return kDataError;
  }
  const ImportOptions options = OptionsFrom(a);
  const absl::Time start = absl::Now();
  std::cerr << "importing " << csv->rows.size() + csv->bad_rows.size() << " documents from "
            << csv->path << (options.dry_run ? " (dry run: nothing is written)" : "") << "\n";
  GatewayClient client(a);
  DocumentsJob job(std::move(*csv), client, chunk_size);
  ImportResult result = RunImport(job, options, std::cerr);
  if (result.exit_code == 0)
    std::cerr << "  in " << absl::FormatDuration(absl::Trunc(absl::Now() - start,
                                                             absl::Milliseconds(1)))
              << "\n";
  return Report(result, client, job.response());
}

// --- import declarations ---------------------------------------------------------------

// How long the gateway asks us to wait (RetryInfo), or a second.
absl::Duration RetryDelay(const grpc::Status& status) {
  google::rpc::Status details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details()))
    for (const auto& any : details.details()) {
      google::rpc::RetryInfo info;
      if (any.UnpackTo(&info) && info.has_retry_delay())
        return std::min(absl::Seconds(info.retry_delay().seconds()) +
                            absl::Nanoseconds(info.retry_delay().nanos()),
                        absl::Seconds(10));
    }
  return absl::Seconds(1);
}

// A refusal that concerns the row's data (the row can be fixed or skipped),
// rather than the caller or the service.
bool RowRefused(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return true;
    default:
      return false;
  }
}

// The row's problem from a refusal: the cell of the field, of the person a
// rule or NOT_FOUND names, or the whole row.
template <typename Locate>
RowProblem ProblemOf(const SourceRow& row, const CsvRow& csv, const grpc::Status& status,
                     Locate locate_field) {
  const auto violations = FieldViolationsOf(status);
  if (!violations.empty()) {
    std::string message = violations[0].description;
    if (const std::string rule = ErrorInfoMetadata(status, "rule"); !rule.empty())
      absl::StrAppend(&message, " (", rule, ")");
    return {locate_field(row, csv, violations[0].field), message};
  }
  std::string resource = ErrorInfoMetadata(status, "resource");
  if (resource.empty()) resource = PreconditionSubject(status);
  return {LocateResource(row, csv, resource), status.error_message()};
}

class DeclarationsJob : public ImportJob {
 public:
  DeclarationsJob(DeclarationsCsv csv, const GatewayClient& client)
      : csv_(std::move(csv)), client_(client), stub_(RelationsService::NewStub(client.channel())) {}

  std::vector<RowProblem> Build(const RowSet& skip) override {
    built_ = BuildDeclarations(csv_, skip);
    return built_.problems;
  }
  int Rows() const override {
    return static_cast<int>(built_.relationships.size() + built_.interests.size());
  }
  bool Atomic() const override { return false; }

  Attempt Send(bool validate_only) override {
    Attempt attempt;
    Progress progress(validate_only ? "checking" : "declaring", Rows());
    bool failed = false;
    auto one = [&](const auto& declaration, auto call, auto locate) {
      if (failed) return;
      auto request = declaration.request;
      request.set_validate_only(validate_only);
      grpc::Status status;
      for (int tries = 0;; ++tries) {
        grpc::ClientContext context;
        client_.Prepare(&context);
        status = call(&context, request);
        if (status.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED || tries == 5) break;
        std::this_thread::sleep_for(absl::ToChronoSeconds(RetryDelay(status)) +
                                    std::chrono::milliseconds(100));
      }
      progress.Advance(1);
      if (status.ok()) {
        ++attempt.counts.created;
      } else if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
        ++attempt.counts.unchanged;  // already on record
      } else if (RowRefused(status)) {
        attempt.refused.push_back(ProblemOf(declaration.row, declaration.csv, status, locate));
      } else {
        failed = true;
        attempt.status = status;
      }
    };
    for (const auto& declaration : built_.relationships)
      one(
          declaration,
          [&](grpc::ClientContext* context, const relations::v1::CreateRelationshipRequest& r) {
            relations::v1::Relationship response;
            return stub_->CreateRelationship(context, r, &response);
          },
          LocateRelationshipField);
    for (const auto& declaration : built_.interests)
      one(
          declaration,
          [&](grpc::ClientContext* context, const relations::v1::CreateInterestRequest& r) {
            relations::v1::Interest response;
            return stub_->CreateInterest(context, r, &response);
          },
          LocateInterestField);
    progress.Done();
    if (failed) {
      attempt.refused.clear();
      return attempt;
    }
    if (!attempt.refused.empty())
      attempt.status = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                    absl::StrCat(attempt.refused.size(), " rows refused"));
    return attempt;
  }

 private:
  DeclarationsCsv csv_;
  const GatewayClient& client_;
  std::unique_ptr<RelationsService::Stub> stub_;
  Declarations built_;
};

int ImportDeclarations(const Args& a) {
  if (a.positionals.size() < 3) return Usage("import declarations: DIR required");
  auto csv = ReadDeclarationsCsv(a.positionals[2]);
  if (!csv.ok()) {
    std::cerr << "error: " << csv.status().message() << "\nnothing was imported\n";
    return kDataError;
  }
  const ImportOptions options = OptionsFrom(a);
  GatewayClient client(a);
  DeclarationsJob job(std::move(*csv), client);
  std::cerr << "declaring relationships and interests from " << a.positionals[2]
            << (options.dry_run ? " (dry run: nothing is written)" : "") << "\n";
  ImportResult result = RunImport(job, options, std::cerr);
  if (!result.status.ok())
    return Report(result, client, relations::v1::ImportDirectoryResponse(),
                  options.dry_run ? "nothing was written"
                                  : "declarations before the failure may have been written; "
                                    "running the import again is safe (those already on record "
                                    "count as unchanged)");
  if (result.exit_code != 0) return result.exit_code;
  // The counts in the import responses' shape (created, unchanged).
  relations::v1::ImportDirectoryResponse counts;
  counts.set_created_count(result.counts.created);
  counts.set_unchanged_count(result.counts.unchanged);
  if (client.json()) {
    client.PrintMessage(counts);
  } else {
    std::cout << "created_count: " << counts.created_count()
              << "\nunchanged_count: " << counts.unchanged_count() << "\n";
  }
  return 0;
}

}  // namespace

void AddImportCommands(CommandTable* table) {
  const std::vector<std::pair<std::string, Command>> commands = {
      {"import directory",
       {"councilctl import directory DIR [--dry-run] [--skip-bad-rows]\n"
        "  Imports an HR export: DIR/people.csv, bodies.csv, memberships.csv and, when present,\n"
        "  posts.csv, designations.csv, wards.csv, party_groups.csv, portfolios.csv (columns in\n"
        "  demo/README.md; sample: demo/council/). Keyed by the HR ids: re-running the same\n"
        "  files changes nothing. Every row is checked, then the service checks every record\n"
        "  and reference; each problem is printed as\n"
        "    error: FILE:LINE:COLUMN (COLUMN): problem\n"
        "  and one bad row means nothing is written (exit 65).\n"
        "  --skip-bad-rows  leave bad rows out instead (each printed as \"skipped: ...\"), and\n"
        "                   rows that depend on them (a membership of a person left out);\n"
        "                   write the rest\n"
        "  --dry-run        check and count what would change; write nothing (with\n"
        "                   --skip-bad-rows: also list what would be skipped)\n"
        "  Shows progress on a terminal. The summary goes to stderr, the counts to stdout.",
        ImportDirectory}},
      {"import declarations",
       {"councilctl import declarations DIR [--dry-run] [--skip-bad-rows]\n"
        "  Declares DIR/relationships.csv and DIR/interests.csv (columns in demo/README.md).\n"
        "  Every row is checked by councilctl and then by the service (validate-only) before\n"
        "  any is declared; each problem is printed as FILE:LINE:COLUMN (COLUMN): problem and\n"
        "  one bad row means nothing is written (exit 65). A declaration already on record\n"
        "  counts as unchanged, so re-running the same files changes nothing.\n"
        "  --skip-bad-rows  leave bad rows out (each printed as \"skipped: ...\"); declare the rest\n"
        "  --dry-run        check and count; write nothing",
        ImportDeclarations}},
      {"import documents",
       {"councilctl import documents FILE [--dry-run] [--skip-bad-rows] [--chunk-size=N]\n"
        "  Imports the records system's document export (columns in demo/README.md) through\n"
        "  the gateway as one stream, committed in one transaction. Every row is checked, then\n"
        "  the service checks every document and that each body, ward, portfolio, group and\n"
        "  person it names is in the directory; each problem is printed as\n"
        "    error: FILE:LINE:COLUMN (COLUMN): problem\n"
        "  and one bad row means nothing is written (exit 65). Re-running the same file\n"
        "  changes nothing.\n"
        "  --skip-bad-rows  leave bad rows out (each printed as \"skipped: ...\"); write the rest\n"
        "  --dry-run        check and count what would change; write nothing\n"
        "  --chunk-size=N   documents per stream message (1-10000, default 2000)\n"
        "  Shows progress on a terminal.",
        ImportDocuments}},
  };
  for (const auto& [name, command] : commands) table->Add(name, command);
}

}  // namespace council::ctl
