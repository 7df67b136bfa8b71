// access_commands.h — councilctl's access-service commands beyond the
// foundation's: explain, what a member may see, disputes, who saw what, and
// the streaming document import with progress and file:line:column errors.
//
// councilctl.cc registers them with its own commands:
//
//   for (auto& [name, command] : AccessCommands()) c[name] = {command.help, command.run};
#ifndef COUNCIL_TOOLS_COUNCILCTL_ACCESS_COMMANDS_H_
#define COUNCIL_TOOLS_COUNCILCTL_ACCESS_COMMANDS_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "tools/councilctl/cli_args.h"

namespace council::ctl {

struct AccessCommand {
  std::string help;
  std::function<int(const Args&)> run;
};

// AccessCommands
//
// The commands by name ("access explain", "access record", ...).
std::vector<std::pair<std::string, AccessCommand>> AccessCommands();

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_ACCESS_COMMANDS_H_
