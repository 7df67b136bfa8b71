// complaints_commands.h — councilctl's complaints-service commands: file,
// read, list, act at a stage (acknowledge, holding notice, respond, escalate,
// close), breaches, formal action, follow-up checks, the timeline, the event
// stream and the sweeper.
//
// councilctl.cc registers them with its own commands:
//
//   for (auto& [name, command] : ComplaintsCommands()) c[name] = {command.help, command.run};
#ifndef COUNCIL_TOOLS_COUNCILCTL_COMPLAINTS_COMMANDS_H_
#define COUNCIL_TOOLS_COUNCILCTL_COMPLAINTS_COMMANDS_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "tools/councilctl/cli_args.h"

namespace council::ctl {

struct ComplaintsCommand {
  std::string help;
  std::function<int(const Args&)> run;
};

// ComplaintsCommands
//
// The commands by name ("complaints create", "complaints timeline", ...).
// "complaints create" supersedes the foundation's (the kind is now optional:
// the service classifies from the directory).
std::vector<std::pair<std::string, ComplaintsCommand>> ComplaintsCommands();

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_COMPLAINTS_COMMANDS_H_
