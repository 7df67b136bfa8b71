#include "tools/councilctl/csv_import.h"

#include <fstream>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/util/csv.h"
#include "common/util/resource_names.h"

namespace council::ctl {
namespace {

// Reads fields of one row, remembering the first problem with its position.
class RowReader {
 public:
  RowReader(const CsvTable& table, const CsvRow& row) : table_(table), row_(row) {}

  std::string Required(const char* column) {
    std::string value = row_.Get(column);
    if (value.empty()) Fail(column, "is required");
    return value;
  }
  std::string Optional(const char* column) { return row_.Get(column); }
  std::string Id(const char* column, bool required = true) {
    std::string value = required ? Required(column) : Optional(column);
    if (!value.empty() && !IsValidId(value))
      Fail(column, absl::StrCat("\"", value,
                                "\" is not a valid id (lower-case letters, digits, hyphens)"));
    return value;
  }
  bool Date(const char* column, common::v1::Date* out, bool required) {
    std::string value = required ? Required(column) : Optional(column);
    if (value.empty()) return false;
    absl::CivilDay day;
    if (!ParseDay(value, &day)) {
      Fail(column, absl::StrCat("\"", value, "\" is not a date (YYYY-MM-DD)"));
      return false;
    }
    *out = ToProtoDate(day);
    return true;
  }
  bool Bool(const char* column) {
    std::string value = Optional(column);
    if (value.empty() || value == "false") return false;
    if (value == "true") return true;
    Fail(column, absl::StrCat("\"", value, "\" must be true or false"));
    return false;
  }
  std::vector<std::string> List(const char* column) {
    std::vector<std::string> items;
    for (absl::string_view item : absl::StrSplit(Optional(column), ';', absl::SkipEmpty()))
      items.emplace_back(item);
    return items;
  }
  void Fail(const char* column, absl::string_view what) {
    if (problem_.empty()) problem_ = absl::StrCat(table_.Where(row_, column), ": ", what);
  }
  absl::Status status() const {
    return problem_.empty() ? absl::OkStatus() : absl::InvalidArgumentError(problem_);
  }

 private:
  const CsvTable& table_;
  const CsvRow& row_;
  std::string problem_;
};

absl::StatusOr<CsvTable> Load(const std::string& path, const std::vector<std::string>& columns) {
  auto table = ReadCsvFile(path);
  if (!table.ok()) return table.status();
  for (const auto& column : columns) {
    bool found = false;
    for (const auto& h : table->header) found |= h == column;
    if (!found)
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":1: missing column \"", column, "\""));
  }
  return table;
}

template <typename Enum>
bool MapValue(const std::string& value, const std::vector<std::pair<const char*, Enum>>& map,
              Enum* out) {
  for (const auto& [name, e] : map)
    if (value == name) {
      *out = e;
      return true;
    }
  return false;
}

}  // namespace

absl::Status AddStructureFromCsv(const std::string& directory,
                                 relations::v1::ImportDirectoryRequest* request);

absl::StatusOr<relations::v1::ImportDirectoryRequest> DirectoryFromCsv(
    const std::string& directory) {
  using namespace relations::v1;  // NOLINT: enum names only
  ImportDirectoryRequest request;
  auto people = Load(directory + "/people.csv",
                     {"hr_id", "display_name", "kind", "start_date"});
  if (!people.ok()) return people.status();
  for (const auto& row : people->rows) {
    RowReader r(*people, row);
    Person* p = request.add_people();
    p->set_name(absl::StrCat("people/", r.Id("hr_id")));
    p->set_display_name(r.Required("display_name"));
    PersonKind kind = PERSON_KIND_UNSPECIFIED;
    if (!MapValue<PersonKind>(r.Required("kind"),
                              {{"member", PERSON_KIND_MEMBER},
                               {"co-opted-member", PERSON_KIND_CO_OPTED_MEMBER},
                               {"officer", PERSON_KIND_OFFICER},
                               {"political-assistant", PERSON_KIND_POLITICAL_ASSISTANT}},
                              &kind))
      r.Fail("kind", "must be member, co-opted-member, officer or political-assistant");
    p->set_kind(kind);
    p->set_email(r.Optional("email"));
    r.Date("start_date", p->mutable_start_date(), true);
    if (!r.Date("end_date", p->mutable_end_date(), false)) p->clear_end_date();
    if (auto group = r.Id("party_group_id", false); !group.empty())
      p->set_party_group(absl::StrCat("groups/", group));
    if (auto ward = r.Id("ward_id", false); !ward.empty()) p->set_ward(absl::StrCat("wards/", ward));
    for (auto& role : r.List("system_roles")) p->add_system_roles(role);
    if (auto s = r.status(); !s.ok()) return s;
  }
  auto bodies = Load(directory + "/bodies.csv", {"body_id", "display_name", "kind"});
  if (!bodies.ok()) return bodies.status();
  for (const auto& row : bodies->rows) {
    RowReader r(*bodies, row);
    Body* b = request.add_bodies();
    b->set_name(absl::StrCat("bodies/", r.Id("body_id")));
    b->set_display_name(r.Required("display_name"));
    BodyKind kind = BODY_KIND_UNSPECIFIED;
    if (!MapValue<BodyKind>(r.Required("kind"),
                            {{"council", BODY_KIND_COUNCIL},
                             {"executive", BODY_KIND_EXECUTIVE},
                             {"committee", BODY_KIND_COMMITTEE},
                             {"sub-committee", BODY_KIND_SUB_COMMITTEE},
                             {"scrutiny-committee", BODY_KIND_SCRUTINY_COMMITTEE},
                             {"panel", BODY_KIND_PANEL}},
                            &kind))
      r.Fail("kind", "must be council, executive, committee, sub-committee, "
                     "scrutiny-committee or panel");
    b->set_kind(kind);
    if (auto parent = r.Id("parent_body_id", false); !parent.empty())
      b->set_parent(absl::StrCat("bodies/", parent));
    if (auto s = r.status(); !s.ok()) return s;
  }
  auto memberships = Load(directory + "/memberships.csv",
                          {"body_id", "hr_id", "role", "start_date"});
  if (!memberships.ok()) return memberships.status();
  for (const auto& row : memberships->rows) {
    RowReader r(*memberships, row);
    Membership* m = request.add_memberships();
    const std::string body = r.Id("body_id");
    const std::string person = r.Id("hr_id");
    m->set_name(absl::StrCat("bodies/", body, "/memberships/", person));
    m->set_person(absl::StrCat("people/", person));
    MembershipRole role = MEMBERSHIP_ROLE_UNSPECIFIED;
    if (!MapValue<MembershipRole>(r.Required("role"),
                                  {{"chair", MEMBERSHIP_ROLE_CHAIR},
                                   {"vice-chair", MEMBERSHIP_ROLE_VICE_CHAIR},
                                   {"member", MEMBERSHIP_ROLE_MEMBER},
                                   {"substitute", MEMBERSHIP_ROLE_SUBSTITUTE}},
                                  &role))
      r.Fail("role", "must be chair, vice-chair, member or substitute");
    m->set_role(role);
    r.Date("start_date", m->mutable_start_date(), true);
    if (!r.Date("end_date", m->mutable_end_date(), false)) m->clear_end_date();
    if (auto s = r.status(); !s.ok()) return s;
  }
  if (auto s = AddStructureFromCsv(directory, &request); !s.ok()) return s;
  return request;
}

namespace {

bool Exists(const std::string& path) { return std::ifstream(path).good(); }

template <typename Enum>
Enum Parse(RowReader& r, const char* column,
           const std::vector<std::pair<const char*, Enum>>& values, const char* allowed) {
  Enum out{};
  if (!MapValue<Enum>(r.Required(column), values, &out)) r.Fail(column, allowed);
  return out;
}

}  // namespace

absl::Status AddStructureFromCsv(const std::string& directory,
                                 relations::v1::ImportDirectoryRequest* request) {
  using namespace relations::v1;  // NOLINT: enum names only
  if (Exists(directory + "/wards.csv")) {
    auto table = Load(directory + "/wards.csv", {"ward_id", "display_name"});
    if (!table.ok()) return table.status();
    for (const auto& row : table->rows) {
      RowReader r(*table, row);
      Ward* w = request->add_wards();
      w->set_name(absl::StrCat("wards/", r.Id("ward_id")));
      w->set_display_name(r.Required("display_name"));
      if (auto s = r.status(); !s.ok()) return s;
    }
  }
  if (Exists(directory + "/party_groups.csv")) {
    auto table = Load(directory + "/party_groups.csv", {"group_id", "display_name"});
    if (!table.ok()) return table.status();
    for (const auto& row : table->rows) {
      RowReader r(*table, row);
      PartyGroup* g = request->add_party_groups();
      g->set_name(absl::StrCat("groups/", r.Id("group_id")));
      g->set_display_name(r.Required("display_name"));
      if (auto id = r.Id("leader_hr_id", false); !id.empty()) g->set_leader("people/" + id);
      if (auto id = r.Id("deputy_leader_hr_id", false); !id.empty())
        g->set_deputy_leader("people/" + id);
      if (auto id = r.Id("whip_hr_id", false); !id.empty()) g->set_whip("people/" + id);
      if (auto s = r.status(); !s.ok()) return s;
    }
  }
  if (Exists(directory + "/posts.csv")) {
    auto table = Load(directory + "/posts.csv", {"post_id", "title", "service"});
    if (!table.ok()) return table.status();
    for (const auto& row : table->rows) {
      RowReader r(*table, row);
      Post* p = request->add_posts();
      p->set_name(absl::StrCat("posts/", r.Id("post_id")));
      p->set_title(r.Required("title"));
      p->set_service(r.Required("service"));
      if (auto id = r.Id("reports_to_post_id", false); !id.empty()) p->set_reports_to("posts/" + id);
      if (auto id = r.Id("holder_hr_id", false); !id.empty()) {
        Tenure* t = p->add_tenures();
        t->set_person("people/" + id);
        r.Date("start_date", t->mutable_start_date(), true);
      }
      p->set_chief_officer(r.Bool("is_chief_officer"));
      p->set_head_of_service(r.Bool("is_head_of_service"));
      if (auto s = r.status(); !s.ok()) return s;
    }
  }
  if (Exists(directory + "/designations.csv")) {
    auto table = Load(directory + "/designations.csv",
                      {"designation_id", "holder_hr_id", "start_date"});
    if (!table.ok()) return table.status();
    std::map<std::string, Designation*> by_name;
    for (const auto& row : table->rows) {
      RowReader r(*table, row);
      const std::string name = absl::StrCat("designations/", r.Id("designation_id"));
      Designation*& d = by_name[name];
      if (d == nullptr) {
        d = request->add_designations();
        d->set_name(name);
      }
      Tenure* t = d->add_tenures();
      t->set_person("people/" + r.Id("holder_hr_id"));
      r.Date("start_date", t->mutable_start_date(), true);
      if (!r.Date("end_date", t->mutable_end_date(), false)) t->clear_end_date();
      if (auto s = r.status(); !s.ok()) return s;
    }
  }
  if (Exists(directory + "/portfolios.csv")) {
    auto table = Load(directory + "/portfolios.csv", {"portfolio_id", "display_name"});
    if (!table.ok()) return table.status();
    for (const auto& row : table->rows) {
      RowReader r(*table, row);
      Portfolio* p = request->add_portfolios();
      p->set_name(absl::StrCat("portfolios/", r.Id("portfolio_id")));
      p->set_display_name(r.Required("display_name"));
      if (auto id = r.Id("holder_hr_id", false); !id.empty()) p->set_holder("people/" + id);
      for (auto& service : r.List("services")) p->add_services(service);
      if (auto s = r.status(); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Declarations> DeclarationsFromCsv(const std::string& directory) {
  using namespace relations::v1;  // NOLINT: enum names only
  Declarations out;
  if (Exists(directory + "/relationships.csv")) {
    auto table = Load(directory + "/relationships.csv",
                      {"relationship_id", "member_hr_id", "officer_hr_id", "kind"});
    if (!table.ok()) return table.status();
    for (const auto& row : table->rows) {
      RowReader r(*table, row);
      CreateRelationshipRequest request;
      request.set_relationship_id(r.Id("relationship_id"));
      Relationship* rel = request.mutable_relationship();
      rel->set_member("people/" + r.Id("member_hr_id"));
      rel->set_officer("people/" + r.Id("officer_hr_id"));
      rel->set_kind(Parse<RelationshipKind>(
          r, "kind",
          {{"family", RELATIONSHIP_KIND_FAMILY},
           {"household", RELATIONSHIP_KIND_HOUSEHOLD},
           {"business", RELATIONSHIP_KIND_BUSINESS},
           {"close-personal", RELATIONSHIP_KIND_CLOSE_PERSONAL},
           {"friendship", RELATIONSHIP_KIND_FRIENDSHIP},
           {"working", RELATIONSHIP_KIND_WORKING}},
          "must be family, household, business, close-personal, friendship or working"));
      if (!r.Date("declared_on", rel->mutable_declared_on(), false)) rel->clear_declared_on();
      if (auto id = r.Id("declared_to_hr_id", false); !id.empty()) rel->set_declared_to("people/" + id);
      rel->set_advice(r.Optional("advice"));
      if (auto id = r.Id("advice_by_hr_id", false); !id.empty()) rel->set_advice_by("people/" + id);
      if (!r.Date("end_date", rel->mutable_end_date(), false)) rel->clear_end_date();
      if (auto s = r.status(); !s.ok()) return s;
      out.relationships.push_back(std::move(request));
    }
  }
  if (Exists(directory + "/interests.csv")) {
    auto table = Load(directory + "/interests.csv",
                      {"interest_id", "member_hr_id", "category", "description", "holder"});
    if (!table.ok()) return table.status();
    for (const auto& row : table->rows) {
      RowReader r(*table, row);
      CreateInterestRequest request;
      request.set_parent("people/" + r.Id("member_hr_id"));
      request.set_interest_id(r.Id("interest_id"));
      Interest* interest = request.mutable_interest();
      interest->set_category(Parse<InterestCategory>(
          r, "category",
          {{"employment", INTEREST_CATEGORY_EMPLOYMENT},
           {"sponsorship", INTEREST_CATEGORY_SPONSORSHIP},
           {"contracts", INTEREST_CATEGORY_CONTRACTS},
           {"land", INTEREST_CATEGORY_LAND},
           {"licences", INTEREST_CATEGORY_LICENCES},
           {"corporate-tenancies", INTEREST_CATEGORY_CORPORATE_TENANCIES},
           {"securities", INTEREST_CATEGORY_SECURITIES},
           {"other", INTEREST_CATEGORY_OTHER}},
          "must be employment, sponsorship, contracts, land, licences, corporate-tenancies, "
          "securities or other"));
      interest->set_description(r.Required("description"));
      interest->set_holder(Parse<InterestHolder>(
          r, "holder", {{"member", INTEREST_HOLDER_MEMBER}, {"partner", INTEREST_HOLDER_PARTNER}},
          "must be member or partner"));
      const bool registered = r.Date("registered_on", interest->mutable_registered_on(), false);
      if (!registered) interest->clear_registered_on();
      // arose_on defaults to registered_on when the export has no such column.
      if (!r.Date("arose_on", interest->mutable_arose_on(), !registered)) {
        if (registered) *interest->mutable_arose_on() = interest->registered_on();
      }
      interest->set_sensitive(r.Bool("sensitive"));
      for (auto& matter : r.List("matters")) interest->add_matters(matter);
      if (auto s = r.status(); !s.ok()) return s;
      out.interests.push_back(std::move(request));
    }
  }
  return out;
}


}  // namespace council::ctl
