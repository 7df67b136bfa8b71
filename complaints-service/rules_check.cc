#include "complaints-service/rules_check.h"

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/text_format.h"

namespace council::complaints {
namespace {

using google::protobuf::TextFormat;
using profile::v1::HandlerRef;

class Checker {
 public:
  Checker(const profile::v1::CouncilProfile& profile, const std::string& path)
      : profile_(profile), path_(path) {
    for (const auto& d : profile.designations()) designations_.insert(d.id());
    if (path.empty()) return;
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    TextFormat::Parser parser;
    parser.WriteLocationsTo(&tree_);
    profile::v1::CouncilProfile reparsed;
    parsed_ = parser.ParseFromString(text.str(), &reparsed);
  }

  absl::Status Run() {
    const auto& rules = profile_.complaints();
    for (int r = 0; r < rules.routes_size(); ++r) {
      const auto& route = rules.routes(r);
      const int route_line = Line({{"complaints", -1}, {"routes", r}});
      for (int i = 0; i < route.notify_on_filing_size(); ++i)
        CheckRef(route.notify_on_filing(i), route_line, "complaints.routes: notify_on_filing",
                 /*notify=*/true);
      if (route.has_formal_action_decider()) {
        CheckRef(route.formal_action_decider().decider(), route_line,
                 "complaints.routes: formal_action_decider");
        if (route.formal_action_decider().clause().clause().empty())
          Problem(route_line, "complaints.routes: formal_action_decider must cite its clause");
      }
      for (int s = 0; s < route.stages_size(); ++s) {
        const auto& stage = route.stages(s);
        const int line = Line({{"complaints", -1}, {"routes", r}, {"stages", s}});
        const std::string context = absl::StrCat("complaints stage \"", stage.id(), "\"");
        // Southwark 69: a stage the subject answers may have nobody handling.
        const bool subject_responds =
            stage.respondent() == profile::v1::STAGE_RESPONDENT_SUBJECT;
        if (!(subject_responds && stage.handler().handler_case() == HandlerRef::HANDLER_NOT_SET))
          CheckRef(stage.handler(), line, absl::StrCat(context, ": handler"));
        for (const auto& joint : stage.joint_handlers())
          CheckRef(joint, line, absl::StrCat(context, ": joint handler"));
        for (const auto& notify : stage.notify_on_entry())
          CheckRef(notify, line, absl::StrCat(context, ": notify_on_entry"), /*notify=*/true);
        struct Optional {
          bool set;
          const HandlerRef* ref;
          const common::v1::ClauseCitation* clause;
          const char* name;
        };
        for (const Optional& o :
             {Optional{stage.has_facilitator(), &stage.facilitator(), &stage.facilitator_clause(),
                       "facilitator"},
              Optional{stage.has_investigator(), &stage.investigator(),
                       &stage.investigator_clause(), "investigator"},
              Optional{stage.has_direct_handler(), &stage.direct_handler(),
                       &stage.direct_handler_clause(), "direct_handler"}}) {
          if (!o.set) continue;
          CheckRef(*o.ref, line, absl::StrCat(context, ": ", o.name));
          if (o.clause->clause().empty())
            Problem(line, absl::StrCat(context, ": ", o.name, " must cite its clause in `",
                                       o.name, "_clause`"));
        }
        if (stage.respondent() == profile::v1::STAGE_RESPONDENT_SUBJECT ||
            stage.respondent() == profile::v1::STAGE_RESPONDENT_INVESTIGATOR) {
          if (stage.respondent_clause().clause().empty())
            Problem(line, absl::StrCat(context, ": respondent must cite its clause in "
                                                "`respondent_clause`"));
        }
        if (stage.respondent() == profile::v1::STAGE_RESPONDENT_INVESTIGATOR &&
            !stage.has_investigator())
          Problem(line, absl::StrCat(context, ": respondent STAGE_RESPONDENT_INVESTIGATOR needs "
                                              "an `investigator`"));
        if (subject_responds && route.kind() == profile::v1::COMPLAINT_KIND_MEMBER_CASEWORK)
          Problem(line, absl::StrCat(context, ": casework is about a service, which cannot "
                                              "respond itself"));
        if (!stage.notify_on_entry().empty() && stage.notify_clause().clause().empty())
          Problem(line, absl::StrCat(context, ": notify_on_entry must cite its clause in "
                                              "`notify_clause`"));
        if (stage.holding_notice_sets_response_date() &&
            stage.holding_notice().working_days() <= 0)
          Problem(line, absl::StrCat(context,
                                     ": holding_notice_sets_response_date needs a holding_notice "
                                     "limit"));
      }
    }
    const int line = Line({{"complaints", -1}});
    for (const auto& id : rules.senior_officers().designation_ids())
      if (!designations_.contains(id))
        Problem(line, absl::StrCat("complaints.senior_officers: designation \"", id,
                                   "\" is not defined in `designations`"));
    if (rules.has_senior_officers() && rules.senior_officers().clause().clause().empty())
      Problem(line, "complaints.senior_officers: every rule must cite its clause");
    const auto& hr = rules.formal_action_hr_designation_id();
    if (!hr.empty() && !designations_.contains(hr))
      Problem(line, absl::StrCat("complaints.formal_action_hr_designation_id: designation \"", hr,
                                 "\" is not defined in `designations`"));
    for (const auto& breach : rules.breach_routes()) {
      CheckRef(breach.handler(), line, "complaints.breach_routes: handler");
      if (breach.clause().clause().empty())
        Problem(line, "complaints.breach_routes: every route must cite its clause");
    }
    if (problems_.empty()) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrJoin(problems_, "\n"));
  }

 private:
  // `notify`: the reference names someone to be told, not to act; only
  // there may it name the person complained about.
  void CheckRef(const HandlerRef& ref, int line, const std::string& context,
                bool notify = false) {
    switch (ref.handler_case()) {
      case HandlerRef::kDesignationId:
        if (!designations_.contains(ref.designation_id()))
          Problem(line, absl::StrCat(context, ": designation \"", ref.designation_id(),
                                     "\" is not defined in `designations`"));
        break;
      case HandlerRef::kRelative:
        if (ref.relative() == profile::v1::RELATIVE_UNSPECIFIED ||
            ref.relative() == profile::v1::RELATIVE_DOCUMENT_HOLDING_CHIEF_OFFICER)
          Problem(line, absl::StrCat(context, ": ",
                                     profile::v1::Relative_Name(ref.relative()),
                                     " cannot route a complaint"));
        if (ref.relative() == profile::v1::RELATIVE_SUBJECT && !notify)
          Problem(line, absl::StrCat(context,
                                     ": RELATIVE_SUBJECT is only for notifications: nobody "
                                     "handles a complaint about themselves (a stage the subject "
                                     "answers sets `respondent`)"));
        break;
      case HandlerRef::kBodyId:
        if (ref.body_id().rfind("bodies/", 0) != 0)
          Problem(line, absl::StrCat(context, ": body \"", ref.body_id(),
                                     "\" must be bodies/{body}"));
        break;
      case HandlerRef::HANDLER_NOT_SET:
        Problem(line, absl::StrCat(context, ": handler is not set"));
        break;
    }
    if (!ref.advised_by_designation_id().empty() &&
        !designations_.contains(ref.advised_by_designation_id()))
      Problem(line, absl::StrCat(context, ": advising designation \"",
                                 ref.advised_by_designation_id(),
                                 "\" is not defined in `designations`"));
    for (const auto& alternative : ref.alternatives())
      CheckRef(alternative, line, absl::StrCat(context, " (alternative)"), notify);
  }

  int Line(const std::vector<std::pair<const char*, int>>& path) {
    if (!parsed_) return 0;
    const TextFormat::ParseInfoTree* tree = &tree_;
    const google::protobuf::Descriptor* d = profile::v1::CouncilProfile::descriptor();
    int line = 0;
    for (const auto& [field, index] : path) {
      const auto* fd = d->FindFieldByName(field);
      if (fd == nullptr || tree == nullptr) break;
      auto location = tree->GetLocation(fd, fd->is_repeated() ? std::max(index, 0) : -1);
      if (location.line >= 0) line = location.line + 1;
      tree = tree->GetTreeForNested(fd, fd->is_repeated() ? std::max(index, 0) : -1);
      d = fd->message_type();
      if (d == nullptr) break;
    }
    return line;
  }

  void Problem(int line, const std::string& what) {
    problems_.push_back(line > 0 ? absl::StrCat(path_, ":", line, ": ", what)
                                 : absl::StrCat(path_.empty() ? "profile" : path_, ": ", what));
  }

  const profile::v1::CouncilProfile& profile_;
  std::string path_;
  absl::flat_hash_set<std::string> designations_;
  TextFormat::ParseInfoTree tree_;
  bool parsed_ = false;
  std::vector<std::string> problems_;
};

}  // namespace

absl::Status CheckComplaintRules(const profile::v1::CouncilProfile& profile,
                                 const std::string& path) {
  return Checker(profile, path).Run();
}

}  // namespace council::complaints
