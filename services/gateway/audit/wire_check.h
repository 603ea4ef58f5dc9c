// Checks a serialized request before the gateway forwards it: the bytes
// must be a well-formed message of the method's input type, every field (at
// any depth) one the type defines, with its wire type, and every string
// field valid UTF-8. Services would otherwise see a request
// they cannot parse and gRPC would answer UNIMPLEMENTED with no message; here
// the caller gets INVALID_ARGUMENT naming the field. Walks the wire format
// without building the message. Thread-safe.
#ifndef HELHED_SERVICES_GATEWAY_AUDIT_WIRE_CHECK_H_
#define HELHED_SERVICES_GATEWAY_AUDIT_WIRE_CHECK_H_

#include <string>

#include "absl/status/status.h"
#include "google/protobuf/descriptor.h"

namespace helhed::gateway {

// OK, or INVALID_ARGUMENT with a field violation: "<path>" is not valid
// UTF-8 (path like "unit.landlord" or "plan.tags[2]"); "<path>.<number>" is
// an unknown field (like "plan.999" or "999" at the top; unknown fields are
// refused, not passed on: docs/SECURITY.md); or the request does not parse.
absl::Status CheckWire(const google::protobuf::Descriptor* type, const std::string& bytes);

// A pseudonymous citizen id as the services accept it: 1-64 characters of
// A-Z a-z 0-9 - _.
bool IsCitizenId(const std::string& id);

}  // namespace helhed::gateway

#endif  // HELHED_SERVICES_GATEWAY_AUDIT_WIRE_CHECK_H_
