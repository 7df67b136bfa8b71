// Unit tests of the gateway's DirectoryWatch against an in-process
// relations-service that ends every watch stream after one notice, so the
// watch reconnects every second. Issue 16, defect 1: each reconnect destroyed
// the old call's context before its reader, whose destructor then ran on
// freed memory (a double free in the gateway 2-6 s after every restart of
// relations-service; AddressSanitizer reports the first reconnect).
#include "gateway/directory_watch.h"

#include <atomic>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

namespace council::gateway {
namespace {

// WatchDirectoryChanges only: one notice per stream, then the stream ends, as
// when relations-service stops.
class OneNoticeRelations final : public relations::v1::RelationsService::Service {
 public:
  grpc::Status WatchDirectoryChanges(grpc::ServerContext*,
                                     const relations::v1::WatchDirectoryChangesRequest*,
                                     grpc::ServerWriter<relations::v1::DirectoryChange>* writer)
      override {
    relations::v1::DirectoryChange change;
    change.set_revision(streams.fetch_add(1) + 1);
    writer->Write(change);
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "shutting down");
  }
  std::atomic<int> streams{0};
};

TEST(DirectoryWatchTest, ReconnectsAfterEveryLostStreamAndReportsEachNotice) {
  OneNoticeRelations relations;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&relations);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  auto stub = relations::v1::RelationsService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));

  std::atomic<int> notices{0};
  DirectoryWatch watch(stub.get(),
                       auth::AssertionKey::FromSecretForTesting(std::string(32, 'k')),
                       [&notices] { notices.fetch_add(1); });
  grpc::CompletionQueue cq;
  std::thread drainer([&cq] { DrainCompletionQueue(&cq); });
  watch.Start(&cq);

  // The watch retries a second after each loss: four streams in about 3 s.
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (relations.streams.load() < 4 && absl::Now() < deadline)
    absl::SleepFor(absl::Milliseconds(50));
  absl::SleepFor(absl::Milliseconds(200));  // the last notice's handling
  EXPECT_GE(relations.streams.load(), 4);
  EXPECT_GE(notices.load(), 4);

  watch.Stop();
  cq.Shutdown();
  drainer.join();
  server->Shutdown();
}

TEST(DirectoryWatchTest, StopsWhileRelationsServiceIsUnreachable) {
  // Port 1 (tcpmux) is not served on loopback: every connect is refused.
  auto stub = relations::v1::RelationsService::NewStub(
      grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials()));
  std::atomic<int> notices{0};
  DirectoryWatch watch(stub.get(),
                       auth::AssertionKey::FromSecretForTesting(std::string(32, 'k')),
                       [&notices] { notices.fetch_add(1); });
  grpc::CompletionQueue cq;
  std::thread drainer([&cq] { DrainCompletionQueue(&cq); });
  watch.Start(&cq);
  absl::SleepFor(absl::Milliseconds(2500));  // two failed reconnects
  watch.Stop();
  cq.Shutdown();
  drainer.join();
  EXPECT_EQ(notices.load(), 0);
}

}  // namespace
}  // namespace council::gateway
