#include "services/gateway/audit/wire_check.h"

#include <map>
#include <memory>

#include "absl/strings/str_cat.h"
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

// Returns false on malformed wire data; sets *bad_path on the first string
// that is not UTF-8.
bool Walk(const Descriptor* type, const char* data, int size, const std::string& prefix, int depth,
          std::string* bad_path) {
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
    const bool delimited =
        WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
    if (field != nullptr && delimited &&
        (field->type() == FieldDescriptor::TYPE_STRING ||
         field->type() == FieldDescriptor::TYPE_MESSAGE)) {
      uint32_t length = 0;
      if (!in.ReadVarint32(&length)) return false;
      std::string buffer;
      if (!in.ReadString(&buffer, static_cast<int>(length))) return false;
      std::string path = prefix.empty() ? field->name() : absl::StrCat(prefix, ".", field->name());
      if (field->is_repeated() && !field->is_map()) {
        absl::StrAppend(&path, "[", seen[number]++, "]");
      }
      if (field->type() == FieldDescriptor::TYPE_STRING) {
        if (Utf8Length(buffer) < 0) {
          if (bad_path->empty()) *bad_path = path;
        }
      } else if (!Walk(field->message_type(), buffer.data(), static_cast<int>(buffer.size()), path,
                       depth + 1, bad_path)) {
        return false;
      }
      continue;
    }
    if (!WireFormatLite::SkipField(&in, tag)) return false;
  }
}

}  // namespace

absl::Status CheckWire(const Descriptor* type, const std::string& bytes) {
  std::string bad;
  if (!Walk(type, bytes.data(), static_cast<int>(bytes.size()), "", 0, &bad)) {
    return absl::InvalidArgumentError("the request is not a well-formed message");
  }
  if (!bad.empty()) {
    return InvalidField(bad, "is not valid UTF-8");
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
      return absl::InvalidArgumentError("the request is not a well-formed message");
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
