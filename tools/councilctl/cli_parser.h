// cli_parser.h — councilctl's command line: find the command in the table
// (naming a mistyped one, with the nearest), then parse its flags with CLI11
// against the flags its synopsis and the global options declare. Unknown
// flags, malformed values (--page-size=abc, --ttl-minutes=-5), unreadable
// files (--token-file=/nonexistent), a flag given twice and surplus
// arguments are refused with a message naming them (exit 64).
//
//   ParsedCommandLine parsed = ParseCommandLine(AllCommands(), {"people", "list"});
//   if (parsed.outcome == ParsedCommandLine::kRun) return parsed.command->run(parsed.args);
#ifndef COUNCIL_TOOLS_COUNCILCTL_CLI_PARSER_H_
#define COUNCIL_TOOLS_COUNCILCTL_CLI_PARSER_H_

#include <string>
#include <vector>

#include "tools/councilctl/cli_args.h"
#include "tools/councilctl/command_table.h"

namespace council::ctl {

struct ParsedCommandLine {
  enum Outcome { kRun, kHelp, kUsageError };
  Outcome outcome = kUsageError;
  // kRun: the command and its arguments.
  const Command* command = nullptr;
  std::string name;  // "people list"
  Args args;
  // kHelp: the help to print on stdout; kUsageError: what was wrong, one
  // line ("councilctl people list: unknown flag --pagesize (did you mean
  // '--page-size'?)"), then help where it helps.
  std::string text;
  // --json was given (errors are printed as JSON too).
  bool json = false;
};

// ParseCommandLine
//
// Parses `arguments` (argv without the program name) against `table`.
ParsedCommandLine ParseCommandLine(const CommandTable& table,
                                   const std::vector<std::string>& arguments);

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_CLI_PARSER_H_
