// Tests for access-service/access_store.h: group commit, the who-saw-what
// index, auditing, and reopening a file.
#include "access-service/access_store.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/storage/database.h"
#include "common/storage/migrations.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council::access {
namespace {

using ::testing::ElementsAre;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/access-store-test-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

v1::AccessRequest Request(int i, const std::string& document, const std::string& requester,
                          v1::Outcome outcome) {
  v1::AccessRequest request;
  request.set_name(absl::StrFormat("accessRequests/ar-%06d", i));
  request.set_document(document);
  request.set_requester(requester);
  request.set_capacity(v1::CAPACITY_OTHER);
  request.mutable_decision()->set_outcome(outcome);
  auto* reason = request.mutable_decision()->add_reasons();
  reason->mutable_citation()->set_clause("Middlesbrough 14.4");
  reason->set_finding("test");
  request.set_outcome(outcome);
  return request;
}

RequestFilter Filter(std::string document, std::string requester = "",
                     v1::Outcome outcome = v1::OUTCOME_UNSPECIFIED, std::string decider = "",
                     bool open = false) {
  RequestFilter filter;
  filter.document = std::move(document);
  filter.requester = std::move(requester);
  filter.outcome = outcome;
  filter.decider = std::move(decider);
  filter.open_disputes_only = open;
  return filter;
}

std::vector<std::string> Names(const std::vector<v1::AccessRequest>& requests) {
  std::vector<std::string> names;
  for (const auto& r : requests) names.push_back(r.name());
  return names;
}

TEST(AccessStoreTest, ConcurrentWritersAreGroupCommittedAndAllDurable) {
  TempDir dir;
  const std::string path = dir.File("access.db");
  constexpr int kThreads = 16, kEach = 40;
  {
    auto store = AccessStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status();
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          const int n = t * kEach + i;
          auto saved = (*store)->SaveAccessRequest(
              Request(n, absl::StrCat("documents/doc-", n % 5), absl::StrCat("people/m-", t),
                      v1::OUTCOME_GRANTED),
              absl::StrCat("people/m-", t));
          if (!saved.ok()) failures.fetch_add(1);
        }
      });
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
  }
  // Reopened: every acknowledged write is there, each audited once, and the
  // chain verifies.
  auto store = AccessStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  auto all = (*store)->ListAccessRequests(Filter(""), "", 1000);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->size(), static_cast<size_t>(kThreads * kEach));
  auto verification = (*store)->VerifyAudit();
  EXPECT_TRUE(verification.ok) << verification.problem;
  EXPECT_EQ(verification.entries_checked, kThreads * kEach);
}

TEST(AccessStoreTest, AFailingWriteDoesNotUndoItsNeighboursInTheSameCommit) {
  auto store = AccessStore::Open(":memory:");
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE((*store)->SaveAccessRequest(Request(1, "documents/a", "people/x",
                                                  v1::OUTCOME_GRANTED), "people/x").ok());
  std::atomic<int> duplicates{0}, saved{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        // Every other write reuses request 1's name and must fail alone.
        const bool duplicate = i % 2 == 0;
        auto status = (*store)->SaveAccessRequest(
            Request(duplicate ? 1 : 1000 + t * 20 + i, "documents/a", "people/x",
                    v1::OUTCOME_REFUSED),
            "people/x");
        if (duplicate) {
          EXPECT_TRUE(absl::IsAlreadyExists(status)) << status;
          duplicates.fetch_add(1);
        } else {
          EXPECT_TRUE(status.ok()) << status;
          saved.fetch_add(1);
        }
      }
    });
  for (auto& thread : threads) thread.join();
  auto all = (*store)->ListAccessRequests(Filter(""), "", 1000);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), static_cast<size_t>(1 + saved.load()));
  auto verification = (*store)->VerifyAudit();
  EXPECT_TRUE(verification.ok) << verification.problem;
  EXPECT_EQ(verification.entries_checked, 1 + saved.load()) << "failed writes leave no audit";
}

TEST(AccessStoreTest, WhoSawWhatFiltersByDocumentRequesterOutcomeAndDecider) {
  auto store = AccessStore::Open(":memory:");
  ASSERT_TRUE(store.ok());
  auto& s = **store;
  ASSERT_TRUE(s.SaveAccessRequest(Request(1, "documents/a", "people/x", v1::OUTCOME_GRANTED), "x").ok());
  ASSERT_TRUE(s.SaveAccessRequest(Request(2, "documents/a", "people/y", v1::OUTCOME_REFUSED), "y").ok());
  ASSERT_TRUE(s.SaveAccessRequest(Request(3, "documents/b", "people/x", v1::OUTCOME_GRANTED), "x").ok());
  v1::AccessRequest referred = Request(4, "documents/b", "people/y", v1::OUTCOME_REFERRED);
  referred.mutable_dispute()->set_decider("people/mo");
  referred.mutable_dispute()->set_state(v1::DISPUTE_STATE_OPEN);
  ASSERT_TRUE(s.SaveAccessRequest(referred, "y").ok());

  auto list = [&](RequestFilter filter, const std::string& after = "", int limit = 100) {
    auto result = s.ListAccessRequests(filter, after, limit);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? Names(*result) : std::vector<std::string>{};
  };
  EXPECT_THAT(list(Filter("documents/a")),
              ElementsAre("accessRequests/ar-000001", "accessRequests/ar-000002"));
  EXPECT_THAT(list(Filter("documents/a", "", v1::OUTCOME_GRANTED)),
              ElementsAre("accessRequests/ar-000001"));
  EXPECT_THAT(list(Filter("", "people/x")),
              ElementsAre("accessRequests/ar-000001", "accessRequests/ar-000003"));
  EXPECT_THAT(list(Filter("", "", v1::OUTCOME_UNSPECIFIED, "people/mo", true)),
              ElementsAre("accessRequests/ar-000004"));
  EXPECT_THAT(list(Filter(""), "ar-000002", 1), ElementsAre("accessRequests/ar-000003"))
      << "pages continue after the last id";

  // Deciding the dispute updates the index.
  const v1::AccessRequest read = referred;
  referred.mutable_dispute()->set_state(v1::DISPUTE_STATE_DECIDED);
  referred.set_outcome(v1::OUTCOME_GRANTED);
  ASSERT_TRUE(s.UpdateAccessRequest(read, referred, "people/mo", "DecideDispute", "GRANTED").ok());
  // A second decision made from the same (now stale) read is refused.
  EXPECT_TRUE(absl::IsAborted(
      s.UpdateAccessRequest(read, referred, "people/mo", "DecideDispute", "again")));
  EXPECT_THAT(list(Filter("", "", v1::OUTCOME_UNSPECIFIED, "people/mo", true)), ElementsAre());
  EXPECT_THAT(list(Filter("documents/b", "", v1::OUTCOME_GRANTED)),
              ElementsAre("accessRequests/ar-000003", "accessRequests/ar-000004"));
  // Updating what does not exist is NOT_FOUND and audits nothing.
  const v1::AccessRequest missing = Request(99, "documents/b", "people/y", v1::OUTCOME_GRANTED);
  EXPECT_TRUE(absl::IsNotFound(s.UpdateAccessRequest(missing, missing, "y", "DecideDispute", "x")));
  EXPECT_EQ(s.VerifyAudit().entries_checked, 5);
}

TEST(AccessStoreTest, ReadsOfTheRecordAreAudited) {
  auto store = AccessStore::Open(":memory:");
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->AuditRead("people/mo", "ListAccessRequests", "documents/a", "all").ok());
  auto verification = (*store)->VerifyAudit();
  EXPECT_TRUE(verification.ok);
  EXPECT_EQ(verification.entries_checked, 1);
}

TEST(AccessStoreTest, RequestsMissingFromTheIndexAreIndexedOnOpen) {
  TempDir dir;
  const std::string path = dir.File("access.db");
  {
    auto store = AccessStore::Open(path);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->SaveAccessRequest(Request(1, "documents/a", "people/x",
                                                    v1::OUTCOME_GRANTED), "x").ok());
  }
  {
    // As if filed before the index existed.
    auto db = storage::Database::Open(path);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("DELETE FROM access_request_index").ok());
  }
  auto store = AccessStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  auto listed = (*store)->ListAccessRequests(Filter("documents/a"), "", 10);
  ASSERT_TRUE(listed.ok());
  EXPECT_THAT(Names(*listed), ElementsAre("accessRequests/ar-000001"));
}

TEST(AccessStoreTest, DocumentsImportAndLoadInNameOrder) {
  auto store = AccessStore::Open(":memory:");
  ASSERT_TRUE(store.ok());
  std::vector<v1::Document> documents(3);
  std::vector<const v1::Document*> changed;
  for (int i = 0; i < 3; ++i) {
    documents[i].set_name(absl::StrCat("documents/d-", 3 - i));
    documents[i].set_title("t");
    changed.push_back(&documents[i]);
  }
  ImportCounts counts;
  counts.created = 3;
  ASSERT_TRUE((*store)->ImportDocuments(changed, counts, "people/admin").ok());
  v1::Document single;
  single.set_name("documents/d-0");
  ASSERT_TRUE((*store)->CreateDocument(single, "people/admin").ok());
  EXPECT_TRUE(absl::IsAlreadyExists((*store)->CreateDocument(single, "people/admin")));
  auto loaded = (*store)->LoadDocuments();
  ASSERT_TRUE(loaded.ok());
  std::vector<std::string> names;
  for (const auto& d : *loaded) names.push_back(d.name());
  EXPECT_THAT(names, ElementsAre("documents/d-0", "documents/d-1", "documents/d-2",
                                 "documents/d-3"));
  EXPECT_EQ((*store)->VerifyAudit().entries_checked, 2) << "one import, one create";
}

TEST(AccessStoreTest, MigrationFourMovesNotForPublicationFromStatusToItsMark) {
  // South Somerset 10 and 11: a document can be exempt and "Not for
  // Publication" at once, so the marking moved out of the status. A file
  // written before holds the old status value; opening it converts it.
  TempDir dir;
  const std::string path = dir.File("access.db");
  {
    auto store = AccessStore::Open(path);
    ASSERT_TRUE(store.ok());
    v1::Document legacy;
    legacy.set_name("documents/group-budget-notes");
    legacy.set_title("Group budget notes");
    legacy.set_status(v1::DOCUMENT_STATUS_NOT_FOR_PUBLICATION);
    ASSERT_TRUE((*store)->CreateDocument(legacy, "people/admin").ok());
    v1::Document exempt;
    exempt.set_name("documents/legal-advice");
    exempt.set_title("Legal advice");
    exempt.set_status(v1::DOCUMENT_STATUS_EXEMPT);
    exempt.add_exempt_paragraphs(5);
    ASSERT_TRUE((*store)->CreateDocument(exempt, "people/admin").ok());
  }
  {
    // As if written by the binary before migration 4.
    auto db = storage::Database::Open(path);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("PRAGMA user_version = 3").ok());
  }
  auto store = AccessStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  auto loaded = (*store)->LoadDocuments();
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->size(), 2u);
  EXPECT_EQ((*loaded)[0].name(), "documents/group-budget-notes");
  EXPECT_EQ((*loaded)[0].status(), v1::DOCUMENT_STATUS_OPEN);
  EXPECT_TRUE((*loaded)[0].not_for_publication());
  EXPECT_EQ((*loaded)[1].status(), v1::DOCUMENT_STATUS_EXEMPT) << "other documents unchanged";
  EXPECT_FALSE((*loaded)[1].not_for_publication());
  auto db = storage::Database::Open(path);
  ASSERT_TRUE(db.ok());
  auto version = storage::SchemaVersion(**db);
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, 4);
}

TEST(MoveNotForPublicationMarkTest, OnlyTheOldStatusValueMoves) {
  v1::Document document;
  document.set_status(v1::DOCUMENT_STATUS_EXEMPT);
  document.set_not_for_publication(true);
  EXPECT_FALSE(MoveNotForPublicationMark(&document)) << "exempt and marked stays so";
  EXPECT_EQ(document.status(), v1::DOCUMENT_STATUS_EXEMPT);
  document.set_status(v1::DOCUMENT_STATUS_NOT_FOR_PUBLICATION);
  document.set_not_for_publication(false);
  EXPECT_TRUE(MoveNotForPublicationMark(&document));
  EXPECT_EQ(document.status(), v1::DOCUMENT_STATUS_OPEN);
  EXPECT_TRUE(document.not_for_publication());
}

}  // namespace
}  // namespace council::access
