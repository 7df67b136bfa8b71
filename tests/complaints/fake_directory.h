// fake_directory.h — an in-memory `Directory` for complaints tests, with the
// semantics relations-service promises (GetActingHolder walks the profile's
// deputy chain past absent, excluded or related holders; CheckConflict is true
// for the same person or a declared relationship in force), and a small
// council modelled on the demo Borough of Eastmere.
//
//   FakeDirectory directory(profile);
//   directory.AddRelationship("people/cllr-karen", "people/off-jennifer");
//   auto facts = GatherPartyFacts(directory, *profile, ...);
#ifndef COUNCIL_TESTS_COMPLAINTS_FAKE_DIRECTORY_H_
#define COUNCIL_TESTS_COMPLAINTS_FAKE_DIRECTORY_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/util/resource_names.h"
#include "complaints-service/directory.h"
#include "complaints-service/routing_facts.h"
#include "council/profile/v1/profile.pb.h"

namespace council::complaints::testing {

class FakeDirectory final : public Directory {
 public:
  explicit FakeDirectory(std::shared_ptr<const profile::v1::CouncilProfile> profile = nullptr)
      : profile_(std::move(profile)) {}

  // --- building the directory ---

  void AddPerson(const std::string& name, relations::v1::PersonKind kind,
                 const std::string& group = "") {
    absl::MutexLock lock(&mu_);
    relations::v1::Person p;
    p.set_name(name);
    p.set_display_name(name);
    p.set_kind(kind);
    p.set_party_group(group);
    people_[name] = p;
  }
  void AddPost(const std::string& id, const std::string& title, const std::string& service,
               const std::string& reports_to, const std::string& holder, bool chief = false,
               bool head = false) {
    absl::MutexLock lock(&mu_);
    relations::v1::Post post;
    post.set_name(absl::StrCat("posts/", id));
    post.set_title(title);
    post.set_service(service);
    if (!reports_to.empty()) post.set_reports_to(absl::StrCat("posts/", reports_to));
    post.set_chief_officer(chief);
    post.set_head_of_service(head);
    if (!holder.empty()) {
      auto* t = post.add_tenures();
      t->set_person(holder);
      *t->mutable_start_date() = ToProtoDate(absl::CivilDay(2000, 1, 1));
    }
    posts_[post.name()] = post;
  }
  void Designate(const std::string& id, const std::string& holder) {
    absl::MutexLock lock(&mu_);
    relations::v1::Designation d;
    d.set_name(absl::StrCat("designations/", id));
    auto* t = d.add_tenures();
    t->set_person(holder);
    *t->mutable_start_date() = ToProtoDate(absl::CivilDay(2000, 1, 1));
    designations_[id] = d;
  }
  void AddGroup(const std::string& name, const std::string& leader, const std::string& deputy,
                const std::string& whip) {
    absl::MutexLock lock(&mu_);
    relations::v1::PartyGroup g;
    g.set_name(name);
    g.set_leader(leader);
    g.set_deputy_leader(deputy);
    g.set_whip(whip);
    groups_[name] = g;
  }
  void AddSeat(const std::string& body, const std::string& person,
               relations::v1::MembershipRole role) {
    absl::MutexLock lock(&mu_);
    relations::v1::Membership m;
    m.set_name(absl::StrCat(body, "/memberships/", person.substr(7)));
    m.set_person(person);
    m.set_role(role);
    *m.mutable_start_date() = ToProtoDate(absl::CivilDay(2000, 1, 1));
    bodies_[body].push_back(m);
  }
  void AddRelationship(const std::string& a, const std::string& b,
                       const std::string& id = "relationships/rel-test") {
    absl::MutexLock lock(&mu_);
    relationships_.push_back({a, b, id});
  }
  void SetUnavailable(bool unavailable) {
    absl::MutexLock lock(&mu_);
    unavailable_ = unavailable;
  }
  int calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }

  // The demo-like council every routing test starts from.
  void AddStandardCouncil() {
    using relations::v1::PERSON_KIND_MEMBER;
    using relations::v1::PERSON_KIND_OFFICER;
    for (const char* m : {"people/cllr-ada", "people/cllr-hannah", "people/cllr-jun",
                          "people/cllr-karen", "people/cllr-wei", "people/cllr-ruth"})
      AddPerson(m, PERSON_KIND_MEMBER, "groups/labour");
    for (const char* m : {"people/cllr-sophie", "people/cllr-tory-leader",
                          "people/cllr-tory-deputy", "people/cllr-tory-whip"})
      AddPerson(m, PERSON_KIND_MEMBER, "groups/conservative");
    AddGroup("groups/labour", "people/cllr-ada", "people/cllr-jun", "people/cllr-hannah");
    AddGroup("groups/conservative", "people/cllr-tory-leader", "people/cllr-tory-deputy",
             "people/cllr-tory-whip");
    struct Officer {
      const char* person;
      const char* post;
      const char* title;
      const char* service;
      const char* reports_to;
      bool chief;
      bool head;
    };
    const Officer officers[] = {
        {"off-james", "chief-executive", "Chief Executive", "chief-executives-office", "", true,
         false},
        {"off-tunde", "director-of-place", "Director of Place", "place", "chief-executive", true,
         false},
        {"off-adebayo", "head-of-planning", "Head of Planning", "planning", "director-of-place",
         false, true},
        {"off-michael", "dm-manager", "Development Management Manager", "planning",
         "head-of-planning", false, false},
        {"off-jennifer", "principal-planning-officer", "Principal Planning Officer", "planning",
         "dm-manager", false, false},
        {"off-matthew", "planning-officer", "Planning Officer", "planning", "dm-manager", false,
         false},
        {"off-pat", "planning-assistant", "Planning Assistant", "planning",
         "principal-planning-officer", false, false},
        {"off-hannah", "director-of-legal", "Director of Legal and Governance",
         "legal-and-governance", "chief-executive", true, false},
        {"off-bronwen", "head-of-legal", "Head of Legal Services", "legal", "director-of-legal",
         false, true},
        {"off-anna", "solicitor", "Solicitor", "legal", "head-of-legal", false, false},
        {"off-jermaine", "head-of-democratic-services", "Head of Democratic Services",
         "democratic-services", "director-of-legal", false, true},
        {"off-kerry", "director-of-resources", "Director of Resources", "resources",
         "chief-executive", true, false},
        {"off-sian", "head-of-hr", "Head of Human Resources", "human-resources",
         "director-of-resources", false, true},
        {"off-li", "hr-adviser", "HR Adviser", "human-resources", "head-of-hr", false, false},
    };
    for (const auto& o : officers) {
      const std::string person = absl::StrCat("people/", o.person);
      AddPerson(person, PERSON_KIND_OFFICER);
      AddPost(o.post, o.title, o.service, o.reports_to, person, o.chief, o.head);
    }
    Designate("head-of-paid-service", "people/off-james");
    Designate("monitoring-officer", "people/off-hannah");
    Designate("director-of-legal-and-governance", "people/off-hannah");
    Designate("deputy-monitoring-officer", "people/off-bronwen");
    Designate("chief-finance-officer", "people/off-kerry");
    Designate("head-of-hr", "people/off-sian");
    Designate("clerk", "people/off-jermaine");
    // Southwark 70: a member holds it.
    Designate("leader-of-the-council", "people/cllr-ada");
    using relations::v1::MEMBERSHIP_ROLE_CHAIR;
    using relations::v1::MEMBERSHIP_ROLE_VICE_CHAIR;
    AddSeat("bodies/full-council", "people/cllr-wei", MEMBERSHIP_ROLE_CHAIR);
    AddSeat("bodies/full-council", "people/cllr-ruth", MEMBERSHIP_ROLE_VICE_CHAIR);
    AddSeat("bodies/audit-and-standards-committee", "people/cllr-tory-deputy",
            MEMBERSHIP_ROLE_CHAIR);
    AddSeat("bodies/audit-and-standards-committee", "people/cllr-jun", MEMBERSHIP_ROLE_VICE_CHAIR);
    AddSeat("bodies/chief-officer-appointments-committee", "people/cllr-ada",
            MEMBERSHIP_ROLE_CHAIR);
    AddSeat("bodies/chief-officer-appointments-committee", "people/cllr-tory-leader",
            MEMBERSHIP_ROLE_VICE_CHAIR);
    AddSeat("bodies/standards-hearings-sub-committee", "people/cllr-ruth", MEMBERSHIP_ROLE_CHAIR);
  }

  // --- Directory ---

  absl::StatusOr<relations::v1::Person> GetPerson(absl::string_view name) override {
    absl::MutexLock lock(&mu_);
    if (auto s = Call(); !s.ok()) return s;
    auto it = people_.find(std::string(name));
    if (it == people_.end()) return absl::NotFoundError(absl::StrCat(name, " not found"));
    return it->second;
  }

  absl::StatusOr<relations::v1::GetManagementChainResponse> ManagementChain(
      absl::string_view person, absl::CivilDay day) override {
    absl::MutexLock lock(&mu_);
    if (auto s = Call(); !s.ok()) return s;
    const relations::v1::Post* own = nullptr;
    for (const auto& [name, post] : posts_)
      if (HolderOn(post.tenures(), day) == person) own = &post;
    if (own == nullptr)
      return absl::FailedPreconditionError(absl::StrCat(person, " holds no post"));
    relations::v1::GetManagementChainResponse response;
    auto link = [&](const relations::v1::Post& post) {
      relations::v1::ChainLink l;
      l.set_post(post.name());
      l.set_title(post.title());
      l.set_holder(HolderOn(post.tenures(), day));
      return l;
    };
    *response.mutable_post() = link(*own);
    const relations::v1::Post* chief = own->chief_officer() ? own : nullptr;
    const relations::v1::Post* p = own;
    while (!p->reports_to().empty()) {
      auto it = posts_.find(p->reports_to());
      if (it == posts_.end()) break;
      p = &it->second;
      *response.add_chain() = link(*p);
      if (chief == nullptr && p->chief_officer()) chief = p;
    }
    if (chief != nullptr) *response.mutable_chief_officer() = link(*chief);
    return response;
  }

  absl::StatusOr<relations::v1::Post> GetPost(absl::string_view name) override {
    absl::MutexLock lock(&mu_);
    if (auto s = Call(); !s.ok()) return s;
    auto it = posts_.find(std::string(name));
    if (it == posts_.end()) return absl::NotFoundError(absl::StrCat(name, " not found"));
    return it->second;
  }

  absl::StatusOr<std::vector<relations::v1::Post>> ListPosts() override {
    absl::MutexLock lock(&mu_);
    if (auto s = Call(); !s.ok()) return s;
    std::vector<relations::v1::Post> out;
    for (const auto& [name, post] : posts_) out.push_back(post);
    return out;
  }

  absl::StatusOr<relations::v1::Designation> GetDesignation(absl::string_view id) override {
    absl::MutexLock lock(&mu_);
    if (auto s = Call(); !s.ok()) return s;
    auto it = designations_.find(std::string(id));
    if (it == designations_.end()) return absl::NotFoundError(absl::StrCat(id, " not found"));
    return it->second;
  }

  absl::StatusOr<relations::v1::ActingHolder> ActingHolder(
      absl::string_view id, absl::CivilDay day,
      const std::vector<std::string>& exclude) override {
    absl::MutexLock lock(&mu_);
    if (auto s = Call(); !s.ok()) return s;
    relations::v1::ActingHolder acting;
    std::string current(id);
    for (int guard = 0; guard < 10 && !current.empty(); ++guard) {
      auto it = designations_.find(current);
      const std::string holder = it == designations_.end() ? "" : HolderOn(it->second.tenures(), day);
      std::string why;
      relations::v1::PassedOverHolder passed;
      passed.set_designation(absl::StrCat("designations/", current));
      passed.set_person(holder);
      if (holder.empty()) {
        why = "vacant";
        passed.set_reason("has no holder on that day");
      }
      for (const auto& x : exclude) {
        if (!why.empty()) break;
        if (holder == x) {
          why = absl::StrCat(holder, " is ", x);
          passed.set_reason("is a party to the matter");
        } else if (RelatedLocked(holder, x)) {
          why = absl::StrCat(holder, " is related to ", x);
          passed.set_reason(absl::StrCat("has a declared relationship with ", x));
          for (const auto& r : relationships_)
            if ((r.a == holder && r.b == x) || (r.a == x && r.b == holder))
              passed.add_relationships(r.id);
        }
      }
      if (why.empty()) {
        acting.set_person(holder);
        acting.set_designation(absl::StrCat("designations/", current));
        return acting;
      }
      auto* reason = acting.add_reasons();
      reason->mutable_citation()->set_clause("Local Government and Housing Act 1989 s5(7)");
      reason->set_finding(absl::StrCat("designations/", current, " passed over: ", why));
      *acting.add_passed_over() = std::move(passed);
      current = DeputyOf(current);
    }
    return absl::FailedPreconditionError(absl::StrCat("nobody can act as designations/", id));
  }

  absl::StatusOr<relations::v1::CheckConflictResponse> HandlingConflict(
      absl::string_view person, absl::string_view other, absl::CivilDay) override {
    absl::MutexLock lock(&mu_);
    if (auto s = Call(); !s.ok()) return s;
    relations::v1::CheckConflictResponse response;
    if (person == other) response.set_conflicted(true);
    for (const auto& r : relationships_)
      if ((r.a == person && r.b == other) || (r.a == other && r.b == person)) {
        response.set_conflicted(true);
        response.add_relationships(r.id);
      }
    return response;
  }

  absl::StatusOr<relations::v1::PartyGroup> GetPartyGroup(absl::string_view name) override {
    absl::MutexLock lock(&mu_);
    if (auto s = Call(); !s.ok()) return s;
    auto it = groups_.find(std::string(name));
    if (it == groups_.end()) return absl::NotFoundError(absl::StrCat(name, " not found"));
    return it->second;
  }

  absl::StatusOr<std::vector<relations::v1::Membership>> BodyMemberships(
      absl::string_view body, absl::CivilDay) override {
    absl::MutexLock lock(&mu_);
    if (auto s = Call(); !s.ok()) return s;
    auto it = bodies_.find(std::string(body));
    if (it == bodies_.end()) return std::vector<relations::v1::Membership>();
    return it->second;
  }

 private:
  struct Rel {
    std::string a, b, id;
  };
  absl::Status Call() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    ++calls_;
    if (unavailable_) return absl::UnavailableError("relations-service: connection refused");
    return absl::OkStatus();
  }
  bool RelatedLocked(const std::string& a, const std::string& b) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    for (const auto& r : relationships_)
      if ((r.a == a && r.b == b) || (r.a == b && r.b == a)) return true;
    return false;
  }
  std::string DeputyOf(const std::string& id) {
    if (profile_ == nullptr) return "";
    for (const auto& d : profile_->designations())
      if (d.id() == id) return d.deputy_designation_id();
    return "";
  }

  std::shared_ptr<const profile::v1::CouncilProfile> profile_;
  absl::Mutex mu_;
  std::map<std::string, relations::v1::Person> people_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, relations::v1::Post> posts_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, relations::v1::Designation> designations_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, relations::v1::PartyGroup> groups_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::vector<relations::v1::Membership>> bodies_ ABSL_GUARDED_BY(mu_);
  std::vector<Rel> relationships_ ABSL_GUARDED_BY(mu_);
  bool unavailable_ ABSL_GUARDED_BY(mu_) = false;
  int calls_ ABSL_GUARDED_BY(mu_) = 0;
};

// A Directory that forwards to a shared FakeDirectory (workflows make one per
// request).
class SharedDirectory final : public Directory {
 public:
  explicit SharedDirectory(FakeDirectory* fake) : fake_(fake) {}
  absl::StatusOr<relations::v1::Person> GetPerson(absl::string_view n) override {
    return fake_->GetPerson(n);
  }
  absl::StatusOr<relations::v1::GetManagementChainResponse> ManagementChain(
      absl::string_view p, absl::CivilDay d) override {
    return fake_->ManagementChain(p, d);
  }
  absl::StatusOr<relations::v1::Post> GetPost(absl::string_view n) override {
    return fake_->GetPost(n);
  }
  absl::StatusOr<std::vector<relations::v1::Post>> ListPosts() override {
    return fake_->ListPosts();
  }
  absl::StatusOr<relations::v1::Designation> GetDesignation(absl::string_view id) override {
    return fake_->GetDesignation(id);
  }
  absl::StatusOr<relations::v1::ActingHolder> ActingHolder(
      absl::string_view id, absl::CivilDay d, const std::vector<std::string>& x) override {
    return fake_->ActingHolder(id, d, x);
  }
  absl::StatusOr<relations::v1::CheckConflictResponse> HandlingConflict(
      absl::string_view p, absl::string_view o, absl::CivilDay d) override {
    return fake_->HandlingConflict(p, o, d);
  }
  absl::StatusOr<relations::v1::PartyGroup> GetPartyGroup(absl::string_view n) override {
    return fake_->GetPartyGroup(n);
  }
  absl::StatusOr<std::vector<relations::v1::Membership>> BodyMemberships(
      absl::string_view b, absl::CivilDay d) override {
    return fake_->BodyMemberships(b, d);
  }

 private:
  FakeDirectory* fake_;
};

}  // namespace council::complaints::testing

#endif  // COUNCIL_TESTS_COMPLAINTS_FAKE_DIRECTORY_H_
