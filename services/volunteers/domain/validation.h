// Validation of volunteer-service resources and requests. Pure. Field paths
// as the caller sees them, e.g. "volunteer.availability[2].end_minute".
#ifndef HELHED_SERVICES_VOLUNTEERS_DOMAIN_VALIDATION_H_
#define HELHED_SERVICES_VOLUNTEERS_DOMAIN_VALIDATION_H_

#include <string>

#include "absl/time/time.h"
#include "common/status/field_violations.h"
#include "helhed/volunteers/v1/resources.pb.h"

namespace helhed::volunteers {


void ValidateOrganisation(const v1::Organisation& m, const std::string& p, FieldViolations& v);
void ValidateVolunteer(const v1::Volunteer& m, const std::string& p, FieldViolations& v);
void ValidateActivity(const v1::Activity& m, const std::string& p, FieldViolations& v);
void ValidateAccompanimentRequest(const v1::AccompanimentRequest& m, const std::string& p,
                                  FieldViolations& v);
void ValidateHoursEntry(const v1::HoursEntry& m, const std::string& p, FieldViolations& v);
void ValidateEvaluation(const v1::Evaluation& m, const std::string& p, FieldViolations& v);

// Field helpers other validators reuse.
void ValidatePostcode(const std::string& field, const std::string& postcode, bool required,
                      FieldViolations& v);
void ValidateLanguage(const std::string& field, const std::string& code, FieldViolations& v);
// Lower-case tags (letters incl. æøå, digits, '-', ' '), 1-50 characters each.
void ValidateTag(const std::string& field, const std::string& tag, FieldViolations& v);

// Whether `start` is the start of an occurrence of `activity` (the one-off
// start, or a weekly occurrence between first and last date, Danish local
// time).
bool IsOccurrence(const v1::Activity& activity, absl::Time start);
// The occurrence's end.
absl::Time OccurrenceEnd(const v1::Activity& activity, absl::Time start);

}  // namespace helhed::volunteers

#endif  // HELHED_SERVICES_VOLUNTEERS_DOMAIN_VALIDATION_H_
