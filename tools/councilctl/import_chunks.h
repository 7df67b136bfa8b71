// import_chunks.h — which CSV rows each message of an import stream carried.
//
// The services refuse a whole stream when a chunk does not arrive intact (it
// could not be parsed, or the stream was cut short before it): the answer
// names `chunks[12]`, not a record. So that the user is still told where in
// their files the problem lies, the sender records which records each chunk
// carried, and the chunk is reported as the file lines those came from:
//
//   ChunkRows chunks("chunk.");       // records sit in StreamImportDirectoryRequest.chunk
//   chunks.Add(1, "people", 2000, 4000);  // chunk 1: people[2000] .. people[3999]
//   chunks.Describe(1, sources);       // "hr/people.csv:2002-4001"
//
// The gateway, which screens every message before forwarding it, names a
// field of the message it refused ("chunk.people[3].display_name", message
// 1); RequestPath turns that into the request's own path ("people[2003]
// .display_name"), which the SourceMap places in its cell.
#ifndef COUNCIL_TOOLS_COUNCILCTL_IMPORT_CHUNKS_H_
#define COUNCIL_TOOLS_COUNCILCTL_IMPORT_CHUNKS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "tools/councilctl/import_sources.h"

namespace council::ctl {

// ChunkIndex
//
// The chunk a service's field path names ("chunks[12]" or
// "chunks[12].documents" -> 12), or nullopt for any other path.
std::optional<int> ChunkIndex(absl::string_view field);

class ChunkRows {
 public:
  // `field_prefix`: where the records sit in a stream message ("chunk." in a
  // StreamImportDirectoryRequest; "" when they are its own fields).
  explicit ChunkRows(std::string field_prefix = "") : field_prefix_(std::move(field_prefix)) {}

  // Add
  //
  // Records that chunk `chunk` carried the records `collection`[begin] up to
  // (not including) `collection`[end] of the request, with their nested
  // records ("designations[0].tenures[2]").
  void Add(int chunk, absl::string_view collection, int begin, int end);

  // Describe
  //
  // The lines of each file that chunk `chunk`'s records came from, files in
  // name order: "hr/memberships.csv:2-1501, hr/people.csv:2001-4000" (one
  // line: "hr/people.csv:7"). Empty if the chunk carried no record `sources`
  // knows (an empty chunk, or one never recorded).
  std::string Describe(int chunk, const SourceMap& sources) const;

  // RequestPath
  //
  // The whole request's path of `field`, a path within stream message
  // `chunk` ("chunk.people[3].display_name" in chunk 1 of 2,000-record
  // chunks -> "people[2003].display_name"); nullopt if the chunk carried no
  // such record.
  std::optional<std::string> RequestPath(int chunk, absl::string_view field) const;

  void clear() { ranges_.clear(); }

 private:
  struct Range {
    int chunk;
    std::string collection;
    int begin;
    int end;
  };
  std::string field_prefix_;
  std::vector<Range> ranges_;
};

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_IMPORT_CHUNKS_H_
