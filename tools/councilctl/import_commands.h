// import_commands.h — councilctl's CSV imports: `import directory` (HR),
// `import declarations` (relationships and interests) and `import documents`
// (the records catalogue). Each checks every row, lets the service check the
// rest, names every problem as file:line:column, writes all or nothing unless
// --skip-bad-rows, and shows progress on a terminal (import_runner.h).
//
// AllCommands registers them:
//
//   AddImportCommands(&table);  // in AllCommands (command_registry.cc)
#ifndef COUNCIL_TOOLS_COUNCILCTL_IMPORT_COMMANDS_H_
#define COUNCIL_TOOLS_COUNCILCTL_IMPORT_COMMANDS_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "tools/councilctl/command_table.h"

namespace council::ctl {

// AddImportCommands
//
// Registers these commands in `table`.
void AddImportCommands(CommandTable* table);

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_IMPORT_COMMANDS_H_
