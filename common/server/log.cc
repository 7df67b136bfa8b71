#include "common/server/log.h"

#include <cstdio>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace council {
namespace {

absl::Mutex log_mutex;
std::string& ServiceName() {
  static auto* name = new std::string("council");
  return *name;
}

void AppendJsonString(std::string* out, absl::string_view value) {
  // Utf8SafeCHexEscape keeps UTF-8 and escapes quotes, backslashes and control
  // characters, which is valid JSON for everything we log.
  absl::StrAppend(out, "\"", absl::Utf8SafeCHexEscape(value), "\"");
}

void Write(absl::string_view level, absl::string_view event, const LogFields& fields) {
  std::string line = "{\"time\":";
  AppendJsonString(&line, absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(),
                                           absl::UTCTimeZone()));
  absl::StrAppend(&line, ",\"level\":");
  AppendJsonString(&line, level);
  absl::StrAppend(&line, ",\"service\":");
  {
    absl::MutexLock lock(&log_mutex);
    AppendJsonString(&line, ServiceName());
  }
  absl::StrAppend(&line, ",\"event\":");
  AppendJsonString(&line, event);
  for (const auto& [key, value] : fields) {
    absl::StrAppend(&line, ",");
    AppendJsonString(&line, key);
    absl::StrAppend(&line, ":");
    AppendJsonString(&line, value);
  }
  line += "}\n";
  absl::MutexLock lock(&log_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace

void SetLogServiceName(absl::string_view name) {
  absl::MutexLock lock(&log_mutex);
  ServiceName() = std::string(name);
}

void LogInfo(absl::string_view event, const LogFields& fields) { Write("info", event, fields); }
void LogWarning(absl::string_view event, const LogFields& fields) {
  Write("warning", event, fields);
}
void LogError(absl::string_view event, const LogFields& fields) { Write("error", event, fields); }

}  // namespace council
