// housing_domain_bench: how long the candidate ranking and queue places of
// services/housing/domain/eligibility take at municipality scale. It prints
// figures and never fails on speed; it exits non-zero only on a bad argument
// or when a ranking is inconsistent (a candidate that is not eligible, or
// candidates out of order).
//
//   build/tests/housing_domain_bench [applications=20000]
//
// 1. RankCandidates (limit 10) for one unit of each of several kinds, 200
//    times each: p50, p99 and max milliseconds, and how many of the
//    applications were considered and eligible.
// 2. QueuePlaces for one application against all of them, 200 times.
//
// The data is synthetic and deterministic (fixed seed): applications spread
// over the postcodes of Randers Kommune, all situations, screened over the
// last three years, one to three rooms, rent ceilings 3,000-9,000 kr, a few
// with accessibility needs, support needs from none to staffed, one to three
// unit types, up to three preferred areas and up to three vulnerability
// flags; about 90% active, the rest offered, housed, withdrawn or archived.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/housing/domain/eligibility.h"
#include "services/housing/domain/priority.h"

namespace helhed::housing {
namespace {

constexpr int kReps = 200;
constexpr int kLimit = 10;
constexpr uint64_t kSeed = 20260601;
const absl::CivilDay kToday(2026, 6, 1);

const char* const kPostcodes[] = {"8900", "8920", "8930", "8940", "8960", "8870", "8950",
                                  "8961", "8963", "8970", "8981", "8983", "8990", "8860"};

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  v1::Application Application(int i) {
    v1::Application a;
    a.set_id(absl::StrCat("app-", 100000 + i));
    a.set_citizen_id(absl::StrCat("citizen-", i));
    a.set_situation(static_cast<v1::Situation>(Int(1, 8)));
    if (U() < 0.98) {
      const absl::CivilDay screened = kToday - Int(0, 3 * 365);
      google::type::Date* d = a.mutable_screening_date();
      d->set_year(static_cast<int>(screened.year()));
      d->set_month(screened.month());
      d->set_day(screened.day());
    }
    const double rooms = U();
    a.set_rooms_needed(rooms < 0.6 ? 1 : rooms < 0.9 ? 2 : 3);
    a.set_max_rent_dkk(Int(30, 90) * 100);
    if (U() < 0.1) {
      a.add_accessibility_needs(v1::ACCESSIBILITY_STEP_FREE);
    }
    if (U() < 0.04) {
      a.add_accessibility_needs(v1::ACCESSIBILITY_WHEELCHAIR);
    }
    const double support = U();
    a.set_support_needed(support < 0.4    ? v1::SUPPORT_LEVEL_NONE
                         : support < 0.6  ? v1::SUPPORT_LEVEL_HOME_SUPPORT_85
                         : support < 0.75 ? v1::SUPPORT_LEVEL_ICM
                         : support < 0.85 ? v1::SUPPORT_LEVEL_ACT
                         : support < 0.95 ? v1::SUPPORT_LEVEL_CTI
                                          : v1::SUPPORT_LEVEL_STAFFED);
    for (int n = Int(1, 3); n > 0; --n) {
      const int t = Int(1, 7);
      if (std::find(a.unit_types().begin(), a.unit_types().end(), t) == a.unit_types().end()) {
        a.add_unit_types(static_cast<v1::UnitType>(t));
      }
    }
    for (int n = Int(0, 3); n > 0; --n) {
      v1::PreferredArea* p = a.add_preferred_areas();
      p->set_postcode(kPostcodes[Int(0, 13)]);
      p->set_reason(static_cast<v1::AreaReason>(Int(1, 4)));
    }
    for (int n = Int(0, 3); n > 0; --n) {
      const int f = Int(1, 8);
      if (std::find(a.vulnerability_flags().begin(), a.vulnerability_flags().end(), f) ==
          a.vulnerability_flags().end()) {
        a.add_vulnerability_flags(static_cast<v1::VulnerabilityFlag>(f));
      }
    }
    const double status = U();
    a.set_application_status(status < 0.9    ? v1::APPLICATION_STATUS_ACTIVE
                             : status < 0.93 ? v1::APPLICATION_STATUS_OFFERED
                             : status < 0.97 ? v1::APPLICATION_STATUS_HOUSED
                                             : v1::APPLICATION_STATUS_WITHDRAWN);
    a.set_state(U() < 0.99 ? helhed::common::v1::RESOURCE_STATE_ACTIVE
                           : helhed::common::v1::RESOURCE_STATE_ARCHIVED);
    return a;
  }

 private:
  double U() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  std::mt19937_64 rng_;
};

v1::HousingUnit Unit(const char* id, v1::UnitType type, int rooms, int rent,
                     v1::SupportLevel support, bool step_free) {
  v1::HousingUnit u;
  u.set_id(id);
  u.set_unit_type(type);
  u.set_postcode("8900");
  u.set_rooms(rooms);
  u.set_monthly_rent_dkk(rent);
  u.set_support(support);
  if (step_free) {
    u.add_accessibility(v1::ACCESSIBILITY_STEP_FREE);
  }
  u.set_unit_status(v1::UNIT_STATUS_AVAILABLE);
  u.set_state(helhed::common::v1::RESOURCE_STATE_ACTIVE);
  return u;
}

struct Figures {
  double p50;
  double p99;
  double max;
};

Figures Summarize(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  const auto at = [&](double q) {
    return ms[std::min(ms.size() - 1, static_cast<size_t>(q * static_cast<double>(ms.size())))];
  };
  return {at(0.5), at(0.99), ms.back()};
}

double Ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// True when the ranking is consistent: every candidate eligible, ranks
// 1..n, totals not increasing.
bool Consistent(const v1::HousingUnit& unit, const std::vector<v1::Application>& apps,
                const Ranking& r) {
  for (size_t i = 0; i < r.candidates.size(); ++i) {
    const v1::Candidate& c = r.candidates[i];
    if (c.rank() != static_cast<int>(i) + 1) {
      return false;
    }
    if (i > 0 && c.priority().total() > r.candidates[i - 1].priority().total()) {
      return false;
    }
    const auto it = std::find_if(apps.begin(), apps.end(), [&](const v1::Application& a) {
      return a.id() == c.application_id();
    });
    if (it == apps.end() || !Eligible(unit, *it)) {
      return false;
    }
  }
  return true;
}

int Run(int n) {
  Generator gen(kSeed);
  std::vector<v1::Application> apps;
  apps.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    apps.push_back(gen.Application(i));
  }
  const PriorityScorer scorer(DefaultPriorityRule(), kToday);
  std::printf("housing_domain_bench: %d applications, today %s, limit %d, %d reps\n", n,
              absl::FormatCivilTime(kToday).c_str(), kLimit, kReps);

  const v1::HousingUnit units[] = {
      Unit("public-2rooms-5200", v1::UNIT_TYPE_PUBLIC_REFERRAL, 2, 5200, v1::SUPPORT_LEVEL_NONE,
           false),
      Unit("housing-first-1room-4200-act", v1::UNIT_TYPE_HOUSING_FIRST, 1, 4200,
           v1::SUPPORT_LEVEL_ACT, true),
      Unit("skaev-1room-3500-staffed", v1::UNIT_TYPE_SKAEV_BOLIG, 1, 3500,
           v1::SUPPORT_LEVEL_STAFFED, true),
      Unit("shelter-1room-0-staffed", v1::UNIT_TYPE_SHELTER_110, 1, 0, v1::SUPPORT_LEVEL_STAFFED,
           true),
      Unit("long-term-3rooms-8000-icm", v1::UNIT_TYPE_LONG_TERM_108, 3, 8000, v1::SUPPORT_LEVEL_ICM,
           false),
  };
  std::printf(
      "\nRankCandidates                     considered  eligible   p50 ms   p99 ms   max ms\n");
  int failures = 0;
  for (const v1::HousingUnit& unit : units) {
    std::vector<double> ms;
    ms.reserve(kReps);
    Ranking last;
    for (int rep = 0; rep < kReps; ++rep) {
      const auto start = std::chrono::steady_clock::now();
      last = RankCandidates(unit, apps, scorer, kLimit, i18n::Language::kDanish);
      ms.push_back(Ms(std::chrono::steady_clock::now() - start));
    }
    if (!Consistent(unit, apps, last)) {
      std::printf("  %s: inconsistent ranking\n", unit.id().c_str());
      ++failures;
    }
    const Figures f = Summarize(ms);
    std::printf("  %-32s %10d %9d %8.3f %8.3f %8.3f\n", unit.id().c_str(), last.considered,
                last.eligible, f.p50, f.p99, f.max);
  }

  // The application with the most unit types near the middle of the list.
  const v1::Application* me = &apps[static_cast<size_t>(n / 2)];
  for (size_t i = static_cast<size_t>(n / 2); i < apps.size(); ++i) {
    if (apps[i].unit_types_size() >= 3) {
      me = &apps[i];
      break;
    }
  }
  std::vector<double> ms;
  ms.reserve(kReps);
  std::vector<v1::QueuePlace> places;
  for (int rep = 0; rep < kReps; ++rep) {
    const auto start = std::chrono::steady_clock::now();
    places = QueuePlaces(*me, apps, scorer);
    ms.push_back(Ms(std::chrono::steady_clock::now() - start));
  }
  const Figures f = Summarize(ms);
  std::printf("\nQueuePlaces for %s: p50 %.3f ms, p99 %.3f ms, max %.3f ms\n", me->id().c_str(),
              f.p50, f.p99, f.max);
  for (const v1::QueuePlace& q : places) {
    std::printf("  %-28s place %5d of %5d\n", v1::UnitType_Name(q.unit_type()).c_str(), q.place(),
                q.queue_length());
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace helhed::housing

int main(int argc, char** argv) {
  int n = 20000;
  if (argc > 2 || (argc == 2 && (!absl::SimpleAtoi(argv[1], &n) || n < 1))) {
    std::fprintf(stderr, "usage: %s [applications=20000]\n", argv[0]);
    return 2;
  }
  return helhed::housing::Run(n);
}
