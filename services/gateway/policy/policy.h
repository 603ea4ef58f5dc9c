// The role policy moved to common/auth/policy.h: the gateway and every
// service enforce the same file. These names keep the gateway's code as it was.
#ifndef HELHED_SERVICES_GATEWAY_POLICY_POLICY_H_
#define HELHED_SERVICES_GATEWAY_POLICY_POLICY_H_

#include "common/auth/policy.h"

namespace helhed::gateway {

using Policy = auth::Policy;
using auth::RoleFromName;
using auth::RoleName;

}  // namespace helhed::gateway

#endif  // HELHED_SERVICES_GATEWAY_POLICY_POLICY_H_
