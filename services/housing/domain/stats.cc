#include "services/housing/domain/stats.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/calendar/calendar.h"
#include "common/i18n/catalogue.h"
#include "common/i18n/enum_names.h"
#include "common/i18n/numbers.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"
#include "helhed/common/v1/common.pb.h"
#include "services/housing/domain/lifecycle.h"

namespace helhed::housing {
namespace {

constexpr int kRetentionDays = 365;

bool Archived(helhed::common::v1::ResourceState s) {
  return s == helhed::common::v1::RESOURCE_STATE_ARCHIVED;
}

using calendar::CivilDayOf;
using calendar::DayOf;  // the Danish day of a timestamp

// A date that is set at all (a missing google.type.Date reads as 0-0-0).
bool IsSet(const google::type::Date& d) { return d.year() != 0; }

// Whole calendar days from `from` to `to`, never negative.
int DaysBetween(absl::CivilDay from, absl::CivilDay to) {
  return static_cast<int>(std::max<int64_t>(0, calendar::DaysBetween(from, to)));
}

// Count, sum and max of whole days, for a mean and a max.
struct Days {
  int count = 0;
  long long sum = 0;
  int max = 0;

  void Add(int days) {
    ++count;
    sum += days;
    max = std::max(max, days);
  }
  double Mean() const { return count == 0 ? 0.0 : static_cast<double>(sum) / count; }
};

}  // namespace

std::map<int, WaitingDays> WaitingOf(const std::vector<v1::Application>& apps, absl::Time now) {
  const absl::CivilDay today = calendar::Today(now);
  std::map<int, Days> waiting;
  for (const v1::Application& a : apps) {
    if (Archived(a.state()) || (a.application_status() != v1::APPLICATION_STATUS_ACTIVE &&
                                a.application_status() != v1::APPLICATION_STATUS_OFFERED)) {
      continue;
    }
    const bool dated = a.has_screening_date() && IsSet(a.screening_date());
    waiting[a.situation()].Add(dated ? DaysBetween(CivilDayOf(a.screening_date()), today) : 0);
  }
  std::map<int, WaitingDays> out;
  for (const auto& [situation, d] : waiting) {
    out[situation] = WaitingDays{d.count, d.sum, d.max};
  }
  return out;
}

int64_t WaitingFromDay(const v1::Application& a) {
  if (!a.has_screening_date() || !IsSet(a.screening_date())) {
    return kNotDated;
  }
  return calendar::DayNumber(CivilDayOf(a.screening_date()));
}

std::string StatsSummary(i18n::Language lang, const v1::HousingStats& stats, int temporary_days) {
  std::vector<std::string> out;
  int vacant = 0;
  std::vector<std::string> types;
  for (const v1::VacantUnits& row : stats.vacant_units()) {
    vacant += row.count();
    types.push_back(i18n::Message(lang, "housing.stats.vacant_type",
                                  {{"unit_type", i18n::EnumName(lang, row.unit_type())},
                                   {"count", i18n::Integer(lang, row.count())}}));
  }
  if (vacant == 0) {
    out.push_back(i18n::Message(lang, "housing.stats.vacant_none"));
  } else {
    out.push_back(i18n::Message(
        lang, vacant == 1 ? "housing.stats.vacant_one" : "housing.stats.vacant",
        {{"count", i18n::Integer(lang, vacant)}, {"types", absl::StrJoin(types, ", ")}}));
  }
  int waiting = 0;
  double days = 0;
  int max_days = 0;
  for (const v1::WaitingApplications& row : stats.waiting()) {
    waiting += row.count();
    days += row.mean_waiting_days() * row.count();
    max_days = std::max(max_days, row.max_waiting_days());
  }
  if (waiting == 0) {
    out.push_back(i18n::Message(lang, "housing.stats.waiting_none"));
  } else if (waiting == 1) {
    out.push_back(i18n::Message(
        lang, "housing.stats.waiting_one",
        {{"count", i18n::Integer(lang, 1)}, {"mean_days", i18n::Integer(lang, max_days)}}));
  } else {
    out.push_back(i18n::Message(lang, "housing.stats.waiting",
                                {{"count", i18n::Integer(lang, waiting)},
                                 {"mean_days", i18n::Decimal(lang, days / waiting, 0)},
                                 {"max_days", i18n::Integer(lang, max_days)}}));
  }
  if (stats.long_stay_count() > 0) {
    out.push_back(i18n::Message(lang, "housing.stats.long_stays",
                                {{"count", i18n::Integer(lang, stats.long_stay_count())},
                                 {"days", i18n::Integer(lang, temporary_days)}}));
  }
  out.push_back(i18n::Message(lang, "housing.stats.offers",
                              {{"pending", i18n::Integer(lang, stats.offers_pending())},
                               {"accepted", i18n::Integer(lang, stats.offers_accepted())},
                               {"declined", i18n::Integer(lang, stats.offers_declined())},
                               {"expired", i18n::Integer(lang, stats.offers_expired())},
                               {"withdrawn", i18n::Integer(lang, stats.offers_withdrawn())}}));
  if (stats.retention_cohort() == 0) {
    out.push_back(i18n::Message(lang, "housing.stats.retention_none"));
  } else {
    out.push_back(i18n::Message(lang, "housing.stats.retention",
                                {{"rate", i18n::Percent(lang, stats.retention_rate() * 100)},
                                 {"retained", i18n::Integer(lang, stats.retained_12_months())},
                                 {"cohort", i18n::Integer(lang, stats.retention_cohort())}}));
  }
  return absl::StrJoin(out, " ");
}

int64_t TodayNumber(absl::Time now) { return calendar::DayNumber(calendar::Today(now)); }

v1::HousingStats ComputeStats(const std::vector<v1::HousingUnit>& units,
                              const std::vector<v1::Application>& apps,
                              const std::vector<v1::Offer>& offers,
                              const std::vector<v1::Tenancy>& tenancies, int temporary_days,
                              absl::Time now) {
  return ComputeStatsFromCounts(units, WaitingOf(apps, now), OfferCountsOf(offers), tenancies,
                                temporary_days, now);
}

OfferCounts OfferCountsOf(const std::vector<v1::Offer>& offers) {
  OfferCounts out;
  for (const v1::Offer& o : offers) {
    ++out.by_state[o.offer_state()];
    if (o.offer_state() == v1::OFFER_STATE_DECLINED) {
      ++out.declined_by_reason[o.decline_reason()];
    }
  }
  return out;
}

v1::HousingStats ComputeStatsFromCounts(const std::vector<v1::HousingUnit>& units,
                                        const std::map<int, WaitingDays>& waiting,
                                        const OfferCounts& offers,
                                        const std::vector<v1::Tenancy>& tenancies,
                                        int temporary_days, absl::Time now) {
  v1::HousingStats out;
  const absl::CivilDay today = calendar::Today(now);

  // Vacant units, by unit type.
  std::map<int, Days> vacant;
  for (const v1::HousingUnit& u : units) {
    if (Archived(u.state()) || u.unit_status() != v1::UNIT_STATUS_AVAILABLE) {
      continue;
    }
    vacant[u.unit_type()].Add(u.has_vacant_since() ? DaysBetween(DayOf(u.vacant_since()), today)
                                                   : 0);
  }
  for (const auto& [type, d] : vacant) {
    v1::VacantUnits* row = out.add_vacant_units();
    row->set_unit_type(static_cast<v1::UnitType>(type));
    row->set_count(d.count);
    row->set_mean_vacant_days(d.Mean());
    row->set_max_vacant_days(d.max);
  }

  // Waiting applications, by situation.
  for (const auto& [situation, d] : waiting) {
    if (d.count == 0) {
      continue;
    }
    v1::WaitingApplications* row = out.add_waiting();
    row->set_situation(static_cast<v1::Situation>(situation));
    row->set_count(d.count);
    row->set_mean_waiting_days(static_cast<double>(d.sum) / d.count);
    row->set_max_waiting_days(d.max);
  }

  // Long stays in temporary places, longest first.
  std::vector<v1::LongStay> stays;
  for (const v1::Tenancy& t : tenancies) {
    if (t.tenancy_status() != v1::TENANCY_STATUS_CURRENT || !IsTemporary(t.unit_type()) ||
        !t.has_move_in() || !IsSet(t.move_in())) {
      continue;
    }
    const int days = DaysBetween(CivilDayOf(t.move_in()), today);
    if (days <= temporary_days) {
      continue;
    }
    v1::LongStay s;
    s.set_tenancy_id(t.id());
    s.set_citizen_id(t.citizen_id());
    s.set_unit_type(t.unit_type());
    s.set_days(days);
    stays.push_back(std::move(s));
  }
  std::sort(stays.begin(), stays.end(), [](const v1::LongStay& a, const v1::LongStay& b) {
    if (a.days() != b.days()) {
      return a.days() > b.days();
    }
    return a.tenancy_id() < b.tenancy_id();
  });
  for (v1::LongStay& s : stays) {
    *out.add_long_stays() = std::move(s);
  }

  // Offers per state; the reasons of declined offers.
  for (const auto& [state, count] : offers.by_state) {
    switch (state) {
      case v1::OFFER_STATE_PENDING:
        out.set_offers_pending(out.offers_pending() + count);
        break;
      case v1::OFFER_STATE_ACCEPTED:
        out.set_offers_accepted(out.offers_accepted() + count);
        break;
      case v1::OFFER_STATE_DECLINED:
        out.set_offers_declined(out.offers_declined() + count);
        break;
      case v1::OFFER_STATE_EXPIRED:
        out.set_offers_expired(out.offers_expired() + count);
        break;
      case v1::OFFER_STATE_WITHDRAWN:
        out.set_offers_withdrawn(out.offers_withdrawn() + count);
        break;
      default:
        break;
    }
  }
  for (const auto& [reason, count] : offers.declined_by_reason) {
    if (count <= 0) {
      continue;
    }
    v1::DeclineCount* row = out.add_decline_reasons();
    row->set_reason(static_cast<v1::DeclineReason>(reason));
    row->set_count(count);
  }

  // Twelve-month retention in homes (archived tenancies included).
  int cohort = 0;
  int retained = 0;
  for (const v1::Tenancy& t : tenancies) {
    if (IsTemporary(t.unit_type()) || !t.has_move_in() || !IsSet(t.move_in())) {
      continue;
    }
    const absl::CivilDay move_in = CivilDayOf(t.move_in());
    if (today - move_in < kRetentionDays) {
      continue;
    }
    ++cohort;
    const bool lasted = t.has_move_out() && IsSet(t.move_out()) &&
                        CivilDayOf(t.move_out()) - move_in >= kRetentionDays;
    if (t.tenancy_status() == v1::TENANCY_STATUS_CURRENT || lasted) {
      ++retained;
    }
  }
  out.set_retention_cohort(cohort);
  out.set_retained_12_months(retained);
  out.set_retention_rate(cohort == 0 ? 0.0 : static_cast<double>(retained) / cohort);

  const int64_t seconds = absl::ToUnixSeconds(now);  // rounds down
  out.mutable_computed_time()->set_seconds(seconds);
  out.mutable_computed_time()->set_nanos(
      static_cast<int32_t>((now - absl::FromUnixSeconds(seconds)) / absl::Nanoseconds(1)));
  return out;
}

}  // namespace helhed::housing
