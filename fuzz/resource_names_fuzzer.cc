// Fuzzes the resource-name, date and page-token helpers every service applies
// to request fields (common/util/resource_names.h): the whole input is tried
// as a name, a day and a page token, and round trips are checked.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/util/resource_names.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);

  for (const char* collection : {"people", "documents", "services"}) {
    auto id = council::ParseName(input, collection, "name");
    if (id.ok()) {
      FUZZ_CHECK(council::IsValidId(*id));
      FUZZ_CHECK(std::string(collection) + "/" + *id == input);
    } else {
      FUZZ_CHECK(id.status().code() == absl::StatusCode::kInvalidArgument);
      FUZZ_CHECK(id.status().message().size() <= kMaxFuzzedMessageBytes);
    }
  }

  absl::CivilDay day;
  if (council::ParseDay(input, &day)) {
    absl::CivilDay again;
    FUZZ_CHECK(council::ParseDay(council::FormatDay(day), &again) && again == day);
  }

  // A token from any other listing (or none) is refused, never misread.
  auto key = council::DecodePageToken(input, "people");
  if (!key.ok()) FUZZ_CHECK(key.status().code() == absl::StatusCode::kInvalidArgument);
  // The input as the last key of a page comes back from its own token only.
  const std::string token = council::EncodePageToken("people", input);
  auto decoded = council::DecodePageToken(token, "people");
  FUZZ_CHECK(decoded.ok() && *decoded == input);
  FUZZ_CHECK(!council::DecodePageToken(token, "documents").ok());

  // The first 12 bytes as a proto Date (year, month, day).
  if (size >= 12) {
    int32_t fields[3];
    std::memcpy(fields, data, sizeof(fields));
    council::common::v1::Date date;
    date.set_year(fields[0]);
    date.set_month(fields[1]);
    date.set_day(fields[2]);
    auto civil = council::ToCivilDay(date, "date");
    if (civil.ok()) {
      const auto back = council::ToProtoDate(*civil);
      FUZZ_CHECK(back.year() == date.year() && back.month() == date.month() &&
                 back.day() == date.day());
    }
  }
  return 0;
}
