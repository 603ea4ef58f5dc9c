// Who may call what: a policy file lists, per RPC, the roles allowed to call
// it; anything not listed is denied. Loaded and validated at start-up
// against the descriptor pool. Immutable after Load; thread-safe.
//
// File format (UTF-8 text, one rule per line, '#' starts a comment):
//   <full.service.Name>/<Method>  <role> [<role> ...]
//   <full.service.Name>/*         <role> [<role> ...]   (every method of it)
// Roles are the lower-case names of helhed.common.v1.Role without the
// prefix: caseworker, volunteer_coordinator, guide_coordinator,
// housing_officer, manager, council_member, auditor, operations.
// A method may appear on several lines (and under its service's "*"); its
// allowed roles are the union.
//
// One file (common/auth/default_policy.txt, /etc/helhed/policy/ in the image)
// serves the gateway, which checks every routed service, and each service,
// which checks its own methods again as a second line (docs/SECURITY.md).
#ifndef HELHED_COMMON_AUTH_POLICY_H_
#define HELHED_COMMON_AUTH_POLICY_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "helhed/common/v1/common.pb.h"

namespace helhed::auth {

class Policy {
 public:
  // What lines naming a service outside `services` are.
  enum class Others {
    kError,  // an error (the gateway: `services` is everything it routes)
    kSkip,   // checked for syntax and roles, then skipped (a service
             // process: `services` are its own; its pool may not know the rest)
  };
  // INVALID_ARGUMENT with "<file>:<line>: ..." for: a service or method not
  // in `pool`, a service not in `services` (unless Others::kSkip), an
  // unknown role, a line without roles, bad syntax.
  static absl::StatusOr<Policy> Parse(const std::string& text, const std::string& file_name,
                                      const google::protobuf::DescriptorPool& pool,
                                      const std::set<std::string>& services,
                                      Others others = Others::kError);
  static absl::StatusOr<Policy> Load(const std::string& path,
                                     const google::protobuf::DescriptorPool& pool,
                                     const std::set<std::string>& services,
                                     Others others = Others::kError);

  // `method` as on the wire: "/helhed.plans.v1.PlansService/ListPlans".
  bool Allows(const std::string& method, const helhed::common::v1::Principal& p) const;
  // The methods of `services` (wire form) that no rule covers.
  std::vector<std::string> Uncovered(const google::protobuf::DescriptorPool& pool,
                                     const std::set<std::string>& services) const;
  const std::map<std::string, std::set<int>>& rules() const { return rules_; }

 private:
  std::map<std::string, std::set<int>> rules_;  // wire method -> roles
};

// "caseworker" -> ROLE_CASEWORKER; ROLE_UNSPECIFIED for an unknown name.
helhed::common::v1::Role RoleFromName(const std::string& name);
std::string RoleName(helhed::common::v1::Role role);

}  // namespace helhed::auth

#endif  // HELHED_COMMON_AUTH_POLICY_H_
