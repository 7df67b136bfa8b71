#include "tools/councilctl/csv_import.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <limits>
#include <map>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/councilctl/csv_encoding.h"
#include "tools/councilctl/row_reader.h"

namespace council::ctl {
namespace {

using namespace relations::v1;  // NOLINT: message and enum names only

// Request fields -> CSV columns, per file (demo/README.md).
const FieldColumns kPeopleColumns = {
    {"name", "hr_id"},           {"display_name", "display_name"}, {"kind", "kind"},
    {"email", "email"},          {"start_date", "start_date"},     {"end_date", "end_date"},
    {"party_group", "party_group_id"}, {"ward", "ward_id"},        {"system_roles", "system_roles"}};
const FieldColumns kBodyColumns = {{"name", "body_id"},
                                   {"display_name", "display_name"},
                                   {"kind", "kind"},
                                   {"parent", "parent_body_id"}};
const FieldColumns kMembershipColumns = {{"name", "body_id"},
                                         {"person", "hr_id"},
                                         {"role", "role"},
                                         {"start_date", "start_date"},
                                         {"end_date", "end_date"}};
const FieldColumns kPostColumns = {{"name", "post_id"},
                                   {"title", "title"},
                                   {"service", "service"},
                                   {"reports_to", "reports_to_post_id"},
                                   {"tenures", "holder_hr_id"},
                                   {"tenures.person", "holder_hr_id"},
                                   {"tenures.start_date", "start_date"},
                                   {"chief_officer", "is_chief_officer"},
                                   {"head_of_service", "is_head_of_service"}};
// A designation is one record per id; each of its rows is one tenure.
const FieldColumns kDesignationColumns = {{"name", "designation_id"},
                                          {"tenures", "holder_hr_id"}};
const FieldColumns kTenureColumns = {
    {"person", "holder_hr_id"}, {"start_date", "start_date"}, {"end_date", "end_date"}};
const FieldColumns kWardColumns = {{"name", "ward_id"}, {"display_name", "display_name"}};
const FieldColumns kGroupColumns = {{"name", "group_id"},
                                    {"display_name", "display_name"},
                                    {"leader", "leader_hr_id"},
                                    {"deputy_leader", "deputy_leader_hr_id"},
                                    {"whip", "whip_hr_id"}};
const FieldColumns kPortfolioColumns = {{"name", "portfolio_id"},
                                        {"display_name", "display_name"},
                                        {"holder", "holder_hr_id"},
                                        {"services", "services"}};
const FieldColumns kRelationshipColumns = {{"relationship_id", "relationship_id"},
                                           {"relationship.member", "member_hr_id"},
                                           {"relationship.officer", "officer_hr_id"},
                                           {"relationship.kind", "kind"},
                                           {"relationship.declared_on", "declared_on"},
                                           {"relationship.declared_to", "declared_to_hr_id"},
                                           {"relationship.advice", "advice"},
                                           {"relationship.advice_by", "advice_by_hr_id"},
                                           {"relationship.end_date", "end_date"}};
const FieldColumns kInterestColumns = {{"parent", "member_hr_id"},
                                       {"interest_id", "interest_id"},
                                       {"interest.category", "category"},
                                       {"interest.description", "description"},
                                       {"interest.holder", "holder"},
                                       {"interest.registered_on", "registered_on"},
                                       {"interest.arose_on", "arose_on"},
                                       {"interest.sensitive", "sensitive"},
                                       {"interest.matters", "matters"}};

bool Exists(const std::string& path) { return std::ifstream(path).good(); }

absl::StatusOr<CsvTable> Load(const std::string& path, const std::vector<std::string>& columns) {
  auto table = ReadCsvFile(path, /*keep_bad_rows=*/true);
  if (!table.ok()) return table.status();
  if (auto s = RefuseNonUtf8(&*table); !s.ok()) return s;
  for (const auto& column : columns) {
    bool found = false;
    for (const auto& h : table->header) found |= h == column;
    if (!found)
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":1: missing column \"", column, "\""));
  }
  return table;
}

absl::Status LoadOptional(const std::string& path, const std::vector<std::string>& columns,
                          std::optional<CsvTable>* out) {
  if (!Exists(path)) return absl::OkStatus();
  auto table = Load(path, columns);
  if (!table.ok()) return table.status();
  *out = std::move(*table);
  return absl::OkStatus();
}

// Builds one record per row of `table` not in `skip` with `read`, which
// returns false (after r.Fail) for an invalid row; adds each valid record with
// `add` and registers it in `sources` as "<collection>[i]".
template <typename Record, typename Read, typename Add>
void EachRow(const CsvTable& table, const RowSet& skip, const char* collection,
             const FieldColumns& columns, DirectoryImport* out, Read read, Add add) {
  for (auto& problem : BadRowProblems(table))
    if (!skip.contains(problem.cell.row)) out->problems.push_back(std::move(problem));
  for (const CsvRow& row : table.rows) {
    const SourceRow source{table.path, row.line};
    if (skip.contains(source)) continue;
    RowReader r(table, row);
    Record record;
    read(r, record);
    if (!r.ok()) {
      out->problems.push_back(r.problem());
      continue;
    }
    const int index = add(std::move(record));
    out->sources.Add(absl::StrCat(collection, "[", index, "]"), source, row.header, &columns);
    ++out->rows;
  }
}

void ReadPerson(RowReader& r, Person& p) {
  p.set_name(absl::StrCat("people/", r.Id("hr_id")));
  p.set_display_name(r.Required("display_name"));
  p.set_kind(r.OneOf<PersonKind>("kind",
                                 {{"member", PERSON_KIND_MEMBER},
                                  {"co-opted-member", PERSON_KIND_CO_OPTED_MEMBER},
                                  {"officer", PERSON_KIND_OFFICER},
                                  {"political-assistant", PERSON_KIND_POLITICAL_ASSISTANT}},
                                 "must be member, co-opted-member, officer or political-assistant"));
  // Unique (demo/README.md): the service checks it against the whole import
  // and the directory, so the file's duplicates and the directory's are named
  // alike.
  p.set_email(r.Optional("email"));
  r.Date("start_date", p.mutable_start_date(), true);
  if (!r.Date("end_date", p.mutable_end_date(), false)) p.clear_end_date();
  if (auto group = r.Id("party_group_id", false); !group.empty())
    p.set_party_group(absl::StrCat("groups/", group));
  else if (r.ok() && (p.kind() == PERSON_KIND_MEMBER || p.kind() == PERSON_KIND_POLITICAL_ASSISTANT))
    r.Fail("party_group_id", "is required for a member or political assistant");
  if (auto ward = r.Id("ward_id", false); !ward.empty()) p.set_ward(absl::StrCat("wards/", ward));
  for (auto& role : r.List("system_roles")) p.add_system_roles(role);
}

void ReadBody(RowReader& r, Body& b) {
  b.set_name(absl::StrCat("bodies/", r.Id("body_id")));
  b.set_display_name(r.Required("display_name"));
  b.set_kind(r.OneOf<BodyKind>("kind",
                               {{"council", BODY_KIND_COUNCIL},
                                {"executive", BODY_KIND_EXECUTIVE},
                                {"committee", BODY_KIND_COMMITTEE},
                                {"sub-committee", BODY_KIND_SUB_COMMITTEE},
                                {"scrutiny-committee", BODY_KIND_SCRUTINY_COMMITTEE},
                                {"panel", BODY_KIND_PANEL}},
                               "must be council, executive, committee, sub-committee, "
                               "scrutiny-committee or panel"));
  if (auto parent = r.Id("parent_body_id", false); !parent.empty())
    b.set_parent(absl::StrCat("bodies/", parent));
}

void ReadMembership(RowReader& r, Membership& m) {
  const std::string body = r.Id("body_id");
  const std::string person = r.Id("hr_id");
  m.set_name(absl::StrCat("bodies/", body, "/memberships/", person));
  m.set_person(absl::StrCat("people/", person));
  m.set_role(r.OneOf<MembershipRole>("role",
                                     {{"chair", MEMBERSHIP_ROLE_CHAIR},
                                      {"vice-chair", MEMBERSHIP_ROLE_VICE_CHAIR},
                                      {"member", MEMBERSHIP_ROLE_MEMBER},
                                      {"substitute", MEMBERSHIP_ROLE_SUBSTITUTE}},
                                     "must be chair, vice-chair, member or substitute"));
  r.Date("start_date", m.mutable_start_date(), true);
  if (!r.Date("end_date", m.mutable_end_date(), false)) m.clear_end_date();
}

void ReadWard(RowReader& r, Ward& w) {
  w.set_name(absl::StrCat("wards/", r.Id("ward_id")));
  w.set_display_name(r.Required("display_name"));
}

void ReadGroup(RowReader& r, PartyGroup& g) {
  g.set_name(absl::StrCat("groups/", r.Id("group_id")));
  g.set_display_name(r.Required("display_name"));
  if (auto id = r.Id("leader_hr_id", false); !id.empty()) g.set_leader("people/" + id);
  if (auto id = r.Id("deputy_leader_hr_id", false); !id.empty())
    g.set_deputy_leader("people/" + id);
  if (auto id = r.Id("whip_hr_id", false); !id.empty()) g.set_whip("people/" + id);
}

void ReadPost(RowReader& r, Post& p) {
  p.set_name(absl::StrCat("posts/", r.Id("post_id")));
  p.set_title(r.Required("title"));
  p.set_service(r.Required("service"));
  if (auto id = r.Id("reports_to_post_id", false); !id.empty()) p.set_reports_to("posts/" + id);
  if (auto id = r.Id("holder_hr_id", false); !id.empty()) {
    Tenure* t = p.add_tenures();
    t->set_person("people/" + id);
    r.Date("start_date", t->mutable_start_date(), true);
  }
  p.set_chief_officer(r.Bool("is_chief_officer"));
  p.set_head_of_service(r.Bool("is_head_of_service"));
}

void ReadPortfolio(RowReader& r, Portfolio& p) {
  p.set_name(absl::StrCat("portfolios/", r.Id("portfolio_id")));
  p.set_display_name(r.Required("display_name"));
  if (auto id = r.Id("holder_hr_id", false); !id.empty()) p.set_holder("people/" + id);
  for (auto& service : r.List("services")) p.add_services(service);
}

// Designations: the rows of one id are the tenures of one record.
void AddDesignations(const CsvTable& table, const RowSet& skip, DirectoryImport* out) {
  for (auto& problem : BadRowProblems(table))
    if (!skip.contains(problem.cell.row)) out->problems.push_back(std::move(problem));
  std::map<std::string, int> index_of;
  for (const CsvRow& row : table.rows) {
    const SourceRow source{table.path, row.line};
    if (skip.contains(source)) continue;
    RowReader r(table, row);
    const std::string name = absl::StrCat("designations/", r.Id("designation_id"));
    Tenure tenure;
    tenure.set_person("people/" + r.Id("holder_hr_id"));
    r.Date("start_date", tenure.mutable_start_date(), true);
    if (!r.Date("end_date", tenure.mutable_end_date(), false)) tenure.clear_end_date();
    if (!r.ok()) {
      out->problems.push_back(r.problem());
      continue;
    }
    auto [it, added] = index_of.emplace(name, out->request.designations_size());
    if (added) {
      out->request.add_designations()->set_name(name);
      out->sources.Add(absl::StrCat("designations[", it->second, "]"), source, row.header,
                       &kDesignationColumns);
    }
    Designation* d = out->request.mutable_designations(it->second);
    out->sources.Add(absl::StrCat("designations[", it->second, "].tenures[", d->tenures_size(), "]"),
                     source, row.header, &kTenureColumns);
    *d->add_tenures() = std::move(tenure);
    ++out->rows;
  }
}

}  // namespace

absl::StatusOr<DirectoryCsv> ReadDirectoryCsv(const std::string& directory) {
  DirectoryCsv csv;
  auto people = Load(directory + "/people.csv", {"hr_id", "display_name", "kind", "start_date"});
  if (!people.ok()) return people.status();
  csv.people = std::move(*people);
  auto bodies = Load(directory + "/bodies.csv", {"body_id", "display_name", "kind"});
  if (!bodies.ok()) return bodies.status();
  csv.bodies = std::move(*bodies);
  auto memberships =
      Load(directory + "/memberships.csv", {"body_id", "hr_id", "role", "start_date"});
  if (!memberships.ok()) return memberships.status();
  csv.memberships = std::move(*memberships);
  absl::Status s = LoadOptional(directory + "/wards.csv", {"ward_id", "display_name"}, &csv.wards);
  if (s.ok())
    s = LoadOptional(directory + "/party_groups.csv", {"group_id", "display_name"},
                     &csv.party_groups);
  if (s.ok())
    s = LoadOptional(directory + "/posts.csv", {"post_id", "title", "service"}, &csv.posts);
  if (s.ok())
    s = LoadOptional(directory + "/designations.csv",
                     {"designation_id", "holder_hr_id", "start_date"}, &csv.designations);
  if (s.ok())
    s = LoadOptional(directory + "/portfolios.csv", {"portfolio_id", "display_name"},
                     &csv.portfolios);
  if (!s.ok()) return s;
  return csv;
}

DirectoryImport BuildDirectoryImport(const DirectoryCsv& csv, const RowSet& skip) {
  DirectoryImport out;
  ImportDirectoryRequest& request = out.request;
  EachRow<Person>(csv.people, skip, "people", kPeopleColumns, &out, ReadPerson, [&](Person p) {
    *request.add_people() = std::move(p);
    return request.people_size() - 1;
  });
  EachRow<Body>(csv.bodies, skip, "bodies", kBodyColumns, &out, ReadBody, [&](Body b) {
    *request.add_bodies() = std::move(b);
    return request.bodies_size() - 1;
  });
  EachRow<Membership>(csv.memberships, skip, "memberships", kMembershipColumns, &out,
                      ReadMembership, [&](Membership m) {
                        *request.add_memberships() = std::move(m);
                        return request.memberships_size() - 1;
                      });
  if (csv.wards)
    EachRow<Ward>(*csv.wards, skip, "wards", kWardColumns, &out, ReadWard, [&](Ward w) {
      *request.add_wards() = std::move(w);
      return request.wards_size() - 1;
    });
  if (csv.party_groups)
    EachRow<PartyGroup>(*csv.party_groups, skip, "party_groups", kGroupColumns, &out, ReadGroup,
                        [&](PartyGroup g) {
                          *request.add_party_groups() = std::move(g);
                          return request.party_groups_size() - 1;
                        });
  if (csv.posts)
    EachRow<Post>(*csv.posts, skip, "posts", kPostColumns, &out, ReadPost, [&](Post p) {
      *request.add_posts() = std::move(p);
      return request.posts_size() - 1;
    });
  if (csv.designations) AddDesignations(*csv.designations, skip, &out);
  if (csv.portfolios)
    EachRow<Portfolio>(*csv.portfolios, skip, "portfolios", kPortfolioColumns, &out,
                       ReadPortfolio, [&](Portfolio p) {
                         *request.add_portfolios() = std::move(p);
                         return request.portfolios_size() - 1;
                       });
  return out;
}

std::vector<ImportDirectoryRequest> ChunkDirectory(const ImportDirectoryRequest& all, int size,
                                                   ChunkRows* rows) {
  if (size < 1) size = 1;
  std::vector<ImportDirectoryRequest> chunks(1);
  auto chunk_at = [&](int index) -> ImportDirectoryRequest& {
    while (static_cast<int>(chunks.size()) <= index) chunks.emplace_back();
    return chunks[index];
  };
  // Structure first (groups, wards, bodies), then people, posts and
  // memberships in slices; the server validates the merged whole anyway.
  for (const auto& g : all.party_groups()) *chunks[0].add_party_groups() = g;
  for (const auto& w : all.wards()) *chunks[0].add_wards() = w;
  for (const auto& b : all.bodies()) *chunks[0].add_bodies() = b;
  for (int i = 0; i < all.people_size(); ++i) *chunk_at(i / size).add_people() = all.people(i);
  for (int i = 0; i < all.posts_size(); ++i) *chunk_at(i / size).add_posts() = all.posts(i);
  for (int i = 0; i < all.memberships_size(); ++i)
    *chunk_at(i / size).add_memberships() = all.memberships(i);
  for (const auto& d : all.designations()) *chunks[0].add_designations() = d;
  for (const auto& p : all.portfolios()) *chunks[0].add_portfolios() = p;
  chunks[0].set_validate_only(all.validate_only());
  if (rows != nullptr) {
    for (const char* structure : {"party_groups", "wards", "bodies", "designations", "portfolios"})
      rows->Add(0, structure, 0, std::numeric_limits<int>::max());
    for (int c = 0; c < static_cast<int>(chunks.size()); ++c)
      for (const char* sliced : {"people", "posts", "memberships"})
        rows->Add(c, sliced, c * size,
                  static_cast<int>(std::min<int64_t>(int64_t{c + 1} * size,
                                                     std::numeric_limits<int>::max())));
  }
  return chunks;
}

absl::StatusOr<DeclarationsCsv> ReadDeclarationsCsv(const std::string& directory) {
  DeclarationsCsv csv;
  absl::Status s = LoadOptional(directory + "/relationships.csv",
                                {"relationship_id", "member_hr_id", "officer_hr_id", "kind"},
                                &csv.relationships);
  if (s.ok())
    s = LoadOptional(directory + "/interests.csv",
                     {"interest_id", "member_hr_id", "category", "description", "holder"},
                     &csv.interests);
  if (!s.ok()) return s;
  return csv;
}

Declarations BuildDeclarations(const DeclarationsCsv& csv, const RowSet& skip) {
  Declarations out;
  auto bad_rows = [&](const CsvTable& table) {
    for (auto& problem : BadRowProblems(table))
      if (!skip.contains(problem.cell.row)) out.problems.push_back(std::move(problem));
  };
  if (csv.relationships) {
    const CsvTable& table = *csv.relationships;
    bad_rows(table);
    std::map<std::string, int> first_line;
    for (const CsvRow& row : table.rows) {
      const SourceRow source{table.path, row.line};
      if (skip.contains(source)) continue;
      RowReader r(table, row);
      CreateRelationshipRequest request;
      request.set_relationship_id(r.Id("relationship_id"));
      if (!request.relationship_id().empty()) {
        auto [it, inserted] = first_line.emplace(request.relationship_id(), row.line);
        if (!inserted)
          r.Fail("relationship_id", absl::StrCat("\"", request.relationship_id(),
                                                 "\" appears again (first on line ", it->second,
                                                 ")"));
      }
      Relationship* rel = request.mutable_relationship();
      rel->set_member("people/" + r.Id("member_hr_id"));
      rel->set_officer("people/" + r.Id("officer_hr_id"));
      rel->set_kind(r.OneOf<RelationshipKind>(
          "kind",
          {{"family", RELATIONSHIP_KIND_FAMILY},
           {"household", RELATIONSHIP_KIND_HOUSEHOLD},
           {"business", RELATIONSHIP_KIND_BUSINESS},
           {"close-personal", RELATIONSHIP_KIND_CLOSE_PERSONAL},
           {"friendship", RELATIONSHIP_KIND_FRIENDSHIP},
           {"working", RELATIONSHIP_KIND_WORKING}},
          "must be family, household, business, close-personal, friendship or working"));
      if (!r.Date("declared_on", rel->mutable_declared_on(), false)) rel->clear_declared_on();
      if (auto id = r.Id("declared_to_hr_id", false); !id.empty())
        rel->set_declared_to("people/" + id);
      rel->set_advice(r.Optional("advice"));
      if (auto id = r.Id("advice_by_hr_id", false); !id.empty()) rel->set_advice_by("people/" + id);
      if (!r.Date("end_date", rel->mutable_end_date(), false)) rel->clear_end_date();
      if (!r.ok()) {
        out.problems.push_back(r.problem());
        continue;
      }
      out.relationships.push_back({std::move(request), source, row});
    }
  }
  if (csv.interests) {
    const CsvTable& table = *csv.interests;
    bad_rows(table);
    std::map<std::string, int> first_line;
    for (const CsvRow& row : table.rows) {
      const SourceRow source{table.path, row.line};
      if (skip.contains(source)) continue;
      RowReader r(table, row);
      CreateInterestRequest request;
      request.set_parent("people/" + r.Id("member_hr_id"));
      request.set_interest_id(r.Id("interest_id"));
      if (!request.interest_id().empty()) {
        const std::string key = absl::StrCat(request.parent(), "/", request.interest_id());
        auto [it, inserted] = first_line.emplace(key, row.line);
        if (!inserted)
          r.Fail("interest_id", absl::StrCat("\"", request.interest_id(),
                                             "\" appears again for this member (first on line ",
                                             it->second, ")"));
      }
      Interest* interest = request.mutable_interest();
      interest->set_category(r.OneOf<InterestCategory>(
          "category",
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
      interest->set_holder(r.OneOf<InterestHolder>(
          "holder", {{"member", INTEREST_HOLDER_MEMBER}, {"partner", INTEREST_HOLDER_PARTNER}},
          "must be member or partner"));
      const bool registered = r.Date("registered_on", interest->mutable_registered_on(), false);
      if (!registered) interest->clear_registered_on();
      // arose_on defaults to registered_on when the export has no such column.
      if (!r.Date("arose_on", interest->mutable_arose_on(), !registered)) {
        if (registered) *interest->mutable_arose_on() = interest->registered_on();
      }
      interest->set_sensitive(r.Bool("sensitive"));
      for (auto& matter : r.List("matters")) interest->add_matters(matter);
      if (!r.ok()) {
        out.problems.push_back(r.problem());
        continue;
      }
      out.interests.push_back({std::move(request), source, row});
    }
  }
  return out;
}

SourceCell LocateRelationshipField(const SourceRow& row, const CsvRow& csv,
                                   absl::string_view field) {
  static const std::vector<std::string> kNoHeader;
  return CellOfField(row, csv.header ? *csv.header : kNoHeader, kRelationshipColumns, field);
}

SourceCell LocateInterestField(const SourceRow& row, const CsvRow& csv, absl::string_view field) {
  static const std::vector<std::string> kNoHeader;
  return CellOfField(row, csv.header ? *csv.header : kNoHeader, kInterestColumns, field);
}

SourceCell LocateResource(const SourceRow& row, const CsvRow& csv, absl::string_view resource) {
  SourceCell cell{row, 0, ""};
  if (csv.header == nullptr) return cell;
  const auto& header = *csv.header;
  for (size_t c = 0; c < header.size() && c < csv.fields.size(); ++c) {
    if (!absl::EndsWith(header[c], "_hr_id") || csv.fields[c].empty()) continue;
    if (absl::StrCat("people/", csv.fields[c]) == resource) {
      cell.column = static_cast<int>(c) + 1;
      cell.column_name = header[c];
      return cell;
    }
  }
  return cell;
}

}  // namespace council::ctl
