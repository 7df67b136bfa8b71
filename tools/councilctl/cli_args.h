// cli_args.h — the parsed command line a councilctl command runs with:
// positionals (the command's words, then its own arguments) and the flags
// given, by name. ParseCommandLine (cli_parser.h) makes it, having checked
// every flag and value against the command's synopsis.
#ifndef COUNCIL_TOOLS_COUNCILCTL_CLI_ARGS_H_
#define COUNCIL_TOOLS_COUNCILCTL_CLI_ARGS_H_

#include <map>
#include <string>
#include <vector>

namespace council::ctl {

struct Args {
  // "people", "get", "people/x"; a one-word command has "" as its second.
  std::vector<std::string> positionals;
  // Flags given, by name without dashes; a switch is "true" ("json" -> "true").
  std::map<std::string, std::string> options;
  bool Has(const std::string& name) const { return options.count(name) > 0; }
  std::string Get(const std::string& name, const std::string& fallback = "") const {
    auto it = options.find(name);
    return it == options.end() ? fallback : it->second;
  }
};

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_CLI_ARGS_H_
