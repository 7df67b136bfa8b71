// text_fields.h — refuses control characters in the text of a record.
//
// Every text field the directory and the declarations keep is shown to people
// (registers, chains, councilctl's tables) and passed to C APIs and logs. A
// NUL byte cuts a C string short, so SQLite's text functions, a log line or
// a terminal would show something other than what was stored; other control
// characters (ESC) can rewrite a terminal. Protobuf accepts both as valid
// UTF-8, so they are refused here, naming the field:
//
//   if (auto s = CheckTextFields(request.person(), "person."); !s.ok()) return s;
//   // INVALID_ARGUMENT: person.display_name: contains a control character
//   // (U+0000 at character 7) ...
#ifndef COUNCIL_RELATIONS_SERVICE_TEXT_FIELDS_H_
#define COUNCIL_RELATIONS_SERVICE_TEXT_FIELDS_H_

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/status.h"

namespace council::relations {

// CheckTextFields
//
// OK, or INVALID_ARGUMENT naming the first string field of `message` (nested
// and repeated fields included, depth first in field-number order; the path
// prefixed with `prefix`: "people[3].display_name", "tenures[0].person")
// that holds a C0 control character other than tab, line feed and carriage
// return, or DEL. The message says which character and where, never the text.
grpc::Status CheckTextFields(const google::protobuf::Message& message, absl::string_view prefix);

}  // namespace council::relations

#endif  // COUNCIL_RELATIONS_SERVICE_TEXT_FIELDS_H_
