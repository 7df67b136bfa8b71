// version_command.h — `councilctl version` (and `councilctl --version`): the
// suite's version and the source revision councilctl was built from, so a
// council can say which release a report or a bug is about.
#ifndef COUNCIL_TOOLS_COUNCILCTL_VERSION_COMMAND_H_
#define COUNCIL_TOOLS_COUNCILCTL_VERSION_COMMAND_H_

#include "tools/councilctl/command_table.h"

namespace council::ctl {

// AddVersionCommand
//
// Registers version.
void AddVersionCommand(CommandTable* table);

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_VERSION_COMMAND_H_
