// command_table.h — every councilctl command by name: "people list", or one
// word ("token"). The first word of a two-word command is its group
// ("people"); help, did-you-mean and the parser all read this one table.
//
// A new command is one Add, in its group's file (for example
// relations_commands.cc), registered by AllCommands in command_registry.cc:
//
//   table.Add("coverage report", {"councilctl coverage report [--profile=FILE]\n"
//                                 "  Which clauses the rules cite.", RunCoverageReport});
//
// The first line of the help is the synopsis: the flags it shows are the
// flags the command accepts, and their metavars say what values are valid
// (tools/councilctl/command_synopsis.h).
#ifndef COUNCIL_TOOLS_COUNCILCTL_COMMAND_TABLE_H_
#define COUNCIL_TOOLS_COUNCILCTL_COMMAND_TABLE_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "tools/councilctl/cli_args.h"

namespace council::ctl {

struct Command {
  // The synopsis line, then what the command does (indented lines).
  std::string help;
  // Runs with the parsed arguments: positionals[0..1] are the command's words
  // ("" for the second of a one-word command), its own positionals follow.
  std::function<int(const Args&)> run;
};

class CommandTable {
 public:
  // Add
  //
  // Registers `name`; a second Add of the same name replaces the first.
  void Add(const std::string& name, Command command);

  // Find
  //
  // The command called `name`, or nullptr.
  const Command* Find(const std::string& name) const;

  // IsGroup
  //
  // Whether `word` is the first word of two-word commands.
  bool IsGroup(const std::string& word) const;

  // Verbs
  //
  // The second words of `group`'s commands, in order.
  std::vector<std::string> Verbs(const std::string& group) const;

  // FirstWords
  //
  // Every group and one-word command, in order.
  std::vector<std::string> FirstWords() const;

  const std::map<std::string, Command>& commands() const { return commands_; }

 private:
  std::map<std::string, Command> commands_;
};

// AllCommands
//
// Every command councilctl has (tools/councilctl/command_registry.cc).
CommandTable AllCommands();

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_COMMAND_TABLE_H_
