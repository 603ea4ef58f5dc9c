// Validation of plans resources and requests. Pure: no I/O. Each function
// adds a violation per bad field, with field paths as the caller sees them
// (e.g. "plan.period.end_year").
#ifndef HELHED_SERVICES_PLANS_DOMAIN_VALIDATION_H_
#define HELHED_SERVICES_PLANS_DOMAIN_VALIDATION_H_

#include <string>

#include "common/status/field_violations.h"
#include "helhed/plans/v1/resources.pb.h"

namespace helhed::plans {

// `p` is the field path prefix, e.g. "policy".
void ValidatePolicy(const v1::Policy& m, const std::string& p, FieldViolations& v);
void ValidatePlan(const v1::Plan& m, const std::string& p, FieldViolations& v);
void ValidateTrack(const v1::Track& m, const std::string& p, FieldViolations& v);
void ValidateInitiativeArea(const v1::InitiativeArea& m, const std::string& p, FieldViolations& v);
void ValidateActivity(const v1::Activity& m, const std::string& p, FieldViolations& v);
void ValidateIndicator(const v1::Indicator& m, const std::string& p, FieldViolations& v);
void ValidateCitizenPlan(const v1::CitizenPlan& m, const std::string& p, FieldViolations& v);
void ValidateGoal(const v1::Goal& m, const std::string& p, FieldViolations& v);
void ValidateAction(const v1::Action& m, const std::string& p, FieldViolations& v);
void ValidateProgress(const v1::ActivityProgress& m, const std::string& p, FieldViolations& v);
void ValidateMeasurement(const v1::Measurement& m, const std::string& p, FieldViolations& v);
void ValidateAssessment(const v1::Assessment& m, const std::string& p, FieldViolations& v);
void ValidateYearlyFocus(const v1::YearlyFocus& m, const std::string& p, FieldViolations& v);

}  // namespace helhed::plans

#endif  // HELHED_SERVICES_PLANS_DOMAIN_VALIDATION_H_
