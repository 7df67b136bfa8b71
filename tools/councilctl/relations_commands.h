// relations_commands.h — councilctl's relations-service commands: people,
// bodies, memberships, conflicts, register, designations, chain.
#ifndef COUNCIL_TOOLS_COUNCILCTL_RELATIONS_COMMANDS_H_
#define COUNCIL_TOOLS_COUNCILCTL_RELATIONS_COMMANDS_H_

#include "tools/councilctl/command_table.h"

namespace council::ctl {

// AddRelationsCommands
//
// Registers the relations-service commands.
void AddRelationsCommands(CommandTable* table);

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_RELATIONS_COMMANDS_H_
