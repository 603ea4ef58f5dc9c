#include "common/i18n/enum_names.h"

#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/message.h"
#include "helhed/common/v1/common.pb.h"

namespace helhed::i18n {

std::string EnumName(Language language, const google::protobuf::EnumValueDescriptor* value) {
  if (value == nullptr) return "?";
  const google::protobuf::EnumValueOptions& options = value->options();
  const std::string& name = language == Language::kEnglish
                                ? options.GetExtension(helhed::common::v1::name_en)
                                : options.GetExtension(helhed::common::v1::name_da);
  return name.empty() ? value->name() : name;
}

}  // namespace helhed::i18n
