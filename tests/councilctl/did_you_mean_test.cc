// Tests for tools/councilctl/did_you_mean.h.
#include "tools/councilctl/did_you_mean.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace council::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(EditDistanceTest, CountsEditsAndSwaps) {
  EXPECT_EQ(EditDistance("people", "people"), 0);
  EXPECT_EQ(EditDistance("pepole", "people"), 1);  // a swap of neighbours
  EXPECT_EQ(EditDistance("pople", "people"), 1);
  EXPECT_EQ(EditDistance("pepl", "people"), 2);
  EXPECT_EQ(EditDistance("pagesize", "page-size"), 1);
  EXPECT_EQ(EditDistance("", "abc"), 3);
}

struct Case {
  std::string typed;
  std::vector<std::string> known;
  std::vector<std::string> expected;
};

class DidYouMeanTest : public ::testing::TestWithParam<Case> {};

TEST_P(DidYouMeanTest, SuggestsTheNearest) {
  EXPECT_EQ(DidYouMean(GetParam().typed, GetParam().known), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Typos, DidYouMeanTest,
    ::testing::Values(
        Case{"pepole", {"people", "bodies", "token"}, {"people"}},
        Case{"lst", {"get", "list"}, {"list"}},
        Case{"pagesize", {"page-size", "page-token", "json"}, {"page-size"}},
        Case{"comp", {"complaints", "conflicts", "chain"}, {"complaints"}},
        Case{"frobnicate", {"people", "bodies", "token"}, {}},
        Case{"", {"people"}, {}}));

TEST(SuggestionSuffixTest, ReadsAsAQuestion) {
  EXPECT_EQ(SuggestionSuffix({"list"}, "people "), " (did you mean 'people list'?)");
  EXPECT_EQ(SuggestionSuffix({"a", "b"}), " (did you mean 'a' or 'b'?)");
  EXPECT_EQ(SuggestionSuffix({}), "");
}

}  // namespace
}  // namespace council::ctl
