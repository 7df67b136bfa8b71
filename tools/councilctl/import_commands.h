// import_commands.h — councilctl's CSV imports: `import directory` (HR),
// `import declarations` (relationships and interests) and `import documents`
// (the records catalogue). Each checks every row, lets the service check the
// rest, names every problem as file:line:column, writes all or nothing unless
// --skip-bad-rows, and shows progress on a terminal (import_runner.h).
//
// councilctl.cc registers them with its own commands:
//
//   for (auto& [name, command] : ImportCommands()) c[name] = {command.help, command.run};
#ifndef COUNCIL_TOOLS_COUNCILCTL_IMPORT_COMMANDS_H_
#define COUNCIL_TOOLS_COUNCILCTL_IMPORT_COMMANDS_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "tools/councilctl/cli_args.h"

namespace council::ctl {

struct ImportCommand {
  std::string help;
  std::function<int(const Args&)> run;
};

// ImportCommands
//
// "import directory", "import declarations" and "import documents".
std::vector<std::pair<std::string, ImportCommand>> ImportCommands();

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_IMPORT_COMMANDS_H_
