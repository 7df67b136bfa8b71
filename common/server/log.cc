#include "common/server/log.h"

#include <cstdio>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/stubs/logging.h"

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

void RouteProtobufLogs() {
  google::protobuf::SetLogHandler([](google::protobuf::LogLevel level, const char* /*file*/,
                                     int /*line*/, const std::string& message) {
    const LogFields fields = {{"message", message.substr(0, 300)}};
    if (level <= google::protobuf::LOGLEVEL_INFO) {
      Write("info", "protobuf", fields);
    } else if (level == google::protobuf::LOGLEVEL_WARNING) {
      Write("warning", "protobuf", fields);
    } else {
      Write("error", "protobuf", fields);
    }
  });
}

void LogInfo(absl::string_view event, const LogFields& fields) { Write("info", event, fields); }
void LogWarning(absl::string_view event, const LogFields& fields) {
  Write("warning", event, fields);
}
void LogError(absl::string_view event, const LogFields& fields) { Write("error", event, fields); }

}  // namespace council
