#include "common/audit/citizen_fields.h"

#include <algorithm>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "helhed/common/v1/common.pb.h"

namespace helhed::audit {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

bool IsRefField(const FieldDescriptor* field) {
  return field->type() == FieldDescriptor::TYPE_STRING &&
         field->options().GetExtension(helhed::common::v1::citizen_ref);
}

const std::string& RecordKindOf(const FieldDescriptor* field) {
  static const std::string* const kNone = new std::string();
  if (field->type() != FieldDescriptor::TYPE_STRING) return *kNone;
  return field->options().GetExtension(helhed::common::v1::citizen_record);
}

// What every type reachable from one root carries.
struct Summary {
  bool refs = false;
  std::set<std::string> kinds;
};

// Per-descriptor summaries. Descriptors live as long as their pool; the
// generated pool lives for the whole process.
class SummaryCache {
 public:
  const Summary& Get(const Descriptor* root) {
    {
      absl::ReaderMutexLock lock(&mu_);
      const auto it = cache_.find(root);
      if (it != cache_.end()) return *it->second;
    }
    auto summary = std::make_unique<Summary>(Compute(root));
    absl::MutexLock lock(&mu_);
    auto [it, inserted] = cache_.emplace(root, std::move(summary));
    return *it->second;
  }

 private:
  // A plain reachability search with a visited set, so types that contain
  // themselves (directly or through others) end it.
  static Summary Compute(const Descriptor* root) {
    Summary out;
    std::vector<const Descriptor*> stack = {root};
    absl::flat_hash_set<const Descriptor*> seen = {root};
    while (!stack.empty()) {
      const Descriptor* type = stack.back();
      stack.pop_back();
      for (int i = 0; i < type->field_count(); ++i) {
        const FieldDescriptor* field = type->field(i);
        if (IsRefField(field)) out.refs = true;
        const std::string& kind = RecordKindOf(field);
        if (!kind.empty()) out.kinds.insert(kind);
        if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          const Descriptor* inner = field->message_type();
          if (seen.insert(inner).second) stack.push_back(inner);
        }
      }
    }
    return out;
  }

  absl::Mutex mu_;
  absl::flat_hash_map<const Descriptor*, std::unique_ptr<Summary>> cache_ ABSL_GUARDED_BY(mu_);
};

SummaryCache& Cache() {
  static SummaryCache* const cache = new SummaryCache();
  return *cache;
}

void AddString(const Message& message, const FieldDescriptor* field,
               std::vector<std::string>& out) {
  const Reflection* reflection = message.GetReflection();
  if (field->is_repeated()) {
    const int n = reflection->FieldSize(message, field);
    for (int i = 0; i < n; ++i) {
      std::string value = reflection->GetRepeatedString(message, field, i);
      if (!value.empty()) out.push_back(std::move(value));
    }
  } else {
    std::string value = reflection->GetString(message, field);
    if (!value.empty()) out.push_back(std::move(value));
  }
}

// Visits every set field of `message` and of the messages inside it that
// can hold something of interest (`relevant`).
template <typename Relevant, typename Visit>
void Walk(const Message& message, const Relevant& relevant, const Visit& visit) {
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (!relevant(field->message_type())) continue;
      if (field->is_repeated()) {
        const int n = reflection->FieldSize(message, field);
        for (int i = 0; i < n; ++i) {
          Walk(reflection->GetRepeatedMessage(message, field, i), relevant, visit);
        }
      } else {
        Walk(reflection->GetMessage(message, field), relevant, visit);
      }
    } else {
      visit(message, field);
    }
  }
}

void SortUnique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

bool MayCarryCitizenRefs(const Descriptor* type) {
  return type != nullptr && Cache().Get(type).refs;
}

bool MayNameCitizenRecords(const Descriptor* type) {
  return type != nullptr && !Cache().Get(type).kinds.empty();
}

std::set<std::string> RecordKinds(const Descriptor* type) {
  if (type == nullptr) return {};
  return Cache().Get(type).kinds;
}

std::vector<std::string> CitizenRefs(const Message& message) {
  std::vector<std::string> out;
  if (!MayCarryCitizenRefs(message.GetDescriptor())) return out;
  Walk(message, MayCarryCitizenRefs, [&](const Message& m, const FieldDescriptor* field) {
    if (IsRefField(field)) AddString(m, field, out);
  });
  SortUnique(out);
  return out;
}

std::map<std::string, std::vector<std::string>> CitizenRecords(const Message& message) {
  std::map<std::string, std::vector<std::string>> out;
  if (!MayNameCitizenRecords(message.GetDescriptor())) return out;
  Walk(message, MayNameCitizenRecords, [&](const Message& m, const FieldDescriptor* field) {
    const std::string& kind = RecordKindOf(field);
    if (!kind.empty()) AddString(m, field, out[kind]);
  });
  for (auto it = out.begin(); it != out.end();) {
    SortUnique(it->second);
    it = it->second.empty() ? out.erase(it) : std::next(it);
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> CitizenRefsOf(const Descriptor* type,
                                                       const std::string& bytes) {
  if (type == nullptr) return absl::InvalidArgumentError("no message type given");
  const Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type);
  if (prototype == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("message type ", type->full_name(), " is not a generated type"));
  }
  std::unique_ptr<Message> message(prototype->New());
  if (!message->ParseFromString(bytes)) {
    return absl::InvalidArgumentError(absl::StrCat("bytes do not parse as ", type->full_name()));
  }
  return CitizenRefs(*message);
}

}  // namespace helhed::audit
