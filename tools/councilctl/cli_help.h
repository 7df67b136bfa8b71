// cli_help.h — councilctl's help at three levels, all written from the
// command table: the whole tool (`councilctl --help`), a group
// (`councilctl people --help`), one command (`councilctl people list --help`).
#ifndef COUNCIL_TOOLS_COUNCILCTL_CLI_HELP_H_
#define COUNCIL_TOOLS_COUNCILCTL_CLI_HELP_H_

#include <string>

#include "tools/councilctl/command_table.h"

namespace council::ctl {

// The global options' help (every command takes them).
extern const char kGlobalOptionsHelp[];

// TopHelp
//
// Usage, global options, each group with its commands, the exit codes.
std::string TopHelp(const CommandTable& table);

// GroupHelp
//
// Each of `group`'s commands: synopsis and first line of description.
std::string GroupHelp(const CommandTable& table, const std::string& group);

// CommandHelp
//
// The command's whole help, then where the global options are described.
std::string CommandHelp(const Command& command);

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_CLI_HELP_H_
