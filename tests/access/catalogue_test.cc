// Tests for access-service/catalogue.h: the in-memory catalogue.
#include "access-service/catalogue.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council::access {
namespace {

v1::Document Doc(const std::string& id, const std::string& title = "t") {
  v1::Document d;
  d.set_name(absl::StrCat("documents/", id));
  d.set_title(title);
  return d;
}

std::vector<std::string> Names(const Catalogue::Snapshot& snapshot) {
  std::vector<std::string> names;
  for (size_t i = 0; i < snapshot.size(); ++i) names.push_back(snapshot.at(i).name());
  return names;
}

TEST(CatalogueTest, ReplaceSortsByNameAndFinds) {
  Catalogue catalogue;
  catalogue.Replace({Doc("c"), Doc("a"), Doc("b")});
  auto snapshot = catalogue.Current();
  EXPECT_THAT(Names(*snapshot), ::testing::ElementsAre("documents/a", "documents/b", "documents/c"));
  ASSERT_NE(snapshot->Find("documents/b"), nullptr);
  EXPECT_EQ(snapshot->Find("documents/z"), nullptr);
  EXPECT_EQ(snapshot->UpperBound(""), 0u);
  EXPECT_EQ(snapshot->UpperBound("documents/a"), 1u);
  EXPECT_EQ(snapshot->UpperBound("documents/bb"), 2u);
  EXPECT_EQ(snapshot->UpperBound("documents/c"), 3u);
}

TEST(CatalogueTest, UpsertReplacesAndInsertsWithoutDisturbingOldSnapshots) {
  Catalogue catalogue;
  catalogue.Replace({Doc("a", "old"), Doc("c")});
  auto before = catalogue.Current();
  catalogue.Upsert({Doc("a", "new"), Doc("b"), Doc("d")});
  auto after = catalogue.Current();
  EXPECT_THAT(Names(*after), ::testing::ElementsAre("documents/a", "documents/b", "documents/c",
                                                     "documents/d"));
  EXPECT_EQ(after->Find("documents/a")->title(), "new");
  EXPECT_EQ(before->Find("documents/a")->title(), "old") << "a reader's snapshot never changes";
  EXPECT_EQ(before->size(), 2u);
  EXPECT_EQ(after->Find("documents/c"), before->Find("documents/c"))
      << "unchanged documents are shared, not copied";
}

TEST(CatalogueTest, LargeCatalogueLooksUpEveryDocument) {
  std::vector<v1::Document> documents;
  for (int i = 0; i < 20000; ++i) documents.push_back(Doc(absl::StrCat("rec-", 100000 + i)));
  Catalogue catalogue;
  catalogue.Replace(std::move(documents));
  auto snapshot = catalogue.Current();
  ASSERT_EQ(snapshot->size(), 20000u);
  for (int i = 0; i < 20000; i += 997)
    EXPECT_NE(snapshot->Find(absl::StrCat("documents/rec-", 100000 + i)), nullptr);
}

TEST(CatalogueTest, PostingsListEachFieldsDocumentsInOrder) {
  v1::Document a = Doc("a"), b = Doc("b"), c = Doc("c");
  a.set_body("bodies/planning");
  c.set_body("bodies/planning");
  a.add_wards("wards/abbey");
  b.add_wards("wards/abbey");
  b.add_wards("wards/abbey");  // listed twice, posted once
  b.set_owning_service("waste");
  c.set_portfolio("portfolios/housing");
  Catalogue catalogue;
  catalogue.Replace({c, b, a});
  auto snapshot = catalogue.Current();
  using Field = Catalogue::Snapshot::Field;
  EXPECT_THAT(snapshot->Postings(Field::kBody, "bodies/planning"), ::testing::ElementsAre(0u, 2u));
  EXPECT_THAT(snapshot->Postings(Field::kWard, "wards/abbey"), ::testing::ElementsAre(0u, 1u));
  EXPECT_THAT(snapshot->Postings(Field::kOwningService, "waste"), ::testing::ElementsAre(1u));
  EXPECT_THAT(snapshot->Postings(Field::kPortfolio, "portfolios/housing"), ::testing::ElementsAre(2u));
  EXPECT_TRUE(snapshot->Postings(Field::kBody, "bodies/none").empty());
  catalogue.Upsert({Doc("aa")});
  EXPECT_THAT(catalogue.Current()->Postings(Field::kBody, "bodies/planning"),
              ::testing::ElementsAre(0u, 3u))
      << "positions move when a document is inserted before them";
}

}  // namespace
}  // namespace council::access
