// Signed checkpoints: the line format, signatures (forged, altered, another
// key's, a rotated key's), checkpoint files and journal lines.
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "common/audit/checkpoint.h"
#include "gtest/gtest.h"
#include "tests/common/audit/audit_test_util.h"

namespace council::audit {
namespace {

using ::council::audit::testing::TestPath;
using ::council::audit::testing::TestTime;

std::shared_ptr<const CheckpointKey> NewKey() {
  auto pair = CheckpointKey::Generate();
  EXPECT_TRUE(pair.ok()) << pair.status();
  auto key = CheckpointKey::FromPrivateKeyPem(pair->first, "test key");
  EXPECT_TRUE(key.ok()) << key.status();
  return *key;
}

std::shared_ptr<const CheckpointKey> PublicHalf(const CheckpointKey& key) {
  auto pub = CheckpointKey::FromPublicKeyPem(key.PublicKeyPem(), "public half");
  EXPECT_TRUE(pub.ok()) << pub.status();
  return *pub;
}

Checkpoint Sample(int64_t seq = 42) {
  Checkpoint c;
  c.service = "relations-service";
  c.chain = std::string(64, 'a');
  c.seq = seq;
  c.head = absl::StrCat("v2:", std::string(16, '1'), ":", std::string(64, '2'), ":",
                        std::string(64, '3'));
  c.time = TestTime(7);
  return c;
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::trunc);
  out << content;
}

class CheckpointTest : public ::testing::Test {
 protected:
  std::shared_ptr<const CheckpointKey> key_ = NewKey();
  CheckpointKeys public_keys_{{key_->id(), PublicHalf(*key_)}};
};

TEST_F(CheckpointTest, LineHasTheDocumentedShapeAndRoundTrips) {
  auto line = key_->Sign(Sample());
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_TRUE(absl::StartsWith(
      *line, absl::StrCat("council-audit-checkpoint/1 service=relations-service chain=",
                          std::string(64, 'a'), " seq=42 head=v2:")))
      << *line;
  EXPECT_TRUE(absl::StrContains(*line, absl::StrCat(" time=2024-05-01T09:30:07Z key=",
                                                    key_->id(), " sig=")))
      << *line;
  EXPECT_EQ(key_->id().size(), 16u);

  auto parsed = ParseCheckpointLine(*line, public_keys_);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->service, "relations-service");
  EXPECT_EQ(parsed->seq, 42);
  EXPECT_EQ(parsed->head, Sample().head);
  EXPECT_EQ(parsed->chain, Sample().chain);
  EXPECT_EQ(parsed->time, TestTime(7));
  EXPECT_EQ(parsed->key_id, key_->id());
}

TEST_F(CheckpointTest, ReadsTheCheckpointOutOfAJsonLogLine) {
  auto line = key_->Sign(Sample());
  ASSERT_TRUE(line.ok());
  const std::string journal =
      absl::StrCat("Mar 01 host relations-service[12]: {\"time\":\"x\",\"event\":"
                   "\"audit_checkpoint\",\"seq\":\"42\",\"checkpoint\":\"",
                   *line, "\"}");
  auto parsed = ParseCheckpointLine(journal, public_keys_);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->seq, 42);
}

TEST_F(CheckpointTest, ForgedSignatureFails) {
  auto line = key_->Sign(Sample());
  ASSERT_TRUE(line.ok());
  // Flip one character of the signature.
  std::string forged = *line;
  char& last = forged[forged.size() - 5];
  last = last == 'A' ? 'B' : 'A';
  auto parsed = ParseCheckpointLine(forged, public_keys_);
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(parsed.status().message(), "signature does not verify"))
      << parsed.status();
}

TEST_F(CheckpointTest, AlteredFieldFails) {
  // A checkpoint moved back to match a truncated log.
  auto line = key_->Sign(Sample(42));
  ASSERT_TRUE(line.ok());
  const std::string altered = absl::StrReplaceAll(*line, {{" seq=42 ", " seq=41 "}});
  ASSERT_NE(altered, *line);
  auto parsed = ParseCheckpointLine(altered, public_keys_);
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(parsed.status().message(), "signature does not verify"));
}

TEST_F(CheckpointTest, CheckpointSignedWithAnotherKeyFails) {
  std::shared_ptr<const CheckpointKey> attacker = NewKey();
  auto line = attacker->Sign(Sample());
  ASSERT_TRUE(line.ok());
  auto parsed = ParseCheckpointLine(*line, public_keys_);
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(parsed.status().message(),
                                absl::StrCat("signed with key id ", attacker->id())))
      << parsed.status();

  // Even under the genuine key id, the signature gives it away.
  const std::string relabelled =
      absl::StrReplaceAll(*line, {{absl::StrCat("key=", attacker->id()),
                                   absl::StrCat("key=", key_->id())}});
  parsed = ParseCheckpointLine(relabelled, public_keys_);
  EXPECT_TRUE(absl::StrContains(parsed.status().message(), "signature does not verify"))
      << parsed.status();
}

TEST_F(CheckpointTest, RotatedKeyOldCheckpointsVerifyWithTheOldPublicKey) {
  std::shared_ptr<const CheckpointKey> next = NewKey();
  auto old_line = key_->Sign(Sample(10));
  auto new_line = next->Sign(Sample(20));
  ASSERT_TRUE(old_line.ok() && new_line.ok());
  CheckpointKeys both = public_keys_;
  both[next->id()] = PublicHalf(*next);
  EXPECT_TRUE(ParseCheckpointLine(*old_line, both).ok());
  EXPECT_TRUE(ParseCheckpointLine(*new_line, both).ok());
  EXPECT_FALSE(ParseCheckpointLine(*new_line, public_keys_).ok());
}

TEST_F(CheckpointTest, MalformedLinesAreRefused) {
  auto line = key_->Sign(Sample());
  ASSERT_TRUE(line.ok());
  const std::vector<std::string> bad = {
      absl::StrReplaceAll(*line, {{"checkpoint/1", "checkpoint/2"}}),
      absl::StrReplaceAll(*line, {{" seq=42", " seq=042"}}),
      absl::StrReplaceAll(*line, {{" seq=", "  seq="}}),
      absl::StrReplaceAll(*line, {{"T09:30:07Z", "T09:30:07+00:00"}}),
      absl::StrReplaceAll(*line, {{"service=relations-service", "service=Relations"}}),
      absl::StrCat(*line, " extra=1"),
      "council-audit-checkpoint/1",
  };
  for (const std::string& text : bad) {
    auto parsed = ParseCheckpointLine(text, public_keys_);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << text;
  }
  EXPECT_EQ(ParseCheckpointLine("nothing here", public_keys_).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(CheckpointTest, SignRefusesWhatTheFormatCannotCarry) {
  Checkpoint c = Sample();
  c.service = "two words";
  EXPECT_EQ(key_->Sign(c).status().code(), absl::StatusCode::kInvalidArgument);
  c = Sample(0);
  EXPECT_EQ(key_->Sign(c).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(PublicHalf(*key_)->Sign(Sample()).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(CheckpointTest, KeyFilesNameTheProblem) {
  const std::string path = TestPath(".pem");
  EXPECT_EQ(CheckpointKey::FromPrivateKeyFile(path).status().code(), absl::StatusCode::kNotFound);
  WriteFile(path, "not a key\n");
  auto loaded = CheckpointKey::FromPrivateKeyFile(path);
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(loaded.status().message(), path)) << loaded.status();
  // A public key where a private one is expected, and the other way round.
  WriteFile(path, key_->PublicKeyPem());
  EXPECT_EQ(CheckpointKey::FromPrivateKeyFile(path).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(CheckpointKey::FromPublicKeyFile(path).ok());
  std::remove(path.c_str());
}

TEST_F(CheckpointTest, FileAppendAndReadBack) {
  const std::string path = TestPath(".checkpoints");
  std::remove(path.c_str());
  Checkpoint other_service = Sample(5);
  other_service.service = "access-service";
  Checkpoint later = Sample(9);
  later.time = TestTime(30);
  for (const Checkpoint& c : {Sample(3), other_service, later}) {
    auto line = key_->Sign(c);
    ASSERT_TRUE(line.ok());
    ASSERT_TRUE(AppendCheckpointLine(path, *line).ok());
  }
  auto all = ReadCheckpointFile(path, public_keys_);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].seq, 3);
  EXPECT_EQ((*all)[0].source, absl::StrCat(path, ":1"));
  EXPECT_EQ((*all)[2].source, absl::StrCat(path, ":3"));

  auto relations = ReadCheckpointFile(path, public_keys_, "relations-service");
  ASSERT_TRUE(relations.ok());
  EXPECT_EQ(relations->size(), 2u);
  auto until = ReadCheckpointFile(path, public_keys_, "relations-service", TestTime(10));
  ASSERT_TRUE(until.ok());
  ASSERT_EQ(until->size(), 1u);
  EXPECT_EQ((*until)[0].seq, 3);
  // Strictly before: a checkpoint signed in the very second a backup was
  // stamped may state a head read after the snapshot.
  until = ReadCheckpointFile(path, public_keys_, "relations-service", TestTime(7));
  ASSERT_TRUE(until.ok());
  EXPECT_TRUE(until->empty());
  std::remove(path.c_str());
}

TEST_F(CheckpointTest, FileWithAForgedLineFailsNamingTheLine) {
  const std::string path = TestPath(".checkpoints");
  auto good = key_->Sign(Sample(3));
  ASSERT_TRUE(good.ok());
  WriteFile(path, absl::StrCat("# comment lines are skipped\n", *good, "\n",
                               absl::StrReplaceAll(*good, {{" seq=3 ", " seq=2 "}}), "\n"));
  auto read = ReadCheckpointFile(path, public_keys_);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(absl::StartsWith(read.status().message(), absl::StrCat(path, ":3: ")))
      << read.status();
  EXPECT_EQ(ReadCheckpointFile(path + ".absent", public_keys_).status().code(),
            absl::StatusCode::kNotFound);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace council::audit
