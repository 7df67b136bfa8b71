#include "tools/councilctl/output_table.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"

namespace council::ctl {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr size_t kMaxCell = 40;

std::string EnumText(const google::protobuf::EnumValueDescriptor* value);

bool IsDate(const Descriptor* type) { return type->full_name() == "council.common.v1.Date"; }
bool IsTimestamp(const Descriptor* type) {
  return type->full_name() == "google.protobuf.Timestamp";
}

// A column: a field of plain values (a list of them joined by commas), a
// date or a timestamp.
bool IsColumn(const FieldDescriptor* field) {
  if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return true;
  return !field->is_repeated() &&
         (IsDate(field->message_type()) || IsTimestamp(field->message_type()));
}

std::string Value(const Message& row, const FieldDescriptor* field, int index) {
  const Reflection* r = row.GetReflection();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: return r->GetRepeatedString(row, field, index);
    case FieldDescriptor::CPPTYPE_INT32: return absl::StrCat(r->GetRepeatedInt32(row, field, index));
    case FieldDescriptor::CPPTYPE_INT64: return absl::StrCat(r->GetRepeatedInt64(row, field, index));
    case FieldDescriptor::CPPTYPE_ENUM: return EnumText(r->GetRepeatedEnum(row, field, index));
    default: return "?";
  }
}

// "COMPLAINT_STATE_OPEN" of ComplaintState -> "OPEN".
std::string EnumText(const google::protobuf::EnumValueDescriptor* value) {
  std::string prefix;
  for (char c : value->type()->name()) {
    if (absl::ascii_isupper(static_cast<unsigned char>(c)) && !prefix.empty()) prefix += '_';
    prefix += absl::ascii_toupper(static_cast<unsigned char>(c));
  }
  absl::string_view name = value->name();
  return std::string(absl::StartsWith(name, prefix + "_") ? name.substr(prefix.size() + 1) : name);
}

std::string Cell(const Message& row, const FieldDescriptor* field) {
  const Reflection* r = row.GetReflection();
  std::string text;
  if (field->is_repeated()) {
    for (int i = 0; i < r->FieldSize(row, field); ++i)
      absl::StrAppend(&text, i ? "," : "", Value(row, field, i));
  } else if (!r->HasField(row, field) && field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    return "";
  } else switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: text = r->GetString(row, field); break;
    case FieldDescriptor::CPPTYPE_INT32: text = absl::StrCat(r->GetInt32(row, field)); break;
    case FieldDescriptor::CPPTYPE_INT64: text = absl::StrCat(r->GetInt64(row, field)); break;
    case FieldDescriptor::CPPTYPE_UINT32: text = absl::StrCat(r->GetUInt32(row, field)); break;
    case FieldDescriptor::CPPTYPE_UINT64: text = absl::StrCat(r->GetUInt64(row, field)); break;
    case FieldDescriptor::CPPTYPE_DOUBLE: text = absl::StrCat(r->GetDouble(row, field)); break;
    case FieldDescriptor::CPPTYPE_FLOAT: text = absl::StrCat(r->GetFloat(row, field)); break;
    case FieldDescriptor::CPPTYPE_BOOL: text = r->GetBool(row, field) ? "yes" : ""; break;
    case FieldDescriptor::CPPTYPE_ENUM:
      // The zero value means unset (AIP-126): a blank cell, as for text.
      if (r->GetEnum(row, field)->number() != 0) text = EnumText(r->GetEnum(row, field));
      break;
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      const Message& value = r->GetMessage(row, field);
      const Descriptor* type = value.GetDescriptor();
      const Reflection* vr = value.GetReflection();
      auto number = [&](const char* name) {
        return vr->GetInt32(value, type->FindFieldByName(name));
      };
      if (IsDate(type)) {
        text = absl::StrFormat("%04d-%02d-%02d", number("year"), number("month"), number("day"));
      } else {
        const int64_t seconds = vr->GetInt64(value, type->FindFieldByName("seconds"));
        text = absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(seconds),
                                absl::UTCTimeZone());
      }
      break;
    }
  }
  // One line per row, and a long value does not push the others off screen.
  std::replace(text.begin(), text.end(), '\n', ' ');
  if (text.size() > kMaxCell) text = text.substr(0, kMaxCell - 3) + "...";
  return text;
}

bool Unset(const Message& row, const FieldDescriptor* field) {
  if (field->is_repeated()) return row.GetReflection()->FieldSize(row, field) == 0;
  return field->has_presence() ? !row.GetReflection()->HasField(row, field) : Cell(row, field).empty();
}

}  // namespace

bool FormatListAsTable(const Message& message, std::string* out) {
  const Descriptor* type = message.GetDescriptor();
  const FieldDescriptor* token = type->FindFieldByName("next_page_token");
  const bool list = token != nullptr ||
                    (absl::StartsWith(type->name(), "List") && absl::EndsWith(type->name(), "Response"));
  if (!list) return false;
  const FieldDescriptor* items = nullptr;
  for (int i = 0; i < type->field_count() && items == nullptr; ++i)
    if (type->field(i)->is_repeated() &&
        type->field(i)->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !type->field(i)->is_map())
      items = type->field(i);
  if (items == nullptr) return false;
  const Reflection* reflection = message.GetReflection();
  const int count = reflection->FieldSize(message, items);
  const Descriptor* item_type = items->message_type();

  // The columns some row has a value in, in the message's order; what does
  // not fit a cell (a decision with its clauses) is named below the table.
  std::vector<const FieldDescriptor*> columns;
  std::vector<std::string> not_shown;
  for (int i = 0; i < item_type->field_count(); ++i) {
    const FieldDescriptor* field = item_type->field(i);
    for (int row = 0; row < count; ++row)
      if (!Unset(reflection->GetRepeatedMessage(message, items, row), field)) {
        if (IsColumn(field))
          columns.push_back(field);
        else
          not_shown.push_back(field->name());
        break;
      }
  }
  if (count > 0 && columns.empty()) return false;

  std::vector<std::vector<std::string>> cells;
  std::vector<std::string> header;
  for (const FieldDescriptor* column : columns) header.push_back(absl::AsciiStrToUpper(column->name()));
  cells.push_back(header);
  for (int row = 0; row < count; ++row) {
    std::vector<std::string> line;
    for (const FieldDescriptor* column : columns)
      line.push_back(Cell(reflection->GetRepeatedMessage(message, items, row), column));
    cells.push_back(std::move(line));
  }
  std::vector<size_t> widths(columns.size(), 0);
  for (const auto& line : cells)
    for (size_t c = 0; c < line.size(); ++c) widths[c] = std::max(widths[c], line[c].size());
  out->clear();
  if (count == 0) {
    absl::StrAppend(out, "(no ", items->name(), ")\n");
  } else {
    for (const auto& line : cells) {
      std::string text;
      for (size_t c = 0; c < line.size(); ++c)
        absl::StrAppend(&text, line[c],
                        c + 1 < line.size() ? std::string(widths[c] - line[c].size() + 2, ' ') : "");
      absl::StrAppend(out, absl::StripTrailingAsciiWhitespace(text), "\n");
    }
  }
  if (!not_shown.empty())
    absl::StrAppend(out, "not shown: ", absl::StrJoin(not_shown, ", "),
                    " (--json, or the get command, shows every field)\n");
  if (token != nullptr && token->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
    const std::string next = reflection->GetString(message, token);
    if (!next.empty()) absl::StrAppend(out, "next page: --page-token=", next, "\n");
  }
  return true;
}

}  // namespace council::ctl
