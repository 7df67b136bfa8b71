#include "tools/councilctl/import_runner.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/errors/grpc_errors.h"
#include "tools/councilctl/exit_codes.h"

namespace council::ctl {
namespace {

// Writes problems one a line, the first `max` of them, then how many more.
class Lister {
 public:
  Lister(std::ostream& log, const char* label, size_t max) : log_(log), label_(label), max_(max) {}
  void Add(const std::string& text) {
    if (listed_ < max_) {
      log_ << label_ << ": " << text << "\n";
      ++listed_;
    } else {
      ++unlisted_;
    }
  }
  void Add(const RowProblem& problem) { Add(problem.ToString()); }
  void Finish() {
    if (unlisted_ > 0) log_ << "... and " << unlisted_ << " more not listed\n";
    unlisted_ = 0;
  }

 private:
  std::ostream& log_;
  const char* label_;
  size_t max_;
  size_t listed_ = 0;
  size_t unlisted_ = 0;
};

// In file order, so a long list reads like the file.
void SortByRow(std::vector<RowProblem>* problems) {
  std::stable_sort(problems->begin(), problems->end(),
                   [](const RowProblem& a, const RowProblem& b) { return a.cell.row < b.cell.row; });
}

std::string Rows(size_t n) { return absl::StrCat(n, n == 1 ? " row" : " rows"); }

bool DataError(const Attempt& attempt) {
  return !attempt.status.ok() && (!attempt.refused.empty() || !attempt.unplaced.empty());
}

void Summarize(const ImportResult& result, bool dry_run, std::ostream& log) {
  const ImportCounts& c = result.counts;
  if (dry_run)
    log << "dry run: would create " << c.created << ", update " << c.updated << ", leave "
        << c.unchanged << " unchanged";
  else
    log << "created " << c.created << ", updated " << c.updated << ", left " << c.unchanged
        << " unchanged";
  log << " (" << Rows(static_cast<size_t>(result.rows))
      << (dry_run ? " would be imported" : " imported");
  if (!result.skipped.empty()) log << ", " << Rows(result.skipped.size()) << " skipped";
  log << ")" << (dry_run ? "; nothing was written" : "") << "\n";
}

}  // namespace

void PlaceViolations(const SourceMap& sources, Attempt* attempt, const ChunkRows* chunks) {
  if (attempt->status.error_code() != grpc::StatusCode::INVALID_ARGUMENT) return;
  // "hr/people.csv:2002-4001 (chunks[1] of the stream): what": a chunk has
  // no cell, but it has lines.
  auto chunk_problem = [&](int chunk, absl::string_view what) {
    const std::string lines = chunks->Describe(chunk, sources);
    const std::string name = absl::StrCat("chunks[", chunk, "] of the stream");
    return lines.empty() ? absl::StrCat(name, ": ", what)
                         : absl::StrCat(lines, " (", name, "): ", what);
  };
  // The gateway's screen refuses one stream message, naming its position
  // and a path within it.
  int message = -1;
  if (chunks == nullptr ||
      !absl::SimpleAtoi(ErrorInfoMetadata(attempt->status, "message"), &message))
    message = -1;
  for (const FieldViolation& violation : FieldViolationsOf(attempt->status)) {
    // A whole chunk refused: no record to point at, but the lines it carried.
    if (const auto chunk = ChunkIndex(violation.field); chunk && chunks != nullptr) {
      attempt->unplaced.push_back(chunk_problem(*chunk, violation.description));
      continue;
    }
    std::string field = violation.field;
    if (message >= 0) {
      auto path = chunks->RequestPath(message, field);
      if (!path) {
        attempt->unplaced.push_back(
            chunk_problem(message, absl::StrCat(violation.field, ": ", violation.description)));
        continue;
      }
      field = *std::move(path);
    }
    auto cell = sources.Locate(field);
    if (cell)
      attempt->refused.push_back({*cell, violation.description});
    else
      attempt->unplaced.push_back(absl::StrCat(field, ": ", violation.description));
  }
  if (attempt->refused.empty() && attempt->unplaced.empty())
    attempt->unplaced.push_back(message >= 0
                                    ? chunk_problem(message, attempt->status.error_message())
                                    : attempt->status.error_message());
  // "250 invalid fields, the first 40 listed".
  size_t total = 0;
  const size_t named = attempt->refused.size() + attempt->unplaced.size();
  if (absl::SimpleAtoi(ErrorInfoMetadata(attempt->status, "violations"), &total) && total > named)
    attempt->unnamed = total - named;
}

ImportResult RunImport(ImportJob& job, const ImportOptions& options, std::ostream& log) {
  ImportResult result;
  RowSet skip;
  Lister errors(log, "error", options.max_listed);
  Lister skipped(log, "skipped", options.max_listed);
  auto leave_out = [&](std::vector<RowProblem> problems) {
    SortByRow(&problems);
    size_t added = 0;
    for (auto& problem : problems) {
      if (!skip.insert(problem.cell.row).second) continue;
      skipped.Add(problem);
      result.skipped.push_back(std::move(problem));
      ++added;
    }
    return added;
  };
  auto refuse = [&](std::vector<RowProblem> problems, const std::vector<std::string>& unplaced,
                    const std::string& why, size_t unnamed = 0) {
    SortByRow(&problems);
    for (const auto& problem : problems) errors.Add(problem);
    for (const auto& text : unplaced) errors.Add(text);
    errors.Finish();
    if (unnamed > 0)
      log << "... and " << unnamed << " more problems the service found but did not list\n";
    skipped.Finish();
    log << why << "\n";
    result.exit_code = kDataError;
    return result;
  };
  const std::string fix_or_skip = "; fix them, or leave them out with --skip-bad-rows";

  const std::vector<RowProblem> problems = job.Build(skip);
  if (!problems.empty()) {
    if (!options.skip_bad_rows) {
      // The service checks the other rows too (validate-only, nothing is
      // written), so one run lists every problem in the files, not only
      // councilctl's until they are fixed.
      Attempt attempt = job.Send(/*validate_only=*/true);
      std::vector<RowProblem> all = problems;
      std::vector<std::string> unplaced;
      size_t refused = 0;
      if (DataError(attempt)) {
        refused = attempt.refused.size() + attempt.unnamed;
        all.insert(all.end(), attempt.refused.begin(), attempt.refused.end());
        unplaced = attempt.unplaced;
      } else if (!attempt.status.ok()) {
        unplaced.push_back(absl::StrCat("the service could not check the other rows: ",
                                        StatusCodeName(attempt.status.error_code()), ": ",
                                        attempt.status.error_message()));
      }
      return refuse(std::move(all), unplaced,
                    absl::StrCat("nothing was imported: ", Rows(problems.size()),
                                 " failed councilctl's checks",
                                 refused == 0 ? ""
                                              : absl::StrCat(" and the service refused ",
                                                             Rows(refused)),
                                 fix_or_skip),
                    attempt.unnamed);
    }
    leave_out(problems);  // Build left them out already
  }

  if (!options.skip_bad_rows) {
    // A bulk import is sent once: the service checks every row before writing
    // any. Rows sent one by one are all checked first.
    Attempt attempt = job.Send(options.dry_run || !job.Atomic());
    if (DataError(attempt)) {
      const size_t n = attempt.refused.size() + attempt.unnamed;
      // With no row to blame (a chunk that did not arrive intact), skipping
      // rows cannot help: say the import as a whole was refused.
      return refuse(std::move(attempt.refused), attempt.unplaced,
                    n == 0 ? std::string("nothing was imported: the service refused the import "
                                         "as a whole")
                           : absl::StrCat("nothing was imported: the service refused ", Rows(n),
                                          fix_or_skip),
                    attempt.unnamed);
    }
    if (attempt.status.ok() && !options.dry_run && !job.Atomic()) {
      attempt = job.Send(/*validate_only=*/false);
      if (DataError(attempt))
        return refuse(std::move(attempt.refused), attempt.unplaced,
                      "the service refused rows it had accepted a moment before; the rows "
                      "before them were imported");
    }
    if (!attempt.status.ok()) {
      result.exit_code = ExitCodeFor(attempt.status.error_code());
      result.status = attempt.status;
      return result;
    }
    result.counts = attempt.counts;
    result.rows = job.Rows();
    Summarize(result, options.dry_run, log);
    return result;
  }

  // --skip-bad-rows: validate, leave out what the service names, again.
  Attempt attempt;
  bool valid = false;
  for (int round = 1; round <= options.max_rounds && !valid; ++round) {
    attempt = job.Send(/*validate_only=*/true);
    if (attempt.status.ok()) {
      valid = true;
      break;
    }
    if (!DataError(attempt)) {
      skipped.Finish();
      result.exit_code = ExitCodeFor(attempt.status.error_code());
      result.status = attempt.status;
      return result;
    }
    if (!attempt.unplaced.empty())
      return refuse(std::move(attempt.refused), attempt.unplaced,
                    "nothing was imported: the service refused the import as a whole");
    if (leave_out(std::move(attempt.refused)) == 0)
      return refuse({}, attempt.unplaced,
                    "nothing was imported: the service refused rows that were already left out");
    // Rows refused by councilctl were left out already; rebuilding finds none.
    leave_out(job.Build(skip));
  }
  skipped.Finish();
  if (!valid)
    return refuse({}, {},
                  absl::StrCat("nothing was imported: the service still refused rows after ",
                               options.max_rounds, " rounds of leaving bad rows out"));
  if (!options.dry_run) attempt = job.Send(/*validate_only=*/false);
  if (DataError(attempt)) {
    // The directory changed between the check and the import.
    return refuse(std::move(attempt.refused), attempt.unplaced,
                  job.Atomic() ? "nothing was imported: the service refused rows it had accepted "
                                 "a moment before (did the directory change?)"
                               : "the service refused rows it had accepted a moment before; the "
                                 "rows before them were imported");
  }
  if (!attempt.status.ok()) {
    result.exit_code = ExitCodeFor(attempt.status.error_code());
    result.status = attempt.status;
    return result;
  }
  result.counts = attempt.counts;
  result.rows = job.Rows();
  Summarize(result, options.dry_run, log);
  return result;
}

}  // namespace council::ctl
