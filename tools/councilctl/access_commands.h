// access_commands.h — councilctl's access-service commands: documents,
// requests to inspect one, explain, what a member may see, disputes, and who
// saw what.
//
// AllCommands registers them:
//
//   AddAccessCommands(&table);  // in AllCommands (command_registry.cc)
#ifndef COUNCIL_TOOLS_COUNCILCTL_ACCESS_COMMANDS_H_
#define COUNCIL_TOOLS_COUNCILCTL_ACCESS_COMMANDS_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "tools/councilctl/command_table.h"

namespace council::ctl {

// AddAccessCommands
//
// Registers these commands in `table`.
void AddAccessCommands(CommandTable* table);

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_ACCESS_COMMANDS_H_
