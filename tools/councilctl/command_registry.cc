// command_registry.cc — AllCommands: every group's commands in one table.
// A new group is one line here and a file of its own.
#include "tools/councilctl/access_commands.h"
#include "tools/councilctl/command_table.h"
#include "tools/councilctl/complaints_commands.h"
#include "tools/councilctl/coverage_commands.h"
#include "tools/councilctl/dev_commands.h"
#include "tools/councilctl/import_commands.h"
#include "tools/councilctl/relations_commands.h"
#include "tools/councilctl/version_command.h"

namespace council::ctl {

CommandTable AllCommands() {
  CommandTable table;
  AddDevCommands(&table);
  AddRelationsCommands(&table);
  AddAccessCommands(&table);
  AddComplaintsCommands(&table);
  AddImportCommands(&table);
  AddCoverageCommands(&table);
  AddVersionCommand(&table);
  return table;
}

}  // namespace council::ctl
