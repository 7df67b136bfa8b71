// Tests for tools/councilctl/import_chunks.h: a chunk the service refuses as
// a whole is reported as the file lines its records came from.
#include "tools/councilctl/import_chunks.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council::ctl {
namespace {

using ::testing::Eq;
using ::testing::Optional;

TEST(ChunkIndexTest, ReadsTheChunkOfAFieldPath) {
  EXPECT_THAT(ChunkIndex("chunks[12]"), Optional(Eq(12)));
  EXPECT_THAT(ChunkIndex("chunks[0].documents"), Optional(Eq(0)));
  EXPECT_EQ(ChunkIndex("people[12]"), std::nullopt);
  EXPECT_EQ(ChunkIndex("chunks[x]"), std::nullopt);
  EXPECT_EQ(ChunkIndex("chunks[-1]"), std::nullopt);
  EXPECT_EQ(ChunkIndex("chunks[3"), std::nullopt);
}

TEST(ChunkRowsTest, DescribesTheLinesOfEachFileAChunkCarried) {
  SourceMap sources;
  auto header = std::make_shared<const std::vector<std::string>>();
  // people.csv lines 2-7 are people[0..5]; line 5 was skipped, so people[3]
  // is line 6. memberships.csv line 2 is memberships[0].
  const int people_lines[] = {2, 3, 4, 6, 7, 8};
  for (int i = 0; i < 6; ++i)
    sources.Add(absl::StrCat("people[", i, "]"), {"hr/people.csv", people_lines[i]}, header,
                nullptr);
  sources.Add("memberships[0]", {"hr/memberships.csv", 2}, header, nullptr);
  sources.Add("designations[0]", {"hr/designations.csv", 2}, header, nullptr);
  sources.Add("designations[0].tenures[1]", {"hr/designations.csv", 9}, header, nullptr);
  ChunkRows chunks;
  chunks.Add(0, "people", 0, 3);
  chunks.Add(0, "memberships", 0, 3);
  chunks.Add(0, "designations", 0, 100);
  chunks.Add(1, "people", 3, 6);
  chunks.Add(1, "memberships", 3, 6);
  chunks.Add(2, "people", 6, 9);
  EXPECT_EQ(chunks.Describe(0, sources),
            "hr/designations.csv:2-9, hr/memberships.csv:2, hr/people.csv:2-4");
  EXPECT_EQ(chunks.Describe(1, sources), "hr/people.csv:6-8");
  EXPECT_EQ(chunks.Describe(2, sources), "") << "a chunk of records no file gave";
  EXPECT_EQ(chunks.Describe(7, sources), "") << "a chunk never sent";
}

TEST(ChunkRowsTest, TurnsAPathWithinAStreamMessageIntoTheRequestsPath) {
  ChunkRows chunks("chunk.");
  chunks.Add(0, "bodies", 0, 1000000);
  chunks.Add(0, "people", 0, 2000);
  chunks.Add(1, "people", 2000, 4000);
  chunks.Add(2, "people", 4000, 4500);
  EXPECT_THAT(chunks.RequestPath(1, "chunk.people[3].display_name"),
              Optional(Eq("people[2003].display_name")));
  EXPECT_THAT(chunks.RequestPath(0, "chunk.bodies[7]"), Optional(Eq("bodies[7]")));
  EXPECT_THAT(chunks.RequestPath(2, "chunk.people[499]"), Optional(Eq("people[4499]")));
  EXPECT_EQ(chunks.RequestPath(2, "chunk.people[500]"), std::nullopt) << "not in that chunk";
  EXPECT_EQ(chunks.RequestPath(1, "chunk.bodies[0]"), std::nullopt) << "bodies are in chunk 0";
  EXPECT_EQ(chunks.RequestPath(1, "people[3]"), std::nullopt) << "not a path in the message";
  EXPECT_EQ(chunks.RequestPath(1, "chunk.validate_only"), std::nullopt);
}

}  // namespace
}  // namespace council::ctl
