#include "services/gateway/audit/citizen_refs.h"

#include <algorithm>
#include <memory>
#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/message.h"
#include "helhed/common/v1/common.pb.h"

namespace helhed::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

bool IsCitizenRefField(const FieldDescriptor* field) {
  return field->type() == FieldDescriptor::TYPE_STRING &&
         field->options().GetExtension(helhed::common::v1::citizen_ref);
}

// The per-descriptor answers of MayCarryCitizenRefs. Descriptors live as
// long as their pool; the generated pool lives for the whole process.
class RefCache {
 public:
  std::optional<bool> Find(const Descriptor* type) const {
    absl::ReaderMutexLock lock(&mu_);
    const auto it = cache_.find(type);
    if (it == cache_.end()) return std::nullopt;
    return it->second;
  }
  void Store(const Descriptor* type, bool value) {
    absl::MutexLock lock(&mu_);
    cache_.emplace(type, value);
  }

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<const Descriptor*, bool> cache_ ABSL_GUARDED_BY(mu_);
};

RefCache& Cache() {
  static RefCache* const cache = new RefCache();
  return *cache;
}

// Whether any message type reachable from `root` (itself included) has a
// citizen_ref string field. A plain reachability search with a visited set,
// so types that contain themselves (directly or through others) end it; only
// the root's answer is cached, since an answer for an inner type computed
// while one of its containers is still being visited could be incomplete.
bool Reaches(const Descriptor* root) {
  std::vector<const Descriptor*> stack = {root};
  absl::flat_hash_set<const Descriptor*> seen = {root};
  while (!stack.empty()) {
    const Descriptor* type = stack.back();
    stack.pop_back();
    if (type != root) {
      // A complete answer for an inner type settles its whole subtree.
      const std::optional<bool> known = Cache().Find(type);
      if (known.has_value()) {
        if (*known) return true;
        continue;
      }
    }
    for (int i = 0; i < type->field_count(); ++i) {
      const FieldDescriptor* field = type->field(i);
      if (IsCitizenRefField(field)) return true;
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        const Descriptor* inner = field->message_type();
        if (seen.insert(inner).second) stack.push_back(inner);
      }
    }
  }
  return false;
}

void Collect(const Message& message, std::vector<std::string>& out) {
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (!MayCarryCitizenRefs(field->message_type())) continue;
      if (field->is_repeated()) {
        const int n = reflection->FieldSize(message, field);
        for (int i = 0; i < n; ++i) Collect(reflection->GetRepeatedMessage(message, field, i), out);
      } else {
        Collect(reflection->GetMessage(message, field), out);
      }
    } else if (IsCitizenRefField(field)) {
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
  }
}

}  // namespace

std::vector<std::string> CitizenRefs(const google::protobuf::Message& message) {
  std::vector<std::string> out;
  if (!MayCarryCitizenRefs(message.GetDescriptor())) return out;
  Collect(message, out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool MayCarryCitizenRefs(const google::protobuf::Descriptor* type) {
  if (type == nullptr) return false;
  if (const std::optional<bool> known = Cache().Find(type); known.has_value()) return *known;
  const bool value = Reaches(type);
  Cache().Store(type, value);
  return value;
}

absl::StatusOr<std::vector<std::string>> CitizenRefsOf(const google::protobuf::Descriptor* type,
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

}  // namespace helhed::gateway
