// End-to-end test of a full disk (issue 16, defect 4): the service's SQLite
// file on a small tmpfs that the test fills. Writes are refused with a clear,
// documented class (RESOURCE_EXHAUSTED, reason ERROR_REASON_STORAGE_FULL),
// reads go on, and writes work again by themselves once space is freed.
#include <sys/mount.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors/grpc_errors.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/e2e/suite_harness.h"

namespace council::e2e {
namespace {

using relations::v1::RelationsService;

constexpr char kAdmin[] = "people/it-admin";

// A tmpfs mounted for the test's lifetime (root only: CI runs as root).
class SmallFilesystem {
 public:
  explicit SmallFilesystem(const std::string& size) {
    path_ = (std::filesystem::temp_directory_path() /
             absl::StrCat("council-full-disk-", getpid()))
                .string();
    std::filesystem::create_directories(path_);
    mounted_ = mount("tmpfs", path_.c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0;
    if (!mounted_) error_ = std::strerror(errno);
  }
  ~SmallFilesystem() {
    if (mounted_) umount2(path_.c_str(), MNT_DETACH);
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }
  const std::string& path() const { return path_; }

  // Fills what space is left with one file; returns its path.
  std::string Fill() const {
    const std::string filler = path_ + "/filler";
    FILE* out = std::fopen(filler.c_str(), "w");
    const std::string block(64 * 1024, 'f');
    while (out != nullptr && std::fwrite(block.data(), 1, block.size(), out) == block.size()) {
    }
    if (out != nullptr) std::fclose(out);
    return filler;
  }

 private:
  std::string path_;
  bool mounted_ = false;
  std::string error_;
};

grpc::Status CreatePerson(const Suite& suite, const std::string& id) {
  auto stub = RelationsService::NewStub(suite.GatewayChannel());
  grpc::ClientContext context;
  suite.Authorize(&context, kAdmin);
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  relations::v1::CreatePersonRequest request;
  request.set_person_id(id);
  request.mutable_person()->set_display_name("Officer " + id);
  request.mutable_person()->set_kind(relations::v1::PERSON_KIND_OFFICER);
  auto* start = request.mutable_person()->mutable_start_date();
  start->set_year(2024);
  start->set_month(4);
  start->set_day(1);
  relations::v1::Person person;
  return stub->CreatePerson(&context, request, &person);
}

grpc::Status GetPerson(const Suite& suite, const std::string& name) {
  auto stub = RelationsService::NewStub(suite.GatewayChannel());
  grpc::ClientContext context;
  suite.Authorize(&context, kAdmin);
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  relations::v1::GetPersonRequest request;
  request.set_name(name);
  relations::v1::Person person;
  return stub->GetPerson(&context, request, &person);
}

TEST(StorageFullE2ETest, FullDiskRefusesWritesClearlyKeepsReadsAndRecoversByItself) {
  SmallFilesystem disk("16m");
  if (!disk.mounted())
    GTEST_SKIP() << "cannot mount a tmpfs (" << disk.error()
                 << "): this test needs root, as CI has";
  {
    SuiteOptions options;
    options.database_dir = disk.path();
    auto suite = Suite::Start("southwark", options);
    ASSERT_TRUE(CreatePerson(*suite, "off-before-full").ok());

    const std::string filler = disk.Fill();
    std::vector<std::string> acknowledged;
    grpc::Status refused;
    for (int i = 0; i < 400 && refused.ok(); ++i) {
      const std::string id = absl::StrCat("off-while-full-", i);
      const grpc::Status status = CreatePerson(*suite, id);
      if (status.ok()) {
        acknowledged.push_back(id);  // room left in pages SQLite already had
      } else {
        refused = status;
      }
    }
    ASSERT_FALSE(refused.ok()) << "the disk never filled";
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
        << refused.error_message();
    EXPECT_EQ(ErrorInfoReason(refused), "ERROR_REASON_STORAGE_FULL") << refused.error_message();
    EXPECT_NE(refused.error_message().find("storage is full"), std::string::npos);

    // Reads go on while the disk is full.
    EXPECT_TRUE(GetPerson(*suite, "people/off-before-full").ok());
    EXPECT_TRUE(GetPerson(*suite, kAdmin).ok());

    // Space freed: writes work again, with no restart.
    std::filesystem::remove(filler);
    const absl::Time freed = absl::Now();
    grpc::Status after;
    do {
      after = CreatePerson(*suite, "off-after-space-freed");
    } while (!after.ok() && absl::Now() - freed < absl::Seconds(5));
    EXPECT_TRUE(after.ok()) << after.error_message();
    EXPECT_LT(absl::Now() - freed, absl::Seconds(2) * TimeScale());

    // Nothing acknowledged was lost, and every process is still up.
    for (const std::string& id : acknowledged)
      EXPECT_TRUE(GetPerson(*suite, "people/" + id).ok()) << id;
    EXPECT_TRUE(GetPerson(*suite, "people/off-after-space-freed").ok());
    for (const char* service : {"gateway", "relations-service", "access-service",
                                "complaints-service"})
      EXPECT_TRUE(suite->IsRunning(service)) << service;
  }
}

}  // namespace
}  // namespace council::e2e
