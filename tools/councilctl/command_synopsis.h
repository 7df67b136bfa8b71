// command_synopsis.h — what a command accepts, read from the first line of
// its help ("councilctl people list [--page-size=N] [--page-token=T]"), so
// the help a person reads and the flags the parser accepts cannot drift.
//
// A flag's metavar says what its value must be:
//
//   --full                 a switch: no value
//   --page-size=N          a whole number, 1 or more
//   --as-of=YYYY-MM-DD     a calendar date
//   --outcome=granted|refused    one of the listed lowercase words
//   --open=true            that word
//   --token-file=FILE, --key=PEM   a readable file
//   --out=DIR              an existing directory
//   anything else (TEXT, people/ID, people/ID|services/ID)   any text
//
// A flag shown without brackets ("--grounds=TEXT") is required. Words that
// are not flags after the command's name are its positional arguments;
// bracketed ones ("[NAME]") are optional.
//
//   Synopsis s = ParseSynopsis("people list", command.help);
//   for (const FlagSpec& flag : s.flags) ...
#ifndef COUNCIL_TOOLS_COUNCILCTL_COMMAND_SYNOPSIS_H_
#define COUNCIL_TOOLS_COUNCILCTL_COMMAND_SYNOPSIS_H_

#include <string>
#include <vector>

namespace council::ctl {

enum class ValueKind { kSwitch, kText, kCount, kDay, kChoice, kFile, kDirectory };

struct FlagSpec {
  std::string name;     // without the dashes: "page-size"
  ValueKind kind = ValueKind::kText;
  std::string metavar;  // as written: "N", "granted|refused"
  std::vector<std::string> choices;  // kChoice only
  bool required = false;  // shown without brackets in the synopsis
};

struct PositionalSpec {
  std::string metavar;  // "people/ID"
  bool required = true;
};

struct Synopsis {
  std::vector<FlagSpec> flags;
  std::vector<PositionalSpec> positionals;
};

// ParseSynopsis
//
// The flags and positionals of the command `name` ("people list") from the
// first line of `help`, which starts "councilctl <name>".
Synopsis ParseSynopsis(const std::string& name, const std::string& help);

// FlagFromMetavar
//
// The flag --`name`=`metavar` ("" metavar: a switch).
FlagSpec FlagFromMetavar(const std::string& name, const std::string& metavar);

// CheckFlagValue
//
// Why `value` is not a valid value of `flag` ("" if it is): "must be a whole
// number of 1 or more (got \"abc\")".
std::string CheckFlagValue(const FlagSpec& flag, const std::string& value);

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_COMMAND_SYNOPSIS_H_
