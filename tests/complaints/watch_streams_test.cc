// WatchComplaintEvents at scale, in process: many open streams cost no thread
// each, every stream gets every event it asked for, and the open streams are
// capped per caller and in total.
#include <dirent.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors/grpc_errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/complaints/server_fixture.h"

namespace council::complaints {
namespace {

using ::council::complaints::testing::ServiceUnderTest;

// The threads this process runs (server and client side alike).
int ThreadCount() {
  DIR* dir = opendir("/proc/self/task");
  if (dir == nullptr) return -1;
  int count = 0;
  while (dirent* entry = readdir(dir))
    if (entry->d_name[0] != '.') ++count;
  closedir(dir);
  return count;
}

// One open watch stream and its context.
struct Watch {
  std::unique_ptr<grpc::ClientContext> context;
  std::unique_ptr<grpc::ClientReader<v1::ComplaintEvent>> reader;
};

Watch OpenWatch(ServiceUnderTest& s, const std::string& person, int64_t after,
                const std::string& complaint = "") {
  Watch watch;
  watch.context = s.Context(person, "WatchComplaintEvents", {"auditor"});
  watch.context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  v1::WatchComplaintEventsRequest request;
  request.set_after_position(after);
  request.set_complaint(complaint);
  watch.reader = s.stub->WatchComplaintEvents(watch.context.get(), request);
  return watch;
}

TEST(WatchStreamsTest, ThreeHundredStreamsRunOnAFewThreadsAndEachGetsEveryEvent) {
  ServiceUnderTest s("sheffield");
  v1::Complaint first;
  ASSERT_TRUE(s.Create("cllr-sophie", "people/off-matthew", &first).ok());
  const int64_t last = s.store->LastPosition();
  ASSERT_GT(last, 0);
  const int before = ThreadCount();

  // 300 streams from 30 tools (10 each), each resuming just before the last
  // event: each is sent that event from the outbox.
  constexpr int kTools = 30, kPerTool = 10;
  std::vector<Watch> watches;
  for (int t = 0; t < kTools; ++t)
    for (int i = 0; i < kPerTool; ++i)
      watches.push_back(OpenWatch(s, absl::StrCat("audit-tool-", t), last - 1));
  for (auto& watch : watches) {
    v1::ComplaintEvent event;
    ASSERT_TRUE(watch.reader->Read(&event)) << watch.reader->Finish().error_message();
    EXPECT_EQ(event.position(), last);
  }
  const int with_streams = ThreadCount();
  std::cout << "threads: " << before << " before, " << with_streams << " with "
            << watches.size() << " open streams\n";
  // A thread per stream would be 300 more.
  EXPECT_LT(with_streams - before, 30) << before << " threads before, " << with_streams
                                       << " with 300 streams";

  // A new complaint's events reach every stream as they commit.
  v1::Complaint second;
  ASSERT_TRUE(s.Create("cllr-ada", "people/off-matthew", &second).ok());
  for (auto& watch : watches) {
    v1::ComplaintEvent event;
    ASSERT_TRUE(watch.reader->Read(&event));
    EXPECT_EQ(event.position(), last + 1);
    EXPECT_EQ(event.complaint(), second.name());
    EXPECT_EQ(event.type(), v1::COMPLAINT_EVENT_TYPE_FILED);
  }
  EXPECT_LT(ThreadCount() - before, 30);
  for (auto& watch : watches) watch.context->TryCancel();
  for (auto& watch : watches)
    EXPECT_EQ(watch.reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

}  // namespace
}  // namespace council::complaints
