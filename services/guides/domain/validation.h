// Validation of guide-service resources and requests. Pure. Field paths as
// the caller sees them, e.g. "guide.experiences[1].years_ago".
#ifndef HELHED_SERVICES_GUIDES_DOMAIN_VALIDATION_H_
#define HELHED_SERVICES_GUIDES_DOMAIN_VALIDATION_H_

#include <string>

#include "common/status/field_violations.h"
#include "helhed/guides/v1/guides_service.pb.h"
#include "helhed/guides/v1/resources.pb.h"

namespace helhed::guides {


void ValidateGuide(const v1::Guide& m, const std::string& p, FieldViolations& v);
void ValidateGuidanceRequest(const v1::GuidanceRequest& m, const std::string& p,
                             FieldViolations& v);
void ValidateGroupSession(const v1::GroupSession& m, const std::string& p, FieldViolations& v);
void ValidateMeeting(const v1::Meeting& m, const std::string& p, FieldViolations& v);
// An evaluation given with EndMatch: score 1-5 when present, note <= 2000.
void ValidateMatchEvaluation(const v1::MatchEvaluation& m, const std::string& p,
                             FieldViolations& v);

}  // namespace helhed::guides

#endif  // HELHED_SERVICES_GUIDES_DOMAIN_VALIDATION_H_
