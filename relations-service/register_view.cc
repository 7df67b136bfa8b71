#include "relations-service/register_view.h"

#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "relations-service/directory_snapshot.h"

namespace council::relations {

bool SeesWithheldDetails(const Caller& caller) {
  return caller.IsService() || caller.HasRole("monitoring-officer");
}

bool IsWithheld(const v1::Interest& shown, const v1::Interest& latest) {
  return shown.sensitive() || latest.sensitive();
}

v1::Interest Redact(v1::Interest shown, const v1::Interest& latest, RegisterAudience audience,
                    bool* withheld) {
  if (audience == RegisterAudience::kFull || !IsWithheld(shown, latest)) return shown;
  shown.set_description(kWithheldDescription);
  shown.clear_matters();
  shown.set_sensitive(true);
  if (withheld != nullptr) *withheld = true;
  return shown;
}

const v1::Interest* RevisionAsOf(const std::vector<v1::Interest>& revisions, absl::CivilDay day) {
  static const absl::TimeZone london = [] {
    absl::TimeZone tz;
    if (!absl::LoadTimeZone("Europe/London", &tz)) tz = absl::UTCTimeZone();
    return tz;
  }();
  const int64_t cutoff = absl::ToUnixNanos(absl::FromCivil(day + 1, london));
  // One clock: the day each revision was recorded. An interest recorded only
  // after `day` was not on the register that day, whatever `registered_on` it
  // claims (a registration dated back cannot rewrite the register's history).
  const v1::Interest* as_it_stood = nullptr;
  for (const auto& revision : revisions)
    if (google::protobuf::util::TimeUtil::TimestampToNanoseconds(revision.update_time()) < cutoff)
      as_it_stood = &revision;
  return as_it_stood;
}

std::optional<v1::Interest> RegisterEntryAsOf(const std::vector<v1::Interest>& revisions,
                                              absl::CivilDay day, RegisterAudience audience,
                                              bool* withheld) {
  const v1::Interest* shown = RevisionAsOf(revisions, day);
  if (shown == nullptr || !shown->has_registered_on()) return std::nullopt;
  const common::v1::Date& registered = shown->registered_on();
  if (absl::CivilDay(registered.year(), registered.month(), registered.day()) > day ||
      !InForce(nullptr, &shown->end_date(), day))
    return std::nullopt;
  return Redact(*shown, revisions.back(), audience, withheld);
}

v1::Interest ExportEntry(const v1::Interest& latest, RegisterAudience audience, bool* withheld) {
  return Redact(latest, latest, audience, withheld);
}

}  // namespace council::relations
