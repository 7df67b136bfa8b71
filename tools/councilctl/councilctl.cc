// councilctl — the suite's command line, calling it through the gateway with
// typed stubs. Readable output by default, --json for scripts; exit codes in
// tools/councilctl/exit_codes.h.
#include <iostream>
#include <string>
#include <vector>

#include "tools/councilctl/cli_parser.h"
#include "tools/councilctl/command_table.h"
#include "tools/councilctl/output.h"

int main(int argc, char** argv) {
  using namespace council::ctl;
  const CommandTable table = AllCommands();
  std::vector<std::string> arguments(argv + 1, argv + argc);
  // `councilctl --version`, as every other binary of the suite takes it.
  if (!arguments.empty() && arguments[0] == "--version") arguments[0] = "version";
  const ParsedCommandLine parsed = ParseCommandLine(table, arguments);
  SetJsonOutput(parsed.json);
  switch (parsed.outcome) {
    case ParsedCommandLine::kHelp:
      std::cout << parsed.text;
      return kExitOk;
    case ParsedCommandLine::kUsageError:
      return PrintUsageError(parsed.text, parsed.json);
    case ParsedCommandLine::kRun:
      break;
  }
  return parsed.command->run(parsed.args);
}
