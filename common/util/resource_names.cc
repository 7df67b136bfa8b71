#include "common/util/resource_names.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/errors/bounded_status.h"
#include "common/errors/field_error.h"

namespace council {

bool IsValidId(absl::string_view id) {
  if (id.empty() || id.size() > 63 || !absl::ascii_islower(id[0])) return false;
  for (char c : id)
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-')) return false;
  return true;
}

absl::StatusOr<std::string> ParseName(absl::string_view name, absl::string_view collection,
                                      absl::string_view field) {
  std::pair<absl::string_view, absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.first != collection || !IsValidId(parts.second) ||
      name.size() != collection.size() + 1 + parts.second.size())
    return FieldError(field,
                      absl::StrCat(Excerpt(name), " is not a valid ", collection,
                                   " resource name (expected \"", collection,
                                   "/{id}\", id of lower-case letters, digits and hyphens)"),
                      "AIP-122");
  return std::string(parts.second);
}

absl::StatusOr<absl::CivilDay> ToCivilDay(const common::v1::Date& date, absl::string_view field) {
  absl::CivilDay day(date.year(), date.month(), date.day());
  if (date.year() < 1900 || date.year() > 9999 || day.year() != date.year() ||
      day.month() != date.month() || day.day() != date.day())
    return FieldError(field, absl::StrFormat("%04d-%02d-%02d is not a valid date", date.year(),
                                             date.month(), date.day()));
  return day;
}

common::v1::Date ToProtoDate(absl::CivilDay day) {
  common::v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

std::string FormatDay(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

bool ParseDay(absl::string_view text, absl::CivilDay* day) {
  // Exactly four, two and two digits: absl::ParseCivilTime alone also takes
  // other ten-character spellings such as "10260-2-28", which FormatDay never
  // writes (found by fuzz/resource_names_fuzzer).
  if (text.size() != 10) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool separator = i == 4 || i == 7;
    if (separator ? text[i] != '-' : !absl::ascii_isdigit(text[i])) return false;
  }
  return absl::ParseCivilTime(text, day);
}

absl::CivilDay TodayInLondon() {
  static const absl::TimeZone london = [] {
    absl::TimeZone tz;
    // Without tzdata, fall back to UTC rather than fail: the difference is at
    // most an hour around midnight in summer.
    if (!absl::LoadTimeZone("Europe/London", &tz)) tz = absl::UTCTimeZone();
    return tz;
  }();
  return absl::ToCivilDay(absl::Now(), london);
}

absl::StatusOr<int> PageSize(int requested, int default_size, int max_size) {
  if (requested < 0) return FieldError("page_size", "must not be negative", "AIP-158");
  if (requested == 0) return default_size;
  return requested > max_size ? max_size : requested;
}

std::string EncodePageToken(absl::string_view scope, absl::string_view last_key) {
  return absl::WebSafeBase64Escape(absl::StrCat(scope, "\n", last_key));
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token, absl::string_view scope) {
  if (token.empty()) return std::string();
  std::string decoded;
  if (absl::WebSafeBase64Unescape(token, &decoded)) {
    std::pair<std::string, std::string> parts = absl::StrSplit(decoded, absl::MaxSplits('\n', 1));
    if (parts.first == scope) return parts.second;
  }
  return FieldError("page_token", "not a token from this listing", "AIP-158");
}

}  // namespace council
