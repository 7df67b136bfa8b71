// The integration kit: the Python example tool, using stubs generated at
// build time, works against the real suite through the gateway.
#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/suite_harness.h"

namespace council::e2e {
namespace {

using ::testing::HasSubstr;

TEST(PythonExampleE2ETest, ExampleToolCallsTheSuiteThroughTheGatewayWithGeneratedStubs) {
  auto suite = Suite::Start("southwark");
  ASSERT_EQ(suite->LoadDemoCouncil(), 0);
  const std::string person = "people/cllr-imran-ahmed";
  const std::string command = absl::StrCat(
      "PYTHONPATH=", COUNCIL_BINARY_DIR, "/python /usr/bin/python3 ", COUNCIL_SOURCE_DIR,
      "/examples/python/council_example.py --gateway 127.0.0.1:", suite->Port("gateway"),
      " --token ", suite->TokenFor(person), " --person ", person,
      " --document documents/rec-000010 2>&1");
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, n);
  const int status = pclose(pipe);
  ASSERT_EQ(WEXITSTATUS(status), 0) << output;
  EXPECT_THAT(output, HasSubstr("caller: people/cllr-imran-ahmed (Imran Ahmed)"));
  EXPECT_THAT(output, HasSubstr("directory: first 5 people, more: True"));
  EXPECT_THAT(output, HasSubstr("decision: OUTCOME_GRANTED"));
  EXPECT_THAT(output, HasSubstr("Southwark 53"));
}

}  // namespace
}  // namespace council::e2e
