// Finds the citizen ids a message carries: every string field marked
// (helhed.common.v1.citizen_ref) = true, at any depth (nested and repeated
// messages, repeated strings), found through the descriptors, never by hand
// per method. Empty values are skipped; the result is sorted and unique.
// Thread-safe.
#ifndef HELHED_SERVICES_GATEWAY_AUDIT_CITIZEN_REFS_H_
#define HELHED_SERVICES_GATEWAY_AUDIT_CITIZEN_REFS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace helhed::gateway {

std::vector<std::string> CitizenRefs(const google::protobuf::Message& message);

// Whether messages of this type can carry a citizen id at all (cached per
// descriptor): lets the proxy skip parsing for most calls.
bool MayCarryCitizenRefs(const google::protobuf::Descriptor* type);

// Parses `bytes` as `type` (from the generated pool) and returns its refs;
// INVALID_ARGUMENT if the bytes do not parse.
absl::StatusOr<std::vector<std::string>> CitizenRefsOf(const google::protobuf::Descriptor* type,
                                                       const std::string& bytes);

}  // namespace helhed::gateway

#endif  // HELHED_SERVICES_GATEWAY_AUDIT_CITIZEN_REFS_H_
