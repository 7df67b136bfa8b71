// cli_args.h — councilctl's argument parsing: global options, a command path
// ("people get"), then --name=value / --name value options and positionals.
#ifndef COUNCIL_TOOLS_COUNCILCTL_CLI_ARGS_H_
#define COUNCIL_TOOLS_COUNCILCTL_CLI_ARGS_H_

#include <map>
#include <string>
#include <vector>

namespace council::ctl {

struct Args {
  std::vector<std::string> positionals;
  std::map<std::string, std::string> options;  // "--json" -> "true"
  bool Has(const std::string& name) const { return options.count(name) > 0; }
  std::string Get(const std::string& name, const std::string& fallback = "") const {
    auto it = options.find(name);
    return it == options.end() ? fallback : it->second;
  }
};

// ParseArgs
//
// Flags that take no value must be listed in `boolean_flags`.
Args ParseArgs(int argc, char** argv, const std::vector<std::string>& boolean_flags);

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_CLI_ARGS_H_
