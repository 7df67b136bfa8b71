// Fuzzes ParseProfile (common/profile/profile_loader.h): a council's profile,
// text-format protobuf, parsed and validated by every service at start-up.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "common/profile/profile_loader.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto profile = council::ParseProfile(text, "fuzz.textproto");
  if (profile.ok()) {
    // The validator's promises (profile_loader.cc) for what it lets through.
    FUZZ_CHECK(*profile != nullptr);
    FUZZ_CHECK(!(*profile)->id().empty());
    FUZZ_CHECK(!(*profile)->display_name().empty());
  } else {
    // An invalid profile stops start-up with a message naming the file.
    FUZZ_CHECK(profile.status().code() == absl::StatusCode::kInvalidArgument);
    FUZZ_CHECK(profile.status().message().find("fuzz.textproto") != absl::string_view::npos);
  }
  return 0;
}
