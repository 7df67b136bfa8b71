// resource_names.h — AIP-122 resource names, ids, dates and page tokens.
//
// Resource names are "collection/id" paths such as "people/cllr-ada-okafor";
// ids are the source systems' own keys, restricted so they are safe in names,
// logs and URLs:
//
//   absl::StatusOr<std::string> id = ParseName("people/cllr-ada-okafor", "people");
//   // *id == "cllr-ada-okafor"
#ifndef COUNCIL_COMMON_UTIL_RESOURCE_NAMES_H_
#define COUNCIL_COMMON_UTIL_RESOURCE_NAMES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "council/common/v1/common.pb.h"

namespace council {

// IsValidId
//
// Returns true for 1-63 characters of lower-case letters, digits and hyphens,
// starting with a letter (AIP-122 resource ids).
bool IsValidId(absl::string_view id);

// ParseName
//
// Returns the id of `name` if it is "<collection>/<valid id>"; INVALID_ARGUMENT
// naming `field` otherwise, as a FieldError (common/errors/field_error.h), so
// FromAbsl gives the client an ErrorInfo and a BadRequest naming `field`.
// ToCivilDay, PageSize and DecodePageToken fail the same way.
absl::StatusOr<std::string> ParseName(absl::string_view name, absl::string_view collection,
                                      absl::string_view field = "name");

// ToCivilDay
//
// Converts a proto Date, checking that it is a real day (2026-02-30 is
// refused); INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<absl::CivilDay> ToCivilDay(const common::v1::Date& date, absl::string_view field);

// ToProtoDate
//
// Converts a civil day to the proto Date.
common::v1::Date ToProtoDate(absl::CivilDay day);

// FormatDay
//
// Returns "YYYY-MM-DD"; ParseDay is its inverse (false on anything else).
std::string FormatDay(absl::CivilDay day);
bool ParseDay(absl::string_view text, absl::CivilDay* day);

// TodayInLondon
//
// Returns today's civil date in Europe/London: councils' days start at local
// midnight, not UTC's.
absl::CivilDay TodayInLondon();

// PageSize
//
// Returns the effective page size: 0 means `default_size`; values above
// `max_size` are clamped (AIP-158); negative values are INVALID_ARGUMENT.
absl::StatusOr<int> PageSize(int requested, int default_size = 100, int max_size = 1000);

// EncodePageToken, DecodePageToken
//
// Opaque page tokens carrying the last key of the previous page, bound to the
// collection they page so a token from one listing is refused by another.
std::string EncodePageToken(absl::string_view scope, absl::string_view last_key);
absl::StatusOr<std::string> DecodePageToken(absl::string_view token, absl::string_view scope);

}  // namespace council

#endif  // COUNCIL_COMMON_UTIL_RESOURCE_NAMES_H_
