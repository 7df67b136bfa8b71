// output_table.h — a list response as a table a person can scan: one row
// per item, a column per plain field set in any item (text, numbers, enums
// without their type's prefix, dates), cells cut at 40 characters, then the
// fields that do not fit a cell (named, so nothing is silently hidden) and
// the next page's token.
//
//   NAME             DISPLAY_NAME    EMAIL
//   people/cllr-1    Ann Able        cllr.ann.able@eastmere.gov.uk
//   not shown: decision (--json, or the get command, shows every field)
//   next page: --page-token=abc
#ifndef COUNCIL_TOOLS_COUNCILCTL_OUTPUT_TABLE_H_
#define COUNCIL_TOOLS_COUNCILCTL_OUTPUT_TABLE_H_

#include <string>

#include "google/protobuf/message.h"

namespace council::ctl {

// FormatListAsTable
//
// Writes `message` as a table into `out` and returns true if it is a list
// (a message named List*Response, or with a next_page_token, whose first
// repeated field holds messages with a plain field set); false otherwise.
bool FormatListAsTable(const google::protobuf::Message& message, std::string* out);

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_OUTPUT_TABLE_H_
