// volunteer_ranking_bench: how long Rank() (services/volunteers/domain/
// matching) takes over a municipality-sized pool of volunteers for one
// accompaniment request. It prints figures and never fails on speed; it exits
// non-zero only on bad flags or when Rank and Ineligibility disagree about who
// is eligible.
//
//   build/tests/volunteer_ranking_bench [--volunteers=10000] [--reps=300]
//                                       [--limit=10] [--seed=20240604]
//
// The pool is synthetic and deterministic for a seed: homes spread over the
// postcodes of Randers Kommune (around 56.46N 10.04E), some without
// coordinates; availability in typical patterns (weekday mornings, evenings,
// weekends, scattered windows); languages, interests, skills, trainings,
// needs they can meet; record checks valid, expiring, expired, pending or
// rejected; some paused, left, archived or without consent; some booked, some
// familiar to the citizen, most with recent hours. The request: Tuesday
// 10:00-12:00 Danish summer time in Randers C, Danish, a calm companion, three
// interests, to an activity that requires the introductory course.
//
// Each repetition ranks the whole pool (the request-side preparation
// included, as the service would call it); it prints min, median, p99 and
// mean milliseconds per ranking, and how many volunteers were eligible and
// why the others were not (first reason).
#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/volunteers/domain/matching.h"

namespace helhed::volunteers {
namespace {

struct Flags {
  int volunteers = 10000;
  int reps = 300;
  int limit = 10;
  uint64_t seed = 20240604;
};

bool ParseFlags(int argc, char** argv, Flags& f) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](const char* name, auto* out) {
      const std::string prefix = absl::StrCat("--", name, "=");
      return absl::StartsWith(arg, prefix) && absl::SimpleAtoi(arg.substr(prefix.size()), out);
    };
    if (!(value("volunteers", &f.volunteers) || value("reps", &f.reps) ||
          value("limit", &f.limit) || value("seed", &f.seed))) {
      std::fprintf(stderr, "unknown or bad flag: %s\n", arg.c_str());
      return false;
    }
  }
  if (f.volunteers < 1 || f.reps < 1 || f.limit < 1) {
    std::fprintf(stderr, "--volunteers, --reps and --limit must be at least 1\n");
    return false;
  }
  return true;
}

struct Area {
  const char* postcode;
  double lat;
  double lon;
  int weight;  // relative share of the volunteers living there
};

// Postcodes of Randers Kommune and their rough centres.
const std::vector<Area>& Areas() {
  static const auto* const kAreas = new std::vector<Area>{
      {"8900", 56.4607, 10.0364, 30}, {"8920", 56.4780, 9.9800, 12}, {"8930", 56.4900, 10.0900, 10},
      {"8940", 56.4400, 9.9900, 10},  {"8960", 56.4350, 10.0800, 8}, {"8870", 56.3900, 9.9000, 5},
      {"8950", 56.5200, 10.3300, 4},  {"8961", 56.4600, 10.3200, 4}, {"8963", 56.4300, 10.3800, 3},
      {"8970", 56.6400, 10.2000, 3},  {"8981", 56.5400, 10.0400, 4}, {"8983", 56.5800, 10.1300, 3},
      {"8990", 56.5600, 9.8400, 3},   {"8860", 56.3900, 9.7900, 1}};
  return *kAreas;
}

const std::vector<std::string>& InterestTags() {
  static const auto* const kTags = new std::vector<std::string>{
      "fodbold",  "håndbold",      "strik",       "kaffe",    "gåture",  "kor",        "musik",
      "kortspil", "skak",          "havearbejde", "fiskeri",  "cykling", "madlavning", "bøger",
      "film",     "teater",        "museum",      "svømning", "yoga",    "brætspil",   "træsløjd",
      "it",       "fotografering", "hunde",       "dans"};
  return *kTags;
}

v1::WeeklyWindow Window(int weekday, int start_minute, int end_minute) {
  v1::WeeklyWindow w;
  w.set_weekday(static_cast<v1::Weekday>(weekday));
  w.set_start_minute(start_minute);
  w.set_end_minute(std::min(end_minute, 1440));
  return w;
}

google::type::Date Date(int y, int m, int d) {
  google::type::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {
    std::vector<int> weights;
    for (const Area& a : Areas()) {
      weights.push_back(a.weight);
    }
    area_ = std::discrete_distribution<int>(weights.begin(), weights.end());
  }

  v1::Volunteer Volunteer(int i) {
    v1::Volunteer v;
    v.set_id(absl::StrCat("vol-", 100000 + i));
    v.set_display_name(absl::StrCat("Frivillig ", i));

    // Status and consent: most active.
    const double s = U();
    v.set_status(s < 0.85   ? v1::VOLUNTEER_STATUS_ACTIVE
                 : s < 0.95 ? v1::VOLUNTEER_STATUS_PAUSED
                            : v1::VOLUNTEER_STATUS_LEFT);
    v.set_consent_given(U() < 0.97);
    v.set_state(U() < 0.98 ? helhed::common::v1::RESOURCE_STATE_ACTIVE
                           : helhed::common::v1::RESOURCE_STATE_ARCHIVED);

    // Record check.
    v1::RecordCheck* check = v.mutable_record_check();
    check->set_kind(v1::RECORD_CHECK_KIND_CRIMINAL_RECORD);
    const double r = U();
    if (r < 0.70) {
      check->set_status(v1::RECORD_CHECK_STATUS_VALID);
      *check->mutable_expiry_date() = Date(Int(2025, 2028), Int(1, 12), Int(1, 28));
    } else if (r < 0.82) {
      check->set_status(v1::RECORD_CHECK_STATUS_VALID);  // expired or expiring
      *check->mutable_expiry_date() = Date(Int(2023, 2025), Int(1, 6), Int(1, 28));
    } else if (r < 0.92) {
      check->set_status(v1::RECORD_CHECK_STATUS_PENDING);
    } else if (r < 0.94) {
      check->set_status(v1::RECORD_CHECK_STATUS_REJECTED);
    }  // else: none yet

    // Home: a postcode, usually with coordinates near its centre.
    const Area& a = Areas()[area_(rng_)];
    v.set_home_postcode(a.postcode);
    if (U() < 0.85) {
      std::normal_distribution<double> jitter(0, 0.02);  // about 2 km
      v1::GeoPoint* home = v.mutable_home_location();
      home->set_latitude(a.lat + jitter(rng_));
      home->set_longitude(a.lon + 1.8 * jitter(rng_));
    }
    v.set_max_travel_km(U() < 0.4 ? 0 : Int(3, 25));
    v.set_max_hours_per_week(Int(1, 10));

    // Availability in typical patterns.
    const double p = U();
    if (p < 0.25) {  // retired: weekday mornings
      for (int d = 1; d <= 5; ++d) {
        if (U() < 0.7) {
          *v.add_availability() = Window(d, Int(8, 10) * 60, Int(12, 15) * 60);
        }
      }
    } else if (p < 0.60) {  // working: evenings
      for (int d = 1; d <= 5; ++d) {
        if (U() < 0.5) {
          *v.add_availability() = Window(d, Int(16, 18) * 60, Int(20, 22) * 60);
        }
      }
    } else if (p < 0.80) {  // weekends
      *v.add_availability() = Window(6, Int(8, 12) * 60, Int(14, 20) * 60);
      *v.add_availability() = Window(7, Int(8, 12) * 60, Int(14, 20) * 60);
    } else {  // scattered
      for (int n = Int(1, 6); n > 0; --n) {
        const int start = Int(7 * 4, 20 * 4) * 15;
        *v.add_availability() = Window(Int(1, 7), start, start + Int(4, 24) * 15);
      }
    }

    // Languages, interests, skills, trainings, needs they can meet.
    if (U() < 0.96) {
      v.add_languages("da");
    }
    if (U() < 0.45) {
      v.add_languages("en");
    }
    static const char* const kOther[] = {"ar", "tr", "so", "uk", "pl", "fa", "de"};
    if (U() < 0.12) {
      v.add_languages(kOther[Int(0, 6)]);
    }
    const auto& tags = InterestTags();
    for (int n = Int(1, 6); n > 0; --n) {
      const std::string& tag = tags[Int(0, static_cast<int>(tags.size()) - 1)];
      if (std::find(v.interests().begin(), v.interests().end(), tag) == v.interests().end()) {
        v.add_interests(tag);
      }
    }
    if (U() < 0.3) {
      v.add_skills("førstehjælp");
    }
    if (U() < 0.1) {
      v.add_skills("kørekort");
    }
    if (U() < 0.75) {
      v1::Training* t = v.add_trainings();
      t->set_course("Følgeven-introduktion");
      *t->mutable_completed_date() = Date(Int(2019, 2024), Int(1, 12), Int(1, 28));
    }
    if (U() < 0.6) {
      v.mutable_role_agreement()->set_version("2024-1");
    }
    if (U() < 0.45) {
      v.add_supports(v1::NEED_CALM);
    }
    if (U() < 0.30) {
      v.add_supports(v1::NEED_WALKING_SUPPORT);
    }
    if (U() < 0.15) {
      v.add_supports(v1::NEED_WHEELCHAIR);
    }
    if (U() < 0.10) {
      v.add_supports(v1::NEED_HEARING);
    }
    v.set_gender(static_cast<v1::Gender>(Int(1, 3)));
    return v;
  }

  double U() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

 private:
  std::mt19937_64 rng_;
  std::discrete_distribution<int> area_;
};

google::protobuf::Timestamp Copenhagen(int y, int m, int d, int hh, int mm) {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone("Europe/Copenhagen", &tz)) {
    std::fprintf(stderr, "warning: no tzdata for Europe/Copenhagen\n");
  }
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), tz)));
  return ts;
}

MatchContext Request(const std::vector<v1::Volunteer>& pool, Generator& gen) {
  MatchContext ctx;
  v1::AccompanimentRequest& r = ctx.request;
  r.set_id("req-bench");
  r.set_citizen_id("citizen-bench");
  r.set_activity_id("act-bench");
  r.mutable_place()->set_address("Kulturhuset, Stemannsgade 2");
  r.mutable_place()->set_postcode("8900");
  r.mutable_place()->mutable_location()->set_latitude(56.4607);
  r.mutable_place()->mutable_location()->set_longitude(10.0364);
  // Tuesday 10 June 2025, 10:00-12:00 CEST.
  *r.mutable_window_start() = Copenhagen(2025, 6, 10, 10, 0);
  *r.mutable_window_end() = Copenhagen(2025, 6, 10, 12, 0);
  r.add_needs(v1::NEED_CALM);
  r.set_language("da");
  r.set_wants_familiar_volunteer(true);
  r.add_interests("kaffe");
  r.add_interests("gåture");
  r.add_interests("bøger");

  ctx.has_activity = true;
  ctx.activity.set_id("act-bench");
  ctx.activity.set_title("Læsecafé");
  *ctx.activity.mutable_place() = r.place();
  ctx.activity.add_required_trainings("Følgeven-introduktion");
  ctx.activity.add_interests("bøger");
  ctx.activity.add_interests("kaffe");

  // Some volunteers know the citizen (a few of them eligible: knowing the
  // citizen does not change eligibility), some are booked, most gave hours.
  std::vector<const v1::Volunteer*> eligible;
  for (const v1::Volunteer& v : pool) {
    if (eligible.size() < 5 && Ineligibility(v, ctx, i18n::Language::kDanish).empty()) {
      eligible.push_back(&v);
    }
  }
  for (const v1::Volunteer* v : eligible) {
    ctx.familiar[v->id()] = gen.Int(1, 6);
  }
  for (int n = 0; n < 20; ++n) {
    ctx.familiar[pool[gen.Int(0, static_cast<int>(pool.size()) - 1)].id()] = gen.Int(1, 6);
  }
  for (int n = 0; n < static_cast<int>(pool.size()) / 50; ++n) {
    ctx.booked.insert(pool[gen.Int(0, static_cast<int>(pool.size()) - 1)].id());
  }
  for (const v1::Volunteer& v : pool) {
    if (gen.U() < 0.6) {
      ctx.recent_hours[v.id()] = gen.Int(1, 60) * 0.25;
    }
  }
  return ctx;
}

double Percentile(const std::vector<double>& sorted, double q) {
  const size_t i = static_cast<size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

struct Timing {
  std::vector<double> ms;  // sorted
  double mean = 0;
};

// Times `reps` rankings after a short warm-up; `sink` keeps them observable.
Timing Time(const std::vector<v1::Volunteer>& pool, const MatchContext& ctx, int limit, int reps,
            size_t& sink) {
  for (int i = 0; i < std::min(reps, 5); ++i) {
    sink += Rank(pool, ctx, limit, i18n::Language::kDanish).size();
  }
  Timing t;
  t.ms.reserve(reps);
  double total = 0;
  for (int i = 0; i < reps; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const std::vector<v1::Candidate> top = Rank(pool, ctx, limit, i18n::Language::kDanish);
    const auto stop = std::chrono::steady_clock::now();
    sink += top.size();
    t.ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    total += t.ms.back();
  }
  std::sort(t.ms.begin(), t.ms.end());
  t.mean = total / reps;
  return t;
}

void Print(const std::string& label, const Timing& t) {
  std::printf("  %-26s min %7.3f  median %7.3f  p99 %7.3f  mean %7.3f  max %7.3f  (%zu reps)\n",
              label.c_str(), t.ms.front(), Percentile(t.ms, 0.5), Percentile(t.ms, 0.99), t.mean,
              t.ms.back(), t.ms.size());
}

// Makes `v` pass every rule of the bench request but distance (those living
// beyond 200 km, none here, would still be too far).
void MakeEligible(v1::Volunteer& v) {
  v.set_status(v1::VOLUNTEER_STATUS_ACTIVE);
  v.set_consent_given(true);
  v.set_state(helhed::common::v1::RESOURCE_STATE_ACTIVE);
  v.mutable_record_check()->set_status(v1::RECORD_CHECK_STATUS_VALID);
  *v.mutable_record_check()->mutable_expiry_date() = Date(2030, 1, 1);
  *v.add_availability() = Window(v1::WEEKDAY_TUESDAY, 9 * 60, 13 * 60);
  v.add_languages("da");
  v.add_supports(v1::NEED_CALM);
  v.add_trainings()->set_course("Følgeven-introduktion");
  v.set_max_travel_km(200);
}

int Run(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, flags)) {
    return 2;
  }
  std::string command = argv[0];
  for (int i = 1; i < argc; ++i) {
    absl::StrAppend(&command, " ", argv[i]);
  }

  Generator gen(flags.seed);
  std::vector<v1::Volunteer> pool;
  pool.reserve(flags.volunteers);
  for (int i = 0; i < flags.volunteers; ++i) {
    pool.push_back(gen.Volunteer(i));
  }
  const MatchContext ctx = Request(pool, gen);

  // Who is eligible, and why the others are not (their first reason).
  int eligible = 0;
  std::map<std::string, int> first_reason;
  for (const v1::Volunteer& v : pool) {
    const std::vector<std::string> reasons = Ineligibility(v, ctx, i18n::Language::kDanish);
    if (reasons.empty()) {
      ++eligible;
    } else {
      std::string key = reasons.front();
      if (absl::StartsWith(key, "too far")) {
        key = "too far";
      }
      ++first_reason[key];
    }
  }
  const std::vector<v1::Candidate> all = Rank(pool, ctx, INT_MAX, i18n::Language::kDanish);
  if (static_cast<int>(all.size()) != eligible) {
    std::fprintf(stderr, "Rank found %zu eligible, Ineligibility %d\n", all.size(), eligible);
    return 1;
  }

  size_t sink = 0;
  const Timing realistic = Time(pool, ctx, flags.limit, flags.reps, sink);
  // Reasons for every eligible volunteer (what a limit saves).
  const Timing full = Time(pool, ctx, INT_MAX, std::max(1, flags.reps / 10), sink);
  // The worst case: (nearly) every volunteer eligible, so every one is scored.
  std::vector<v1::Volunteer> all_pool = pool;
  for (v1::Volunteer& v : all_pool) {
    MakeEligible(v);
  }
  MatchContext all_ctx = ctx;
  all_ctx.booked.clear();
  const int all_eligible =
      static_cast<int>(Rank(all_pool, all_ctx, INT_MAX, i18n::Language::kDanish).size());
  const Timing worst = Time(all_pool, all_ctx, flags.limit, flags.reps, sink);

  std::printf("volunteer_ranking_bench\n");
  std::printf("command:     %s\n", command.c_str());
  std::printf("machine:     %u hardware threads\n", std::thread::hardware_concurrency());
  std::printf("pool:        %d volunteers (seed %llu), %d eligible for the request\n",
              flags.volunteers, static_cast<unsigned long long>(flags.seed), eligible);
  std::printf("ineligible by first reason:\n");
  std::vector<std::pair<int, std::string>> by_count;
  for (const auto& [reason, count] : first_reason) {
    by_count.emplace_back(count, reason);
  }
  std::sort(by_count.rbegin(), by_count.rend());
  for (const auto& [count, reason] : by_count) {
    std::printf("  %6d  %s\n", count, reason.c_str());
  }
  std::printf("ms per Rank() over %d volunteers:\n", flags.volunteers);
  Print(absl::StrCat("limit ", flags.limit, ", ", eligible, " eligible"), realistic);
  Print(absl::StrCat("no limit, ", eligible, " eligible"), full);
  Print(absl::StrCat("limit ", flags.limit, ", ", all_eligible, " eligible"), worst);
  const std::vector<v1::Candidate> top =
      Rank(pool, ctx, std::min(flags.limit, 3), i18n::Language::kDanish);
  std::printf("best %zu:\n", top.size());
  for (const v1::Candidate& c : top) {
    std::printf("  %s  score %.2f  %.1f km\n", c.volunteer_id().c_str(), c.score(),
                c.distance_km());
    for (const v1::ScoreFactor& f : c.factors()) {
      std::printf("      %-16s %+7.2f  %s\n", f.factor().c_str(), f.points(), f.reason().c_str());
    }
  }
  std::printf("(checksum %zu)\n", sink);
  return 0;
}

}  // namespace
}  // namespace helhed::volunteers

int main(int argc, char** argv) { return helhed::volunteers::Run(argc, argv); }
