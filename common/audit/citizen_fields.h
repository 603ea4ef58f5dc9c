// What a message says about citizens, found through its descriptors, never
// by hand per method:
//  - citizen ids: string fields marked (helhed.common.v1.citizen_ref);
//  - records about one citizen: string fields marked
//    (helhed.common.v1.citizen_record) = "<kind>" (a goal, a match, an
//    offer, ...), which the service owning the record resolves to its
//    citizen (common/audit/attribution.h).
// Both at any depth (nested and repeated messages, repeated strings); empty
// values are skipped; results are sorted and unique. Thread-safe.
#ifndef HELHED_COMMON_AUDIT_CITIZEN_FIELDS_H_
#define HELHED_COMMON_AUDIT_CITIZEN_FIELDS_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace helhed::audit {

// Citizen ids the message carries (citizen_ref fields).
std::vector<std::string> CitizenRefs(const google::protobuf::Message& message);

// Ids of records about one citizen the message carries, by kind
// (citizen_record fields).
std::map<std::string, std::vector<std::string>> CitizenRecords(
    const google::protobuf::Message& message);

// Whether messages of this type can carry a citizen id at all (cached per
// descriptor): lets callers skip parsing for most calls.
bool MayCarryCitizenRefs(const google::protobuf::Descriptor* type);
// Whether messages of this type can name a record about one citizen.
bool MayNameCitizenRecords(const google::protobuf::Descriptor* type);
// Either: whether a message of this type can reveal anything about one
// citizen, by the API's own markings.
inline bool ConcernsCitizens(const google::protobuf::Descriptor* type) {
  return MayCarryCitizenRefs(type) || MayNameCitizenRecords(type);
}

// Every record kind named by a citizen_record field reachable from `type`.
std::set<std::string> RecordKinds(const google::protobuf::Descriptor* type);

// Parses `bytes` as `type` (from the generated pool) and returns its refs;
// INVALID_ARGUMENT if the bytes do not parse.
absl::StatusOr<std::vector<std::string>> CitizenRefsOf(const google::protobuf::Descriptor* type,
                                                       const std::string& bytes);

}  // namespace helhed::audit

#endif  // HELHED_COMMON_AUDIT_CITIZEN_FIELDS_H_
