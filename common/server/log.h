// log.h — structured log lines: one JSON object per line on stderr.
//
// Operators grep and ship these; every line has "time", "level", "service" and
// "event", then the fields given:
//
//   LogInfo("listening", {{"address", "127.0.0.1:7001"}});
//   // {"time":"2026-11-23T19:20:00.123456Z","level":"info","service":"relations-service","event":"listening","address":"127.0.0.1:7001"}
#ifndef COUNCIL_COMMON_SERVER_LOG_H_
#define COUNCIL_COMMON_SERVER_LOG_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace council {

using LogFields = std::vector<std::pair<std::string, std::string>>;

// SetLogServiceName
//
// Sets the "service" field of every later line (call once in main).
void SetLogServiceName(absl::string_view name);

// RouteProtobufLogs
//
// Makes the protobuf library's own messages (such as "String field ...
// contains invalid UTF-8 data", printed whenever a caller sends such a
// request) structured lines of event "protobuf" too, cut to a few hundred
// bytes, instead of free text on stderr. Call once in main.
void RouteProtobufLogs();

// LogInfo, LogWarning, LogError
//
// Write one line at the level. Thread-safe; a line is written whole.
void LogInfo(absl::string_view event, const LogFields& fields = {});
void LogWarning(absl::string_view event, const LogFields& fields = {});
void LogError(absl::string_view event, const LogFields& fields = {});

}  // namespace council

#endif  // COUNCIL_COMMON_SERVER_LOG_H_
