// coverage_commands.cc — `councilctl coverage report`.
#include "tools/councilctl/coverage_commands.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/profile/profile_loader.h"
#include "tools/councilctl/exit_codes.h"

namespace council::ctl {
namespace {

absl::StatusOr<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Writes atomically: a report half written is never left behind.
bool WriteWhole(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) return false;
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  return !error;
}

int CoverageReport(const Args& args) {
  auto covered = CoverShippedProfiles(args.Get("profiles", "profiles"),
                                      args.Get("protocols", "protocols"));
  if (!covered.ok()) {
    std::cerr << "error: " << covered.status().message() << "\n";
    return kNotFound;
  }
  int problems = 0;
  for (const auto& profile : *covered)
    for (const auto& problem : profile.problems) {
      std::cerr << "error: " << problem << "\n";
      ++problems;
    }
  if (problems > 0) {
    std::cerr << "the clause coverage is incomplete: " << problems << " problem(s); nothing written\n";
    return kDataError;
  }
  const std::string report = RenderCoverageReport(*covered);
  if (args.Has("check")) {
    auto current = ReadWhole(args.Get("check"));
    if (!current.ok() || *current != report) {
      std::cerr << "error: " << args.Get("check") << " is out of date: run councilctl coverage report --out="
                << args.Get("check") << "\n";
      return kDataError;
    }
    std::cerr << args.Get("check") << " is current\n";
    return kExitOk;
  }
  if (args.Has("out")) {
    if (!WriteWhole(args.Get("out"), report)) {
      std::cerr << "error: cannot write " << args.Get("out") << "\n";
      return kNotFound;
    }
    std::cerr << "wrote " << args.Get("out") << "\n";
    return kExitOk;
  }
  std::cout << report;
  return kExitOk;
}

}  // namespace

absl::StatusOr<std::vector<ProfileCoverage>> CoverShippedProfiles(
    const std::string& profiles_dir, const std::string& protocols_dir) {
  std::vector<std::string> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(profiles_dir, error))
    if (entry.path().extension() == ".textproto") files.push_back(entry.path().filename());
  if (error) return absl::NotFoundError(absl::StrCat("cannot list ", profiles_dir));
  std::sort(files.begin(), files.end());
  std::vector<ProfileCoverage> covered;
  for (const std::string& file : files) {
    auto profile = LoadProfile(absl::StrCat(profiles_dir, "/", file));
    if (!profile.ok()) return profile.status();
    auto protocol = ReadWhole(absl::StrCat(protocols_dir, "/", (*profile)->protocol_source()));
    if (!protocol.ok()) return protocol.status();
    covered.push_back(CoverProfile(**profile, absl::StrCat("profiles/", file), *protocol));
  }
  return covered;
}

void AddCoverageCommands(CommandTable* table) {
  table->Add("coverage report",
             {"councilctl coverage report [--profiles=DIR] [--protocols=DIR] [--out=PATH] "
              "[--check=FILE]\n"
              "  For every numbered clause of each profile's protocol: the rules citing it,\n"
              "  or the reason (coverage.not_encoded) it is not a rule. Problems (a citation\n"
              "  of a clause the protocol lacks, a clause in neither list) exit 65. Markdown\n"
              "  to stdout, or --out; --check compares with a file (docs/clause-coverage.md).\n"
              "  Defaults: --profiles=profiles --protocols=protocols.",
              CoverageReport});
}

}  // namespace council::ctl
