// The yearly status report of a plan, and stale-item detection. Pure
// functions over already-loaded resources: no I/O, no clock.
#ifndef HELHED_SERVICES_PLANS_DOMAIN_STATUS_REPORT_H_
#define HELHED_SERVICES_PLANS_DOMAIN_STATUS_REPORT_H_

#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/i18n/language.h"
#include "google/type/date.pb.h"
#include "helhed/plans/v1/plans_service.pb.h"
#include "helhed/plans/v1/resources.pb.h"

namespace helhed::plans {

struct ReportInput {
  v1::Plan plan;
  std::vector<v1::Track> tracks;
  std::vector<v1::InitiativeArea> areas;  // in report order
  std::vector<v1::Activity> activities;
  std::map<std::string, std::vector<v1::ActivityProgress>> progress;  // by activity id
  std::vector<v1::Indicator> indicators;
  std::map<std::string, std::vector<v1::Measurement>> measurements;  // by indicator id
  std::vector<std::string> focus_area_ids;                           // the year's focus, if any
  int year = 0;
  google::type::Date as_of;
};

v1::StatusReport BuildStatusReport(const ReportInput& in);

// Markdown for the council committees, in `language` (wording from the
// catalogue common/i18n/catalogue/<language>/plans.txt, numbers and dates as
// a reader of the language writes them): the plan's owner and target groups,
// a summary, and per initiative area its track, target groups, life areas
// and responsible unit, activity counts by status, what changed, what is
// overdue (with who is responsible), and indicators against their targets.
// `source` is what `report` was built from; it gives the details the
// structured report does not carry.
std::string RenderMarkdown(const v1::StatusReport& report, const ReportInput& source,
                           i18n::Language language);

// Share of the way from baseline to target reached by `latest`.
double IndicatorProgress(const v1::Indicator& indicator, double latest);
bool TargetMet(const v1::Indicator& indicator, double latest);

// Activities (not completed or cancelled) and indicators whose last update
// (progress, measurement, or else creation) is at least `days` old at `now`,
// longest unattended first.
std::vector<v1::StaleItem> FindStaleItems(const std::vector<v1::Activity>& activities,
                                          const std::vector<v1::Indicator>& indicators,
                                          absl::Time now, int days);

// "as of" default: today, or the last day of `year` if that is earlier.
google::type::Date DefaultAsOf(int year, absl::Time now);

}  // namespace helhed::plans

#endif  // HELHED_SERVICES_PLANS_DOMAIN_STATUS_REPORT_H_
