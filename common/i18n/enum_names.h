// The name of an enum value as a person reads it, from the value's proto
// options (helhed.common.v1.name_da / name_en in proto/helhed/common/v1/
// common.proto), so reports, reasons and any client reading the descriptors
// use the same words:
//   i18n::EnumName(lang, helhed::common::v1::LIFE_AREA_MASTER)  // "at mestre"
#ifndef HELHED_COMMON_I18N_ENUM_NAMES_H_
#define HELHED_COMMON_I18N_ENUM_NAMES_H_

#include <string>
#include <type_traits>

#include "common/i18n/language.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/generated_enum_reflection.h"

namespace helhed::i18n {

// The value's name in `language`; its proto name when the option is missing
// (tests/unit/enum_names_test.cc makes sure none is), "?" for null.
std::string EnumName(Language language, const google::protobuf::EnumValueDescriptor* value);

template <typename E, typename = std::enable_if_t<std::is_enum_v<E>>>
std::string EnumName(Language language, E value) {
  const auto* d =
      google::protobuf::GetEnumDescriptor<E>()->FindValueByNumber(static_cast<int>(value));
  return d == nullptr ? std::to_string(static_cast<int>(value)) : EnumName(language, d);
}

}  // namespace helhed::i18n

#endif  // HELHED_COMMON_I18N_ENUM_NAMES_H_
