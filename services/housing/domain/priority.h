// The priority of housing applications (docs/HOUSING.md). Pure.
//
// total = situation points (the rule's entry for the application's
// situation, 0 if none) + min(points_per_waiting_week * waiting_days / 7,
// max_waiting_points) + the points of each vulnerability flag the
// application has. waiting_days counts from the screening date to `today`
// (0 if the screening date is missing or later than today).
#ifndef HELHED_SERVICES_HOUSING_DOMAIN_PRIORITY_H_
#define HELHED_SERVICES_HOUSING_DOMAIN_PRIORITY_H_

#include <array>
#include <string>

#include "absl/time/civil_time.h"
#include "common/i18n/language.h"
#include "common/status/field_violations.h"
#include "helhed/housing/v1/resources.pb.h"

namespace helhed::housing {

// Points as a reader of `language` writes them, at most one decimal:
// "40 point", "12,9 point" / "12.9 points", never "-0".
std::string PointsText(i18n::Language language, double points);

// The built-in rule, used until a municipality sets its own:
//   street 40, shelter 30, leaving prison 30, leaving treatment 30,
//   at risk of eviction 25, sofa-surfing 20, temporary residence 15,
//   housed 0; 1 point per waiting week up to 52; flags: dual diagnosis 15,
//   violence 15, long-term homeless 15, mental illness 10, substance use
//   10, young adult 10, children 10, physical disability 5.
v1::PriorityRule DefaultPriorityRule();

// Each situation and flag at most once and not UNSPECIFIED/unknown; every
// points value finite and 0-1000; points_per_waiting_week 0-100;
// max_waiting_points 0-1000. Paths under `p`, e.g. "rule.situations[2].points".
void ValidatePriorityRule(const v1::PriorityRule& rule, const std::string& p, FieldViolations& v);

// A rule compiled for scoring many applications on one day. Thread-safe
// (const).
class PriorityScorer {
 public:
  PriorityScorer(const v1::PriorityRule& rule, absl::CivilDay today);

  // The total only; cheap.
  double Total(const v1::Application& app) const;
  // The total with its parts: one "situation" part, one "waiting" part and
  // one "flag" part per flag with points (in the application's flag order).
  // Each part's detail in `language`: the situation's and flag's names
  // (i18n::EnumName), "12 uger siden visitationen" / "12 weeks since
  // screening" or "ingen visitationsdato" / "no screening date".
  v1::Priority Explain(const v1::Application& app, i18n::Language language) const;
  int WaitingDays(const v1::Application& app) const;

 private:
  std::array<double, 16> situation_{};
  std::array<double, 16> flag_{};
  double per_week_ = 0;
  double max_waiting_ = 0;
  absl::CivilDay today_;
};

}  // namespace helhed::housing

#endif  // HELHED_SERVICES_HOUSING_DOMAIN_PRIORITY_H_
