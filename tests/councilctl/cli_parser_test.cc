// Tests for tools/councilctl/cli_parser.h: commands found or named with the
// nearest, flags checked against the synopsis (unknown, malformed, twice),
// help at each level, and every real command's synopsis readable.
#include "tools/councilctl/cli_parser.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/councilctl/command_synopsis.h"

namespace council::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

CommandTable TestTable() {
  CommandTable table;
  auto run = [](const Args&) { return 0; };
  table.Add("people get", {"councilctl people get people/ID\n  One person.", run});
  table.Add("people list", {"councilctl people list [--page-size=N] [--page-token=T]\n"
                            "  The directory.", run});
  table.Add("register get", {"councilctl register get people/ID [--full] [--as-of=YYYY-MM-DD]",
                             run});
  table.Add("complaints list", {"councilctl complaints list [--state=open|closed]", run});
  table.Add("token", {"councilctl token --person=people/ID [--key=PEM] [--ttl-minutes=N]", run});
  table.Add("dev-keys", {"councilctl dev-keys [--out=DIR]", run});
  return table;
}

ParsedCommandLine Parse(const std::vector<std::string>& arguments) {
  static const CommandTable table = TestTable();
  return ParseCommandLine(table, arguments);
}

TEST(CliParserTest, FindsATwoWordCommandWithItsFlagsAndPositionals) {
  ParsedCommandLine parsed = Parse({"--gateway", "host:1", "register", "get", "people/a", "--full",
                                    "--as-of=2026-03-01", "--json"});
  ASSERT_EQ(parsed.outcome, ParsedCommandLine::kRun) << parsed.text;
  EXPECT_EQ(parsed.name, "register get");
  EXPECT_THAT(parsed.args.positionals, ElementsAre("register", "get", "people/a"));
  EXPECT_EQ(parsed.args.Get("gateway"), "host:1");
  EXPECT_EQ(parsed.args.Get("full"), "true");
  EXPECT_EQ(parsed.args.Get("as-of"), "2026-03-01");
  EXPECT_TRUE(parsed.json);
  EXPECT_FALSE(parsed.args.Has("page-size"));
}

TEST(CliParserTest, AOneWordCommandSeesItsPositionalsFromIndexTwo) {
  ParsedCommandLine parsed = Parse({"token", "--person", "people/a", "--ttl-minutes=5"});
  ASSERT_EQ(parsed.outcome, ParsedCommandLine::kRun) << parsed.text;
  EXPECT_THAT(parsed.args.positionals, ElementsAre("token", ""));
  EXPECT_EQ(parsed.args.Get("person"), "people/a");
  EXPECT_EQ(parsed.args.Get("ttl-minutes"), "5");
}

struct Refusal {
  std::vector<std::string> arguments;
  std::string says;
};

class CliParserRefusalTest : public ::testing::TestWithParam<Refusal> {};

TEST_P(CliParserRefusalTest, IsAUsageErrorThatSaysWhy) {
  ParsedCommandLine parsed = Parse(GetParam().arguments);
  EXPECT_EQ(parsed.outcome, ParsedCommandLine::kUsageError);
  EXPECT_THAT(parsed.text, HasSubstr(GetParam().says));
}

INSTANTIATE_TEST_SUITE_P(
    Mistakes, CliParserRefusalTest,
    ::testing::Values(
        Refusal{{"people", "list", "--pagesize=3"},
                "councilctl people list: unknown flag --pagesize (did you mean '--page-size'?)"},
        Refusal{{"people", "list", "--page-size=abc"},
                "--page-size: must be a whole number of 1 or more (got \"abc\")"},
        Refusal{{"people", "list", "--page-size=0"}, "must be a whole number of 1 or more"},
        Refusal{{"token", "--person=people/a", "--ttl-minutes=-5"},
                "--ttl-minutes: must be a whole number of 1 or more (got \"-5\")"},
        Refusal{{"--token-file=/nonexistent", "people", "list"},
                "--token-file: no such file: \"/nonexistent\""},
        Refusal{{"token", "--person=people/a", "--key=/nonexistent.pem"}, "--key: no such file"},
        Refusal{{"dev-keys", "--out=/nonexistent-dir"}, "--out: no such directory"},
        Refusal{{"register", "get", "people/a", "--as-of=2026-02-30"},
                "--as-of: must be a date YYYY-MM-DD (got \"2026-02-30\")"},
        Refusal{{"complaints", "list", "--state=opne"},
                "--state: must be one of open, closed (got \"opne\") (did you mean 'open'?)"},
        Refusal{{"pepole", "list"}, "unknown command 'pepole' (did you mean 'people'?)"},
        Refusal{{"people", "lst"}, "unknown command 'people lst' (did you mean 'people list'?)"},
        Refusal{{"frobnicate"}, "unknown command 'frobnicate'; councilctl --help"},
        Refusal{{"people"}, "councilctl people: a command is required"},
        Refusal{{"people", "get"}, "councilctl people get: people/ID is required"},
        Refusal{{"token", "--ttl-minutes=5"}, "councilctl token: --person=people/ID is required"},
        Refusal{{"people", "get", "people/a", "people/b"}, "unexpected argument 'people/b'"},
        Refusal{{"people", "list", "--page-size=1", "--page-size=2"},
                "councilctl people list: --page-size is given more than once"},
        Refusal{{"people", "list", "--page-size"}, "councilctl people list: --page-size needs a value"},
        Refusal{{"people", "list", "-x"}, "councilctl people list: unknown flag -x\n"},
        Refusal{{"--json"}, "a command is required"}));

TEST(CliParserTest, AnUnknownCommandIsNotAnsweredWithTheWholeHelp) {
  ParsedCommandLine parsed = Parse({"pepole", "list"});
  EXPECT_THAT(parsed.text, Not(HasSubstr("Global options")));
}

TEST(CliParserTest, ASwitchSetToFalseIsOff) {
  ParsedCommandLine parsed = Parse({"register", "get", "people/a", "--full=false", "--json=false"});
  ASSERT_EQ(parsed.outcome, ParsedCommandLine::kRun) << parsed.text;
  EXPECT_FALSE(parsed.args.Has("full"));
  EXPECT_FALSE(parsed.json);
  EXPECT_EQ(Parse({"register", "get", "people/a", "--full=maybe"}).outcome,
            ParsedCommandLine::kUsageError);
}

TEST(CliParserTest, JsonIsNotedEvenWhenTheCommandLineIsRefused) {
  ParsedCommandLine parsed = Parse({"--json", "people", "list", "--pagesize=3"});
  EXPECT_EQ(parsed.outcome, ParsedCommandLine::kUsageError);
  EXPECT_TRUE(parsed.json);
}

TEST(CliParserTest, HelpAtEachLevel) {
  ParsedCommandLine top = Parse({"--help"});
  EXPECT_EQ(top.outcome, ParsedCommandLine::kHelp);
  EXPECT_THAT(top.text, HasSubstr("  people get|list\n"));
  EXPECT_THAT(top.text, HasSubstr("Exit codes"));
  EXPECT_EQ(Parse({}).outcome, ParsedCommandLine::kHelp);

  ParsedCommandLine group = Parse({"people", "--help"});
  EXPECT_EQ(group.outcome, ParsedCommandLine::kHelp);
  EXPECT_THAT(group.text, HasSubstr("councilctl people list [--page-size=N]"));
  EXPECT_THAT(group.text, HasSubstr("  The directory."));
  EXPECT_THAT(group.text, Not(HasSubstr("register")));

  ParsedCommandLine command = Parse({"people", "list", "--help"});
  EXPECT_EQ(command.outcome, ParsedCommandLine::kHelp);
  EXPECT_THAT(command.text, HasSubstr("Usage: councilctl people list [--page-size=N]"));
  EXPECT_THAT(command.text, HasSubstr("--gateway=HOST:PORT"));
}

// Every "--name" in `help`.
std::vector<std::string> MentionedFlags(const std::string& help) {
  std::vector<std::string> flags;
  for (size_t at = help.find("--"); at != std::string::npos; at = help.find("--", at + 2)) {
    size_t end = at + 2;
    while (end < help.size() && (std::islower(static_cast<unsigned char>(help[end])) || help[end] == '-'))
      ++end;
    if (end > at + 2) flags.push_back(help.substr(at + 2, end - at - 2));
    at = end - 2;
  }
  return flags;
}

// Every real command: its help starts with its own name, and the flags its
// synopsis shows are each shown once (the parser accepts what help says).
TEST(CliParserTest, EveryCommandsSynopsisIsReadable) {
  const CommandTable table = AllCommands();
  ASSERT_GT(table.commands().size(), 30u);
  for (const auto& [name, command] : table.commands()) {
    EXPECT_EQ(command.help.rfind("councilctl " + name + " ", 0) == 0 ||
                  command.help.rfind("councilctl " + name + "\n", 0) == 0 ||
                  command.help == "councilctl " + name,
              true)
        << name;
    const Synopsis synopsis = ParseSynopsis(name, command.help);
    std::vector<std::string> seen;
    for (const FlagSpec& flag : synopsis.flags) {
      EXPECT_THAT(seen, Not(::testing::Contains(flag.name))) << name << " --" << flag.name;
      seen.push_back(flag.name);
      EXPECT_FALSE(flag.name.empty()) << name;
    }
    // A flag the description mentions is one the parser accepts.
    for (const std::string& mentioned : MentionedFlags(command.help))
      EXPECT_TRUE(std::find(seen.begin(), seen.end(), mentioned) != seen.end() ||
                  mentioned == "json" || mentioned == "gateway" || mentioned == "ca-file" ||
                  mentioned == "token" || mentioned == "token-file" || mentioned == "help")
          << name << ": help mentions --" << mentioned << " but the synopsis does not show it";
    // --help on every command is help, not a refusal.
    std::vector<std::string> words;
    const size_t space = name.find(' ');
    words.push_back(name.substr(0, space));
    if (space != std::string::npos) words.push_back(name.substr(space + 1));
    words.push_back("--help");
    EXPECT_EQ(ParseCommandLine(table, words).outcome, ParsedCommandLine::kHelp) << name;
  }
}

}  // namespace
}  // namespace council::ctl
