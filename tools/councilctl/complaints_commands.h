// complaints_commands.h — councilctl's complaints-service commands: file,
// read, list, act at a stage (acknowledge, holding notice, respond, escalate,
// close), breaches, formal action, follow-up checks, the timeline, the event
// stream and the sweeper.
//
// AllCommands registers them:
//
//   AddComplaintsCommands(&table);  // in AllCommands (command_registry.cc)
#ifndef COUNCIL_TOOLS_COUNCILCTL_COMPLAINTS_COMMANDS_H_
#define COUNCIL_TOOLS_COUNCILCTL_COMPLAINTS_COMMANDS_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "tools/councilctl/command_table.h"

namespace council::ctl {

// AddComplaintsCommands
//
// Registers these commands in `table`.
void AddComplaintsCommands(CommandTable* table);

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_COMPLAINTS_COMMANDS_H_
