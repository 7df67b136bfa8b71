#include "tools/councilctl/cli_parser.h"

#include <algorithm>
#include <map>
#include <set>

#include "CLI/CLI.hpp"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/councilctl/cli_help.h"
#include "tools/councilctl/command_synopsis.h"
#include "tools/councilctl/did_you_mean.h"

namespace council::ctl {
namespace {

// Every command takes these (kGlobalOptionsHelp describes them).
std::vector<FlagSpec> GlobalFlags() {
  return {FlagFromMetavar("gateway", "HOST:PORT"), FlagFromMetavar("token", "JWT"),
          FlagFromMetavar("token-file", "FILE"),   FlagFromMetavar("ca-file", "PEM"),
          FlagFromMetavar("cert-file", "PEM"),     FlagFromMetavar("key-file", "PEM"),
          FlagFromMetavar("json", "")};
}

bool IsFlag(const std::string& argument) { return absl::StartsWith(argument, "-"); }

// The flag's name in "--name=value", "--name" or "-x".
std::string FlagName(const std::string& argument) {
  std::string name = argument.substr(argument.find_first_not_of('-'));
  return name.substr(0, name.find('='));
}

ParsedCommandLine UsageError(std::string text, bool json) {
  ParsedCommandLine parsed;
  parsed.outcome = ParsedCommandLine::kUsageError;
  parsed.text = std::move(text);
  parsed.json = json;
  return parsed;
}

ParsedCommandLine Help(std::string text, bool json) {
  ParsedCommandLine parsed = UsageError(std::move(text), json);
  parsed.outcome = ParsedCommandLine::kHelp;
  return parsed;
}

// Parses the arguments left once the command's words are taken out.
ParsedCommandLine ParseFlags(const std::string& name, const Command& command,
                             std::vector<std::string> rest, bool json) {
  const std::string who = absl::StrCat("councilctl ", name);
  // "councilctl people list: <what>", then the synopsis to fix it by.
  auto refuse = [&](const std::string& what) {
    return UsageError(absl::StrCat(who, ": ", what, "\n  usage: ",
                                   command.help.substr(0, command.help.find('\n'))),
                      json);
  };
  const Synopsis synopsis = ParseSynopsis(name, command.help);
  std::vector<FlagSpec> flags = GlobalFlags();
  for (const FlagSpec& flag : synopsis.flags)
    if (std::none_of(flags.begin(), flags.end(),
                     [&](const FlagSpec& f) { return f.name == flag.name; }))
      flags.push_back(flag);

  CLI::App app(command.help, who);
  app.set_help_flag("--help", "this help");
  // Leftovers are named below, with the nearest known flag.
  app.allow_extras();
  std::map<std::string, std::string> values;
  std::map<std::string, bool> switches;  // --json=false is off
  std::map<std::string, CLI::Option*> options;
  for (const FlagSpec& flag : flags) {
    if (flag.kind == ValueKind::kSwitch) {
      options[flag.name] = app.add_flag("--" + flag.name, switches[flag.name]);
      continue;
    }
    options[flag.name] =
        app.add_option("--" + flag.name, values[flag.name])
            ->type_name(flag.metavar)
            ->check(CLI::Validator([flag](std::string& value) { return CheckFlagValue(flag, value); },
                                   flag.metavar));
  }
  // A surplus argument is left over rather than taken as the last one.
  std::vector<std::string> positionals(synopsis.positionals.size());
  for (size_t i = 0; i < positionals.size(); ++i)
    app.add_option(absl::StrCat("positional", i), positionals[i]);

  std::reverse(rest.begin(), rest.end());  // CLI11 takes them last first
  try {
    app.parse(rest);
  } catch (const CLI::CallForHelp&) {
    return Help(CommandHelp(command), json);
  } catch (const CLI::ArgumentMismatch& error) {
    // CLI11 says "--page-size: At Most 1 required but received 2" or
    // "--page-size: 1 required N:N missing"; say it plainly.
    const std::string what = error.what();
    return refuse(absl::StrCat(what.substr(0, what.find(':')),
                               absl::StrContains(what, "received") ? " is given more than once"
                                                                   : " needs a value"));
  } catch (const CLI::ParseError& error) {
    return refuse(error.what());  // a value CheckFlagValue refused: "--page-size: must be ..."
  }

  for (const std::string& extra : app.remaining()) {
    if (!IsFlag(extra))
      return refuse(absl::StrCat("unexpected argument '", extra.substr(0, 60), "'"));
    std::vector<std::string> known;
    for (const FlagSpec& flag : flags) known.push_back(flag.name);
    return refuse(absl::StrCat("unknown flag ", extra.substr(0, extra.find('=')).substr(0, 60),
                               SuggestionSuffix(DidYouMean(FlagName(extra), known), "--")));
  }
  for (const FlagSpec& flag : synopsis.flags)
    if (flag.required && options[flag.name]->count() == 0)
      return refuse(absl::StrCat("--", flag.name, flag.metavar.empty() ? "" : "=" + flag.metavar,
                                 " is required"));
  for (size_t i = 0; i < synopsis.positionals.size(); ++i)
    if (synopsis.positionals[i].required && positionals[i].empty())
      return refuse(absl::StrCat(synopsis.positionals[i].metavar, " is required"));

  ParsedCommandLine parsed;
  parsed.outcome = ParsedCommandLine::kRun;
  parsed.command = &command;
  parsed.name = name;
  const size_t space = name.find(' ');
  parsed.args.positionals = {name.substr(0, space),
                             space == std::string::npos ? "" : name.substr(space + 1)};
  for (const std::string& positional : positionals)
    if (!positional.empty()) parsed.args.positionals.push_back(positional);
  for (const auto& [flag, option] : options) {
    if (option->count() == 0) continue;
    if (switches.count(flag) == 0)
      parsed.args.options[flag] = values[flag];
    else if (switches[flag])
      parsed.args.options[flag] = "true";
  }
  parsed.json = parsed.args.Has("json");
  return parsed;
}

}  // namespace

ParsedCommandLine ParseCommandLine(const CommandTable& table,
                                   const std::vector<std::string>& arguments) {
  bool json = false, help = false;
  std::set<std::string> value_flags;
  for (const FlagSpec& flag : GlobalFlags())
    if (flag.kind != ValueKind::kSwitch) value_flags.insert(flag.name);
  // The command's words: the first arguments that are neither flags nor a
  // global flag's value ("--gateway HOST people list").
  std::vector<size_t> words;
  bool after_dashes = false;
  for (size_t i = 0; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    if (argument == "--") after_dashes = true;
    if (!after_dashes && argument == "--json") json = true;
    if (!after_dashes && (argument == "--help" || argument == "-h")) help = true;
    if (IsFlag(argument)) {
      if (words.size() < 2 && argument.find('=') == std::string::npos &&
          value_flags.count(FlagName(argument)))
        ++i;
      continue;
    }
    if (words.size() < 2) words.push_back(i);
  }
  auto take = [&](size_t count) {
    std::vector<std::string> rest;
    for (size_t i = 0; i < arguments.size(); ++i)
      if (std::find(words.begin(), words.begin() + count, i) == words.begin() + count)
        rest.push_back(arguments[i]);
    return rest;
  };

  if (words.empty()) {
    if (help || arguments.empty()) return Help(TopHelp(table), json);
    // Flags with no command: name the first, as a command would.
    return UsageError("councilctl: a command is required (councilctl --help lists them)", json);
  }
  const std::string first = arguments[words[0]];
  if (const Command* command = table.Find(first); command && !table.IsGroup(first))
    return ParseFlags(first, *command, take(1), json);
  if (!table.IsGroup(first))
    return UsageError(absl::StrCat("councilctl: unknown command '", first.substr(0, 60), "'",
                                   SuggestionSuffix(DidYouMean(first, table.FirstWords())),
                                   "; councilctl --help lists the commands"),
                      json);
  if (words.size() < 2) {
    if (help) return Help(GroupHelp(table, first), json);
    return UsageError(absl::StrCat("councilctl ", first, ": a command is required\n\n",
                                   GroupHelp(table, first)),
                      json);
  }
  const std::string verb = arguments[words[1]];
  const std::string name = absl::StrCat(first, " ", verb);
  const Command* command = table.Find(name);
  if (command == nullptr)
    return UsageError(absl::StrCat("councilctl: unknown command '", name.substr(0, 80), "'",
                                   SuggestionSuffix(DidYouMean(verb, table.Verbs(first)), first + " "),
                                   "\n\n", GroupHelp(table, first)),
                      json);
  return ParseFlags(name, *command, take(2), json);
}

}  // namespace council::ctl
