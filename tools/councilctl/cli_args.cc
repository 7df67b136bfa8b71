#include "tools/councilctl/cli_args.h"

#include <algorithm>

namespace council::ctl {

Args ParseArgs(int argc, char** argv, const std::vector<std::string>& boolean_flags) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      args.positionals.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    auto eq = name.find('=');
    if (eq != std::string::npos) {
      args.options[name.substr(0, eq)] = name.substr(eq + 1);
    } else if (std::find(boolean_flags.begin(), boolean_flags.end(), name) != boolean_flags.end() ||
               i + 1 >= argc) {
      args.options[name] = "true";
    } else {
      args.options[name] = argv[++i];
    }
  }
  return args;
}

}  // namespace council::ctl
