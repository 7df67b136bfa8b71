// register_view.h — every view of a member's register of interests, and the
// one function that withholds a sensitive interest from them.
//
// A sensitive interest (Localism Act 2011 s32) is withheld from any copy of
// the register made available to the public: the entry says only that the
// member has an interest whose details are withheld. Every view the service
// gives of an interest goes through Redact, so none can show more than
// another (issue 17, defect 4: the register as of an earlier day showed the
// revision recorded before the interest was agreed to be sensitive, in full):
//
//   GetRegister, today or as of a day   -> RegisterEntryAsOf
//   ListOverdueInterests (the export)   -> ExportEntry
//   Create/UpdateInterest (a revision)  -> ExportEntry
//
// An interest is withheld if the revision shown is sensitive or its latest
// revision is: once agreed to be sensitive, its earlier revisions are
// withheld too, and when it stops being sensitive (s32(3)) the register shows
// it again, but revisions that were sensitive stay withheld.
//
//   std::optional<v1::Interest> entry =
//       RegisterEntryAsOf(revisions, day, RegisterAudience::kPublic, &withheld);
#ifndef COUNCIL_RELATIONS_SERVICE_REGISTER_VIEW_H_
#define COUNCIL_RELATIONS_SERVICE_REGISTER_VIEW_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/server/caller.h"
#include "council/relations/v1/declarations.pb.h"

namespace council::relations {

// What a withheld interest's description becomes.
inline constexpr char kWithheldDescription[] =
    "Withheld (sensitive interest, Localism Act 2011 s32)";

// Who is looking at the register.
enum class RegisterAudience {
  // Anyone: sensitive interests are withheld (s32(2)).
  kPublic,
  // The monitoring officer and the suite's own services: every detail.
  kFull,
};

// SeesWithheldDetails
//
// Returns true for callers who see sensitive interests in full: the
// monitoring officer (who keeps the register and agrees what is sensitive,
// s29, s32(1)) and the suite's own services (the interest bar needs an
// interest's matters). Administrators and auditors do not.
bool SeesWithheldDetails(const Caller& caller);

// IsWithheld
//
// Returns true if `shown` must be withheld from the public: it, or `latest`
// (the interest's current revision), is sensitive.
bool IsWithheld(const v1::Interest& shown, const v1::Interest& latest);

// Redact
//
// The one redaction: returns `shown` as `audience` may see it. For kPublic and
// a withheld interest (IsWithheld), the description becomes
// kWithheldDescription, `matters` are cleared and `sensitive` is set; `*withheld`
// (if not null) is set to true. Anything else is returned unchanged.
v1::Interest Redact(v1::Interest shown, const v1::Interest& latest, RegisterAudience audience,
                    bool* withheld = nullptr);

// RevisionAsOf
//
// Of an interest's stored `revisions` (oldest first), the one that stood at
// the end of `day` (Europe/London): the last recorded by then. Null if none
// was recorded by then (or `revisions` is empty).
//
// The register's history runs on one clock, the day each revision was
// recorded (issue 18): an interest first recorded after `day` (imported from
// an earlier register, or entered late with an earlier `registered_on`) was
// not on this register that day. Its `registered_on` is shown on every entry,
// but it does not date the register's history back: a member registering
// late cannot make the register of an earlier day show the interest.
const v1::Interest* RevisionAsOf(const std::vector<v1::Interest>& revisions, absl::CivilDay day);

// RegisterEntryAsOf
//
// The entry for an interest on the register as it stood at the end of `day`
// (today for the current register), redacted for `audience`; nullopt if the
// interest was not on the register that day: nothing recorded by then, or the
// revision that stood then was not yet registered (`registered_on` unset or
// after `day`) or had ended (`end_date` before `day`).
std::optional<v1::Interest> RegisterEntryAsOf(const std::vector<v1::Interest>& revisions,
                                              absl::CivilDay day, RegisterAudience audience,
                                              bool* withheld = nullptr);

// ExportEntry
//
// An interest's `latest` revision as given out outside the register (the
// overdue list, the answer to a write), redacted for `audience`.
v1::Interest ExportEntry(const v1::Interest& latest, RegisterAudience audience,
                         bool* withheld = nullptr);

}  // namespace council::relations

#endif  // COUNCIL_RELATIONS_SERVICE_REGISTER_VIEW_H_
