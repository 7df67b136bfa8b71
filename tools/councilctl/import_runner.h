// import_runner.h — how every councilctl import runs: check the rows, let the
// service check the rest, report each problem as file:line:column, and write
// all or nothing — or, with --skip-bad-rows, leave the bad rows out.
//
// An import is an ImportJob (build the request from the rows not skipped;
// send it, for real or validate-only); RunImport drives it:
//
//   * Rows councilctl's own checks refuse (shape, ids, dates, required
//     columns) are listed; without --skip-bad-rows the other rows are sent
//     validate-only and the service's problems are listed with them, in
//     file order — every problem in one run — and nothing is written.
//   * Without --skip-bad-rows the request is sent once; the service checks
//     everything before writing, so any refused row means nothing is written.
//     Every refused row is listed with its cell (exit 65).
//   * With --skip-bad-rows the request is first sent validate-only; the rows
//     the service names are left out and it is sent again (rows that depended
//     on them are named next: a membership of a person left out), up to
//     `max_rounds` times; then, unless --dry-run, it is sent for real.
//
//   ImportOptions options;
//   options.skip_bad_rows = true;
//   ImportResult result = RunImport(job, options, std::cerr);
#ifndef COUNCIL_TOOLS_COUNCILCTL_IMPORT_RUNNER_H_
#define COUNCIL_TOOLS_COUNCILCTL_IMPORT_RUNNER_H_

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "grpcpp/support/status.h"
#include "tools/councilctl/import_chunks.h"
#include "tools/councilctl/import_sources.h"

namespace council::ctl {

struct ImportCounts {
  int64_t created = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
};

// What the service said to one sending of the request.
struct Attempt {
  // OK, or why not.
  grpc::Status status;
  // What was (or, validate-only, would be) created, updated, left unchanged.
  ImportCounts counts;
  // Rows the service refused, each with the cell and the reason.
  std::vector<RowProblem> refused;
  // Problems the service named that belong to no row ("field: description").
  std::vector<std::string> unplaced;
  // Problems the service found but did not list (it lists a bounded number).
  size_t unnamed = 0;
};

// PlaceViolations
//
// Fills `attempt->refused`, `unplaced` and `unnamed` from the field
// violations of `attempt->status` (an INVALID_ARGUMENT from a bulk import),
// placing each field path with `sources`; a status with no violations is
// one unplaced problem. A violation of a whole stream chunk ("chunks[12]":
// it did not arrive intact) is unplaced, prefixed with the file lines
// `chunks` says it carried: "hr/people.csv:24002-26001 (chunks[12] of the
// stream): ...". A refusal of one stream message by the gateway (ErrorInfo
// metadata "message": its position) names a path within that message, which
// `chunks` turns into the request's path before it is placed.
void PlaceViolations(const SourceMap& sources, Attempt* attempt,
                     const ChunkRows* chunks = nullptr);

class ImportJob {
 public:
  virtual ~ImportJob() = default;

  // Build
  //
  // (Re)builds the request from every row not in `skip`; returns the rows left
  // out because councilctl's own checks refused them.
  virtual std::vector<RowProblem> Build(const RowSet& skip) = 0;

  // Rows in the request Build made.
  virtual int Rows() const = 0;

  // Send
  //
  // Sends the request Build made; `validate_only`: the service checks and
  // counts, writing nothing.
  virtual Attempt Send(bool validate_only) = 0;

  // Atomic
  //
  // Whether a failed Send(false) wrote nothing (a bulk import: one
  // transaction). Declarations are sent one by one.
  virtual bool Atomic() const { return true; }
};

struct ImportOptions {
  // Check and count only; write nothing.
  bool dry_run = false;
  // Leave invalid rows out instead of refusing the whole import.
  bool skip_bad_rows = false;
  // Validate-only rounds with --skip-bad-rows before giving up.
  int max_rounds = 10;
  // Problems listed before "... and N more".
  size_t max_listed = 50;
};

struct ImportResult {
  // 0; kDataError (65) when rows are invalid; when the service failed
  // otherwise, the exit code of `status` (tools/councilctl/exit_codes.h;
  // print it with GatewayClient::PrintError).
  int exit_code = 0;
  grpc::Status status;
  // What was written (or, with dry_run, would be).
  ImportCounts counts;
  // Rows left out with --skip-bad-rows, in the order found.
  std::vector<RowProblem> skipped;
  // Rows in the request that was written (or would be).
  int rows = 0;
};

// RunImport
//
// Runs `job` as described above, writing every problem and a summary to
// `log` (one line each: "error: FILE:LINE:COLUMN (COLUMN): problem", or
// "skipped: ..." with --skip-bad-rows).
ImportResult RunImport(ImportJob& job, const ImportOptions& options, std::ostream& log);

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_IMPORT_RUNNER_H_
