#include "common/errors/field_error.h"

#include <utility>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace council {
namespace {

// Not a protobuf type: the payload only ever travels inside this process.
constexpr absl::string_view kPayloadType = "council.gov.uk/field-error";

}  // namespace

absl::Status FieldError(absl::string_view field, absl::string_view description,
                        absl::string_view rule) {
  absl::Status status = absl::InvalidArgumentError(absl::StrCat(field, ": ", description));
  // field NUL rule NUL description: none of them can hold a NUL that matters
  // (the gateway refuses NULs in strings; fields and rules are ours).
  status.SetPayload(kPayloadType,
                    absl::Cord(absl::StrCat(field, std::string(1, '\0'), rule,
                                            std::string(1, '\0'), description)));
  return status;
}

std::optional<FieldErrorParts> FieldErrorOf(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kInvalidArgument) return std::nullopt;
  auto payload = status.GetPayload(kPayloadType);
  if (!payload) return std::nullopt;
  const std::string flat(*payload);
  std::vector<std::string> parts = absl::StrSplit(flat, absl::MaxSplits('\0', 2));
  if (parts.size() != 3) return std::nullopt;
  return FieldErrorParts{std::move(parts[0]), std::move(parts[2]), std::move(parts[1])};
}

}  // namespace council
