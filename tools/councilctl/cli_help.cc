#include "tools/councilctl/cli_help.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace council::ctl {

const char kGlobalOptionsHelp[] = R"(Global options (before or after the command):
  --gateway=HOST:PORT   gateway address (env COUNCIL_GATEWAY; default 127.0.0.1:7443)
  --token=JWT           bearer token (env COUNCIL_TOKEN), or --token-file=FILE
  --ca-file=PEM         TLS: the CA that signed the gateway's certificate
                        (env COUNCIL_CA_FILE); plaintext without it
  --cert-file=PEM --key-file=PEM
                        a service account's client certificate and key (mTLS,
                        with --ca-file; env COUNCIL_CERT_FILE, COUNCIL_KEY_FILE),
                        used instead of a token
  --json                responses and errors as protobuf JSON on stdout
  --help                help for councilctl, a group, or a command
)";

namespace {

constexpr char kExitCodes[] = R"(Exit codes (sysexits.h; docs/operations.md):
  0 done   64 usage   65 invalid (INVALID_ARGUMENT, FAILED_PRECONDITION, bad CSV rows)
  66 NOT_FOUND   69 UNAVAILABLE   70 the service failed   75 try again later
  77 PERMISSION_DENIED or UNAUTHENTICATED
)";

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

std::string TopHelp(const CommandTable& table) {
  std::string out =
      "councilctl — call the council protocol suite through its gateway.\n\n"
      "Usage: councilctl [global options] COMMAND [options]\n\n";
  absl::StrAppend(&out, kGlobalOptionsHelp, "\nCommands:\n");
  for (const std::string& word : table.FirstWords()) {
    if (table.IsGroup(word))
      absl::StrAppend(&out, "  ", word, " ", absl::StrJoin(table.Verbs(word), "|"), "\n");
    else
      absl::StrAppend(&out, "  ", word, "\n");
  }
  absl::StrAppend(&out,
                  "\nRun 'councilctl GROUP --help' for a group's commands, "
                  "'councilctl COMMAND --help' for one.\n\n",
                  kExitCodes);
  return out;
}

std::string GroupHelp(const CommandTable& table, const std::string& group) {
  std::string out = absl::StrCat("councilctl ", group, " commands:\n\n");
  for (const std::string& verb : table.Verbs(group)) {
    const std::string& help = table.Find(group + " " + verb)->help;
    absl::StrAppend(&out, "  ", FirstLine(help), "\n");
    const size_t newline = help.find('\n');
    if (newline != std::string::npos)
      absl::StrAppend(&out, "  ", FirstLine(help.substr(newline + 1)), "\n");
    out += "\n";
  }
  absl::StrAppend(&out, "Run 'councilctl ", group,
                  " COMMAND --help' for one command; 'councilctl --help' for global options.\n");
  return out;
}

std::string CommandHelp(const Command& command) {
  return absl::StrCat("Usage: ", command.help, "\n\n", kGlobalOptionsHelp);
}

}  // namespace council::ctl
