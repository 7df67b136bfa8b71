#include "tools/councilctl/command_synopsis.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "tools/councilctl/did_you_mean.h"

namespace council::ctl {
namespace {

// "granted|refused", "true": lowercase words (with dashes), so not a
// resource name ("people/ID") or a placeholder ("TEXT").
bool IsChoiceList(const std::string& metavar) {
  if (metavar.empty()) return false;
  for (char c : metavar)
    if (!(absl::ascii_islower(static_cast<unsigned char>(c)) || c == '-' || c == '|')) return false;
  return true;
}

// A value echoed in a message: bounded, so a pasted file stays out of it.
std::string Quoted(const std::string& value) {
  return absl::StrCat("\"", value.size() > 40 ? value.substr(0, 40) + "..." : value, "\"");
}

}  // namespace

FlagSpec FlagFromMetavar(const std::string& name, const std::string& metavar) {
  FlagSpec flag;
  flag.name = name;
  flag.metavar = metavar;
  if (metavar.empty()) {
    flag.kind = ValueKind::kSwitch;
  } else if (metavar == "N") {
    flag.kind = ValueKind::kCount;
  } else if (metavar == "YYYY-MM-DD") {
    flag.kind = ValueKind::kDay;
  } else if (metavar == "FILE" || metavar == "PEM") {
    flag.kind = ValueKind::kFile;
  } else if (metavar == "DIR") {
    flag.kind = ValueKind::kDirectory;
  } else if (IsChoiceList(metavar)) {
    flag.kind = ValueKind::kChoice;
    flag.choices = absl::StrSplit(metavar, '|', absl::SkipEmpty());
  }
  return flag;
}

Synopsis ParseSynopsis(const std::string& name, const std::string& help) {
  Synopsis synopsis;
  std::string line = help.substr(0, help.find('\n'));
  absl::string_view rest = line;
  // The command's own words are not arguments.
  absl::ConsumePrefix(&rest, "councilctl ");
  absl::ConsumePrefix(&rest, name);
  for (absl::string_view token : absl::StrSplit(rest, ' ', absl::SkipEmpty())) {
    const bool optional = absl::ConsumePrefix(&token, "[");
    absl::ConsumeSuffix(&token, "]");
    if (token.empty()) continue;
    if (absl::ConsumePrefix(&token, "--")) {
      const size_t eq = token.find('=');
      synopsis.flags.push_back(
          eq == absl::string_view::npos
              ? FlagFromMetavar(std::string(token), "")
              : FlagFromMetavar(std::string(token.substr(0, eq)), std::string(token.substr(eq + 1))));
      synopsis.flags.back().required = !optional;
    } else {
      synopsis.positionals.push_back({std::string(token), !optional});
    }
  }
  return synopsis;
}

std::string CheckFlagValue(const FlagSpec& flag, const std::string& value) {
  switch (flag.kind) {
    case ValueKind::kSwitch:
    case ValueKind::kText:
      return "";
    case ValueKind::kCount: {
      int32_t n = 0;
      if (!absl::SimpleAtoi(value, &n) || n < 1)
        return absl::StrCat("must be a whole number of 1 or more (got ", Quoted(value), ")");
      return "";
    }
    case ValueKind::kDay: {
      absl::CivilDay day;
      // Exactly YYYY-MM-DD: ParseCivilTime alone would take "2026-2-30".
      if (value.size() != 10 || !absl::ParseCivilTime(value, &day) ||
          absl::FormatCivilTime(day) != value)
        return absl::StrCat("must be a date YYYY-MM-DD (got ", Quoted(value), ")");
      return "";
    }
    case ValueKind::kChoice:
      for (const auto& choice : flag.choices)
        if (value == choice) return "";
      return absl::StrCat(flag.choices.size() == 1 ? "must be " : "must be one of ",
                          absl::StrJoin(flag.choices, ", "), " (got ", Quoted(value), ")",
                          SuggestionSuffix(DidYouMean(value, flag.choices)));
    case ValueKind::kFile: {
      struct stat info;
      if (::stat(value.c_str(), &info) != 0 || !S_ISREG(info.st_mode))
        return absl::StrCat("no such file: ", Quoted(value));
      if (::access(value.c_str(), R_OK) != 0)
        return absl::StrCat("cannot read ", Quoted(value));
      return "";
    }
    case ValueKind::kDirectory: {
      struct stat info;
      if (::stat(value.c_str(), &info) != 0 || !S_ISDIR(info.st_mode))
        return absl::StrCat("no such directory: ", Quoted(value));
      return "";
    }
  }
  return "";
}

}  // namespace council::ctl
