// dev_commands.h — `councilctl dev-keys` and `councilctl token`: a
// development key set and development tokens (demo only).
#ifndef COUNCIL_TOOLS_COUNCILCTL_DEV_COMMANDS_H_
#define COUNCIL_TOOLS_COUNCILCTL_DEV_COMMANDS_H_

#include "tools/councilctl/command_table.h"

namespace council::ctl {

// AddDevCommands
//
// Registers dev-keys and token.
void AddDevCommands(CommandTable* table);

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_DEV_COMMANDS_H_
