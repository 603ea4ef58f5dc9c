// CPR numbers: form checks and the keyed pseudonym. Pure; thread-safe.
#ifndef HELHED_SERVICES_GATEWAY_AUDIT_CPR_H_
#define HELHED_SERVICES_GATEWAY_AUDIT_CPR_H_

#include <string>

#include "absl/status/statusor.h"

namespace helhed::gateway {

// "DDMMYY-SSSS" or "DDMMYYSSSS". The date must exist; the century follows
// the CPR rule from the 7th digit (0-3: 1900s; 4 and 9: 2000s if YY <= 36
// else 1900s; 5-8: 2000s if YY <= 57 else 1800s). No modulus-11 check (not
// used since 2007). Returns the ten digits; INVALID_ARGUMENT with field
// "cpr" otherwise (never echoing the value).
absl::StatusOr<std::string> NormalizeCpr(const std::string& cpr);

// The pseudonymous citizen id: "c" + the first 32 hex characters of
// HMAC-SHA256(key, ten digits). Key at least 32 bytes.
std::string CitizenPseudonym(const std::string& key, const std::string& ten_digits);

}  // namespace helhed::gateway

#endif  // HELHED_SERVICES_GATEWAY_AUDIT_CPR_H_
