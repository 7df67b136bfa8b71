// directory_snapshot.h — an immutable in-memory copy of the directory and the
// declarations, for fast reads.
//
// Conflict checks, principal resolution and management chains run thousands of
// times a second; they read a snapshot (hash lookups, no SQL). The store
// builds a new snapshot after each committed write and swaps it in, so a
// reader always sees one consistent state:
//
//   std::shared_ptr<const DirectorySnapshot> directory = store->Snapshot();
//   const Person* person = directory->FindPerson("people/cllr-ada-okafor");
#ifndef COUNCIL_RELATIONS_SERVICE_DIRECTORY_SNAPSHOT_H_
#define COUNCIL_RELATIONS_SERVICE_DIRECTORY_SNAPSHOT_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "council/relations/v1/relations_service.pb.h"

namespace council::relations {

// InForce
//
// Returns true if a record with these dates applies on `day` (unset start means
// "always started"; unset end means "not ended").
bool InForce(const common::v1::Date* start, const common::v1::Date* end, absl::CivilDay day);

// Holder
//
// The person holding `tenures` on `day`, or empty.
std::string HolderOn(const google::protobuf::RepeatedPtrField<v1::Tenure>& tenures,
                     absl::CivilDay day);

struct DirectorySnapshot {
  // Keyed by resource name.
  absl::flat_hash_map<std::string, v1::Person> people;
  absl::flat_hash_map<std::string, v1::Body> bodies;
  absl::flat_hash_map<std::string, v1::Post> posts;
  absl::flat_hash_map<std::string, v1::Designation> designations;
  absl::flat_hash_map<std::string, v1::PartyGroup> party_groups;
  absl::flat_hash_map<std::string, v1::Ward> wards;
  absl::flat_hash_map<std::string, v1::Portfolio> portfolios;
  absl::flat_hash_map<std::string, v1::Relationship> relationships;
  absl::flat_hash_map<std::string, v1::Interest> interests;

  // Indexes, built by Index().
  // Person -> memberships (all dates).
  absl::flat_hash_map<std::string, std::vector<v1::Membership>> memberships_by_person;
  // Person -> relationship names in which they are member or officer.
  absl::flat_hash_map<std::string, std::vector<std::string>> relationships_by_person;
  // Person -> interest names.
  absl::flat_hash_map<std::string, std::vector<std::string>> interests_by_person;
  // Ward -> people whose `ward` it is.
  absl::flat_hash_map<std::string, std::vector<std::string>> members_by_ward;
  // Person -> post names they have held.
  absl::flat_hash_map<std::string, std::vector<std::string>> posts_by_person;

  // Index
  //
  // Builds the indexes from the records (call once after filling them).
  void Index(const std::vector<v1::Membership>& memberships);

  const v1::Person* FindPerson(absl::string_view name) const;

  // PostOf
  //
  // The post `person` holds on `day`, or null.
  const v1::Post* PostOf(absl::string_view person, absl::CivilDay day) const;

  // RelationshipsBetween
  //
  // Declared relationships between `a` and `b` in force on `day`.
  std::vector<const v1::Relationship*> RelationshipsBetween(absl::string_view a,
                                                            absl::string_view b,
                                                            absl::CivilDay day) const;

  // DeclaredBetween
  //
  // Every declared relationship between `a` and `b`, ended or not, in
  // resource-name order (for clauses in the past tense: Middlesbrough 6.5).
  std::vector<const v1::Relationship*> DeclaredBetween(absl::string_view a,
                                                       absl::string_view b) const;

  // DesignationsHeld
  //
  // The designation ids `person` holds on `day`.
  std::vector<std::string> DesignationsHeld(absl::string_view person, absl::CivilDay day) const;
};

}  // namespace council::relations

#endif  // COUNCIL_RELATIONS_SERVICE_DIRECTORY_SNAPSHOT_H_
