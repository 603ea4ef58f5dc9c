#include "services/gateway/audit/wire_check.h"

#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/status/field_violations.h"
#include "common/status/validation.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/message.h"
#include "google/protobuf/wire_format_lite.h"

namespace helhed::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::internal::WireFormatLite;

constexpr int kMaxDepth = 64;

// The first field the walk refuses (the walk goes on to check that the
// rest is well-formed).
struct Finding {
  std::string field;
  i18n::Text description;
  bool empty() const { return field.empty(); }
};

std::string PathOf(const std::string& prefix, absl::string_view name) {
  return prefix.empty() ? std::string(name) : absl::StrCat(prefix, ".", name);
}

// True if protobuf's parser would put a field with this tag into the known
// field `field` (a wire type it does not expect makes the field unknown).
bool WireTypeFits(const FieldDescriptor* field, uint32_t tag) {
  const WireFormatLite::WireType got = WireFormatLite::GetTagWireType(tag);
  const WireFormatLite::WireType want =
      WireFormatLite::WireTypeForFieldType(static_cast<WireFormatLite::FieldType>(field->type()));
  // Repeated scalars come packed or not, whichever the field declares.
  return got == want || (field->is_packable() && got == WireFormatLite::WIRETYPE_LENGTH_DELIMITED);
}

// Returns false on malformed wire data; records in *finding the first string
// that is not UTF-8 or the first field this build's protos do not define.
bool Walk(const Descriptor* type, const char* data, int size, const std::string& prefix, int depth,
          Finding* finding) {
  if (depth > kMaxDepth) return false;
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(data), size);
  std::map<int, int> seen;  // field number -> occurrences (repeated indexes)
  while (true) {
    // The end only where the bytes end: a zero or truncated tag is malformed
    // (found by tests/fuzz/gateway_fuzz: a lone 0xc6 passed here and then
    // failed to parse at the backend).
    const int before = in.CurrentPosition();
    const uint32_t tag = in.ReadTag();
    if (tag == 0) return before == size;
    const int number = WireFormatLite::GetTagFieldNumber(tag);
    const FieldDescriptor* field = type == nullptr ? nullptr : type->FindFieldByNumber(number);
    // A field number the type does not define (or one sent with a wire type
    // the field cannot have): protobuf would keep it as an unknown field,
    // which no validation and no size limit of a service sees, and which it
    // would store. Refused here by path and number (docs/SECURITY.md,
    // "Unknown fields").
    if (type != nullptr && (field == nullptr || !WireTypeFits(field, tag))) {
      if (finding->empty()) {
        finding->field = PathOf(prefix, absl::StrCat(number));
        finding->description =
            field == nullptr
                ? i18n::Later(
                      "validation.wire.unknown_field",
                      {{"number", absl::StrCat(number)}, {"type", std::string(type->full_name())}})
                : i18n::Later("validation.wire.wrong_type", {{"name", std::string(field->name())},
                                                             {"number", absl::StrCat(number)}});
      }
      if (!WireFormatLite::SkipField(&in, tag)) return false;
      continue;
    }
    const bool delimited =
        WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
    if (field != nullptr && delimited &&
        (field->type() == FieldDescriptor::TYPE_STRING ||
         field->type() == FieldDescriptor::TYPE_MESSAGE)) {
      uint32_t length = 0;
      if (!in.ReadVarint32(&length)) return false;
      std::string buffer;
      if (!in.ReadString(&buffer, static_cast<int>(length))) return false;
      std::string path = PathOf(prefix, field->name());
      if (field->is_repeated() && !field->is_map()) {
        absl::StrAppend(&path, "[", seen[number]++, "]");
      }
      if (field->type() == FieldDescriptor::TYPE_STRING) {
        if (Utf8Length(buffer) < 0 && finding->empty()) {
          finding->field = path;
          finding->description = i18n::Later("validation.text.not_utf8");
        }
      } else if (!Walk(field->message_type(), buffer.data(), static_cast<int>(buffer.size()), path,
                       depth + 1, finding)) {
        return false;
      }
      continue;
    }
    if (!WireFormatLite::SkipField(&in, tag)) return false;
  }
}

}  // namespace

absl::Status CheckWire(const Descriptor* type, const std::string& bytes) {
  Finding bad;
  if (!Walk(type, bytes.data(), static_cast<int>(bytes.size()), "", 0, &bad)) {
    return TextError(absl::StatusCode::kInvalidArgument, i18n::Later("gateway.error.unparsable"));
  }
  if (!bad.empty()) {
    return InvalidField(bad.field, bad.description);
  }
  // The walk above skips what it does not read with its own rules; the
  // backend parses with protobuf's, which are stricter in corners (an
  // overlong tag varint passed here; found by tests/fuzz/gateway_fuzz). So
  // protobuf has the last word on well-formedness.
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type);
  if (prototype != nullptr) {
    std::unique_ptr<google::protobuf::Message> parsed(prototype->New());
    if (!parsed->ParseFromString(bytes)) {
      return TextError(absl::StatusCode::kInvalidArgument, i18n::Later("gateway.error.unparsable"));
    }
  }
  return absl::OkStatus();
}

bool IsCitizenId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char ch : id) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace helhed::gateway
