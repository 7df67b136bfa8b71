#include "common/profile/profile_loader.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace council {
namespace {

using ::council::common::v1::ClauseCitation;
using ::council::profile::v1::AccessRule;
using ::council::profile::v1::ComplaintRoute;
using ::council::profile::v1::ComplaintStage;
using ::council::profile::v1::HandlerRef;
using ::google::protobuf::Message;
using ::google::protobuf::TextFormat;

// Collects syntax errors with their positions (the parser reports 0-based
// lines and columns).
class ErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    errors.push_back(absl::StrCat(line + 1, ":", column + 1, ": ", message));
  }
  void AddWarning(int, int, const std::string&) override {}
  std::vector<std::string> errors;
};

// Walks the parsed message with the parser's location tree so each problem is
// reported at the line of the field that causes it.
class Validator {
 public:
  Validator(const CouncilProfile& profile, const TextFormat::ParseInfoTree* tree,
            absl::string_view path)
      : profile_(profile), root_(tree), path_(path) {}

  std::vector<std::string> Run() {
    const auto* d = CouncilProfile::descriptor();
    if (profile_.id().empty() || !IsIdentifier(profile_.id()))
      Problem(root_, d, "id", "`id` must be lower-case letters, digits and hyphens");
    if (profile_.display_name().empty())
      Problem(root_, d, "display_name", "`display_name` is required");
    if (profile_.nation() == profile::v1::NATION_UNSPECIFIED)
      Problem(root_, d, "nation", "`nation` is required (the bank-holiday calendar)");
    for (int i = 0; i < profile_.designations_size(); ++i) {
      const auto& designation = profile_.designations(i);
      if (!designation_ids_.insert(designation.id()).second)
        Problem(root_, d, "designations", absl::StrCat("designation \"", designation.id(),
                                                      "\" is defined twice"), i);
    }
    for (const char* required : {"monitoring-officer", "head-of-paid-service"}) {
      if (!designation_ids_.contains(required))
        Problem(root_, d, "designations",
                absl::StrCat("designation \"", required, "\" is required"));
    }
    for (int i = 0; i < profile_.designations_size(); ++i) {
      const auto& designation = profile_.designations(i);
      auto* sub = Nested(root_, d, "designations", i);
      const auto* dd = designation.GetDescriptor();
      if (!designation.deputy_designation_id().empty() &&
          !designation_ids_.contains(designation.deputy_designation_id()))
        Problem(sub, dd, "deputy_designation_id",
                absl::StrCat("deputy designation \"", designation.deputy_designation_id(),
                             "\" is not defined in `designations`"));
    }
    const auto& configuration = profile_.council_configuration();
    auto* configuration_tree = Nested(root_, d, "council_configuration");
    const auto* cd = configuration.GetDescriptor();
    for (int i = 0; i < configuration.closure_days_size(); ++i) {
      const auto& date = configuration.closure_days(i).date();
      // A real day: absl::CivilDay normalises 2026-02-30 to 2026-03-02.
      const absl::CivilDay day(date.year(), date.month(), date.day());
      if (date.year() < 1900 || date.year() > 9999 || day.year() != date.year() ||
          day.month() != date.month() || day.day() != date.day())
        Problem(configuration_tree, cd, "closure_days", "closure day has an invalid date", i);
    }
    ValidateAccess();
    ValidateComplaints();
    ValidateDeclarations();
    CheckEmptiedClauses(profile_, root_, "");
    return problems_;
  }

 private:
  static bool IsIdentifier(absl::string_view id) {
    if (id.empty() || !absl::ascii_islower(id[0])) return false;
    for (char c : id)
      if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-')) return false;
    return true;
  }

  const TextFormat::ParseInfoTree* Nested(const TextFormat::ParseInfoTree* tree,
                                          const google::protobuf::Descriptor* d,
                                          absl::string_view field, int index = -1) {
    if (tree == nullptr) return nullptr;
    const auto* fd = d->FindFieldByName(std::string(field));
    if (fd == nullptr) return nullptr;
    return tree->GetTreeForNested(fd, fd->is_repeated() ? std::max(index, 0) : -1);
  }

  int LineOf(const TextFormat::ParseInfoTree* tree, const google::protobuf::Descriptor* d,
             absl::string_view field, int index) {
    if (tree == nullptr) return 0;
    const auto* fd = d->FindFieldByName(std::string(field));
    if (fd == nullptr) return 0;
    auto location = tree->GetLocation(fd, fd->is_repeated() ? std::max(index, 0) : -1);
    return location.line >= 0 ? location.line + 1 : 0;
  }

  void Problem(const TextFormat::ParseInfoTree* tree, const google::protobuf::Descriptor* d,
               absl::string_view field, absl::string_view what, int index = -1) {
    int line = LineOf(tree, d, field, index);
    if (line == 0) line = last_line_;
    problems_.push_back(line > 0 ? absl::StrCat(path_, ":", line, ": ", what)
                                 : absl::StrCat(path_, ": ", what));
  }

  void CheckClause(const ClauseCitation& clause, const TextFormat::ParseInfoTree* tree,
                   const google::protobuf::Descriptor* d, absl::string_view field,
                   absl::string_view context) {
    if (clause.clause().empty()) {
      Problem(tree, d, field, absl::StrCat(context, ": every rule must cite its clause"));
      cited_problems_.insert(problems_.back());
    }
  }

  void CheckHandler(const HandlerRef& handler, const TextFormat::ParseInfoTree* tree,
                    const google::protobuf::Descriptor* d, absl::string_view field,
                    absl::string_view context) {
    if (handler.handler_case() == HandlerRef::HANDLER_NOT_SET) {
      Problem(tree, d, field, absl::StrCat(context, ": handler is not set"));
      return;
    }
    if (handler.has_designation_id() && !designation_ids_.contains(handler.designation_id()))
      Problem(tree, d, field,
              absl::StrCat(context, ": designation \"", handler.designation_id(),
                           "\" is not defined in `designations`"));
    if (!handler.advised_by_designation_id().empty() &&
        !designation_ids_.contains(handler.advised_by_designation_id()))
      Problem(tree, d, field,
              absl::StrCat(context, ": advising designation \"",
                           handler.advised_by_designation_id(),
                           "\" is not defined in `designations`"));
  }

  // An emptied clause (`clause {}`, or one with only a summary) anywhere in the
  // profile -- on a rule, a designation, a limit -- is refused: every rule the
  // services apply must cite where it comes from, and a blank citation would
  // let a rule stand with no authority behind it.
  void CheckEmptiedClauses(const Message& message, const TextFormat::ParseInfoTree* tree,
                           const std::string& where) {
    const auto* d = message.GetDescriptor();
    const auto* reflection = message.GetReflection();
    std::vector<const google::protobuf::FieldDescriptor*> fields;
    reflection->ListFields(message, &fields);
    for (const auto* fd : fields) {
      if (fd->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
      const int count = fd->is_repeated() ? reflection->FieldSize(message, fd) : 1;
      for (int i = 0; i < count; ++i) {
        const Message& child = fd->is_repeated() ? reflection->GetRepeatedMessage(message, fd, i)
                                                 : reflection->GetMessage(message, fd);
        const std::string child_where =
            absl::StrCat(where, where.empty() ? "" : ".", fd->name(),
                         fd->is_repeated() ? absl::StrCat("[", i, "]") : "");
        if (fd->message_type() == ClauseCitation::descriptor()) {
          if (static_cast<const ClauseCitation&>(child).clause().empty()) {
            Problem(tree, d, fd->name(),
                    absl::StrCat(child_where, ": the clause is empty (every rule and "
                                              "designation must cite its clause)"),
                    i);
            // Said once: a rule CheckClause already reported at this line.
            const std::string line_prefix =
                problems_.back().substr(0, problems_.back().find(": ", path_.size() + 1));
            for (const auto& reported : cited_problems_)
              if (absl::StartsWith(reported, absl::StrCat(line_prefix, ": "))) {
                problems_.pop_back();
                break;
              }
          }
          continue;
        }
        CheckEmptiedClauses(child, Nested(tree, d, fd->name(), i), child_where);
      }
    }
  }

  // A role a rule names must be one the suite can give someone: a designation
  // of this profile, or a role relations-service gives (SuiteRoles()). A
  // misspelt or invented one would name nobody -- or, once someone is given it,
  // somebody nobody meant.
  void CheckRole(absl::string_view role, const TextFormat::ParseInfoTree* tree,
                 const google::protobuf::Descriptor* d, absl::string_view field, int index,
                 absl::string_view context) {
    const auto& suite = SuiteRoles();
    if (designation_ids_.contains(role) ||
        std::find(suite.begin(), suite.end(), role) != suite.end())
      return;
    Problem(tree, d, field,
            absl::StrCat(context, ": role \"", role,
                         "\" is neither a designation in `designations` nor a role the suite "
                         "gives (",
                         absl::StrJoin(suite, ", "), ")"),
            index);
  }

  void ValidateAccess() {
    if (!profile_.has_document_access()) {
      Problem(root_, CouncilProfile::descriptor(), "document_access",
              "`document_access` is required");
      return;
    }
    const auto& access = profile_.document_access();
    const auto* tree = Nested(root_, CouncilProfile::descriptor(), "document_access");
    const auto* d = access.GetDescriptor();
    for (int i = 0; i < d->field_count(); ++i) {
      const auto* fd = d->field(i);
      if (fd->message_type() != AccessRule::descriptor()) continue;
      const auto& rule =
          static_cast<const AccessRule&>(access.GetReflection()->GetMessage(access, fd));
      if (!rule.enabled()) continue;
      if (rule.effect() == profile::v1::ACCESS_EFFECT_UNSPECIFIED)
        Problem(tree, d, fd->name(), absl::StrCat("document_access.", fd->name(),
                                                  ": an enabled rule needs an `effect`"));
      CheckClause(rule.clause(), tree, d, fd->name(),
                  absl::StrCat("document_access.", fd->name()));
    }
    CheckHandler(access.dispute_decider(), tree, d, "dispute_decider",
                 "document_access.dispute_decider");
    CheckClause(access.dispute_clause(), tree, d, "dispute_clause",
                "document_access.dispute_clause");
    if (access.foi().enabled()) {
      if (access.foi().working_days() <= 0)
        Problem(tree, d, "foi", "document_access.foi: `working_days` must be positive");
      CheckClause(access.foi().clause(), tree, d, "foi", "document_access.foi");
    }
    // The parser places a list ("[a, b]") at its first element only.
    last_line_ = LineOf(tree, d, "record_reader_roles", 0);
    for (int i = 0; i < access.record_reader_roles_size(); ++i)
      CheckRole(access.record_reader_roles(i), tree, d, "record_reader_roles", i,
                "document_access.record_reader_roles");
    last_line_ = 0;
    for (int i = 0; i < access.grant_conditions_size(); ++i)
      if (access.grant_conditions(i).clause().clause().empty())
        Problem(tree, d, "grant_conditions",
                "document_access.grant_conditions: every condition must cite its clause", i);
  }

  void ValidateComplaints() {
    // complaints-service routes every complaint by these; without them it would
    // start and refuse every complaint as a kind the council does not handle.
    if (!profile_.has_complaints() || profile_.complaints().routes().empty()) {
      Problem(root_, CouncilProfile::descriptor(), "complaints",
              "`complaints` with at least one route is required (complaints-service "
              "routes every complaint by it)");
      if (!profile_.has_complaints()) return;
    }
    const auto& complaints = profile_.complaints();
    const auto* tree = Nested(root_, CouncilProfile::descriptor(), "complaints");
    const auto* d = complaints.GetDescriptor();
    absl::flat_hash_set<int> kinds;
    for (int r = 0; r < complaints.routes_size(); ++r) {
      const ComplaintRoute& route = complaints.routes(r);
      const auto* route_tree = Nested(tree, d, "routes", r);
      const auto* rd = route.GetDescriptor();
      last_line_ = LineOf(tree, d, "routes", r);
      if (route.kind() == profile::v1::COMPLAINT_KIND_UNSPECIFIED)
        Problem(tree, d, "routes", "complaints.routes: `kind` is required", r);
      else if (!kinds.insert(route.kind()).second)
        Problem(tree, d, "routes",
                absl::StrCat("complaints.routes: two routes for ",
                             profile::v1::ComplaintKind_Name(route.kind())),
                r);
      CheckClause(route.clause(), route_tree, rd, "clause", "complaints.routes");
      if (route.stages().empty())
        Problem(tree, d, "routes", "complaints.routes: a route needs at least one stage", r);
      absl::flat_hash_set<std::string> stage_ids;
      for (int s = 0; s < route.stages_size(); ++s) {
        const ComplaintStage& stage = route.stages(s);
        const auto* stage_tree = Nested(route_tree, rd, "stages", s);
        const auto* sd = stage.GetDescriptor();
        last_line_ = LineOf(route_tree, rd, "stages", s);
        const std::string context = absl::StrCat("complaints stage \"", stage.id(), "\"");
        if (!IsIdentifier(stage.id()))
          Problem(route_tree, rd, "stages", "complaints stage: `id` must be an identifier", s);
        if (!stage_ids.insert(stage.id()).second)
          Problem(route_tree, rd, "stages", absl::StrCat(context, " is defined twice"), s);
        // A stage the person complained about answers may have no handler
        // (Southwark 69); complaints-service's rules check covers the rest.
        if (!(stage.respondent() == profile::v1::STAGE_RESPONDENT_SUBJECT &&
              stage.handler().handler_case() == HandlerRef::HANDLER_NOT_SET))
          CheckHandler(stage.handler(), stage_tree, sd, "handler", context);
        CheckClause(stage.clause(), stage_tree, sd, "clause", context);
        for (const char* limit : {"acknowledge", "respond", "holding_notice"}) {
          const auto* fd = sd->FindFieldByName(limit);
          const auto& value = static_cast<const profile::v1::WorkingDayLimit&>(
              stage.GetReflection()->GetMessage(stage, fd));
          if (value.working_days() < 0)
            Problem(stage_tree, sd, limit, absl::StrCat(context, ": ", limit,
                                                        " working_days must not be negative"));
          if (value.working_days() > 0 && value.clause().clause().empty())
            Problem(stage_tree, sd, limit,
                    absl::StrCat(context, ": ", limit, " limit must cite its clause"));
        }
        if (stage.on_missed_limit() == profile::v1::MISSED_LIMIT_ACTION_ESCALATE &&
            s + 1 == route.stages_size())
          Problem(stage_tree, sd, "on_missed_limit",
                  absl::StrCat(context, ": the last stage cannot escalate on a missed limit"));
      }
    }
    last_line_ = 0;
    for (const auto& id : complaints.readers_designation_ids())
      if (!designation_ids_.contains(id))
        Problem(tree, d, "readers_designation_ids",
                absl::StrCat("complaints.readers_designation_ids: designation \"", id,
                             "\" is not defined in `designations`"));
    if (complaints.follow_up().months() < 0)
      Problem(tree, d, "follow_up", "complaints.follow_up: months must not be negative");
  }

  void ValidateDeclarations() {
    // relations-service takes who relationships and secret memberships are
    // declared to, and the conflict rules, from this block.
    if (!profile_.has_declarations()) {
      Problem(root_, CouncilProfile::descriptor(), "declarations",
              "`declarations` is required (relations-service takes who declarations are "
              "made to and the conflict rules from it)");
      return;
    }
    const auto& declarations = profile_.declarations();
    const auto* tree = Nested(root_, CouncilProfile::descriptor(), "declarations");
    const auto* d = declarations.GetDescriptor();
    for (const auto& id : declarations.relationships_declared_to_designation_ids())
      if (!designation_ids_.contains(id))
        Problem(tree, d, "relationships_declared_to_designation_ids",
                absl::StrCat("declarations: designation \"", id,
                             "\" is not defined in `designations`"));
    const auto& secret = declarations.secret_society_declared_to_designation_id();
    if (!secret.empty() && !designation_ids_.contains(secret))
      Problem(tree, d, "secret_society_declared_to_designation_id",
              absl::StrCat("declarations: designation \"", secret,
                           "\" is not defined in `designations`"));
    if (declarations.interest_registration_days() < 0)
      Problem(tree, d, "interest_registration_days",
              "declarations.interest_registration_days must not be negative");
    for (const char* name : {"body_or_decision", "appointment_panel", "appeal_hearing"}) {
      const auto* fd = d->FindFieldByName(name);
      const auto& rule = static_cast<const profile::v1::ConflictRule&>(
          declarations.GetReflection()->GetMessage(declarations, fd));
      if (rule.enabled()) CheckClause(rule.clause(), tree, d, name,
                                      absl::StrCat("declarations.", name));
    }
  }

  const CouncilProfile& profile_;
  const TextFormat::ParseInfoTree* root_;
  std::string path_;
  absl::flat_hash_set<std::string> designation_ids_;
  std::vector<std::string> problems_;
  // Problems CheckClause reported (a blank citation is then not said twice).
  absl::flat_hash_set<std::string> cited_problems_;
  int last_line_ = 0;
};

}  // namespace

const std::vector<std::string>& SuiteRoles() {
  // relations-service's RolesOf and ResolvePrincipal (docs/security.md,
  // "Where roles come from"): by kind, by post, and the system roles.
  static const auto* roles = new std::vector<std::string>{
      "member",        "co-opted-member", "officer",        "political-assistant",
      "chief-officer", "head-of-service", "administrator",  "auditor",
      "hr-integration", "records-integration"};
  return *roles;
}

absl::StatusOr<std::shared_ptr<const CouncilProfile>> ParseProfile(
    absl::string_view text, absl::string_view display_path) {
  auto profile = std::make_shared<CouncilProfile>();
  TextFormat::Parser parser;
  ErrorCollector errors;
  TextFormat::ParseInfoTree tree;
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&tree);
  if (!parser.ParseFromString(std::string(text), profile.get())) {
    std::vector<std::string> located;
    for (const auto& e : errors.errors) located.push_back(absl::StrCat(display_path, ":", e));
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid council profile: ", absl::StrJoin(located, "; ")));
  }
  std::vector<std::string> problems = Validator(*profile, &tree, display_path).Run();
  if (!problems.empty())
    return absl::InvalidArgumentError(
        absl::StrCat("invalid council profile: ", absl::StrJoin(problems, "; ")));
  return std::shared_ptr<const CouncilProfile>(std::move(profile));
}

absl::StatusOr<std::shared_ptr<const CouncilProfile>> LoadProfile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read council profile ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseProfile(buffer.str(), path);
}

}  // namespace council
