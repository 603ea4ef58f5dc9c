// guides_domain_bench: how long the borgerguide matching of
// services/guides/domain/matching takes at municipality scale. It prints
// figures and never fails on speed; it exits non-zero only on bad flags, when
// Rank and Violations disagree about who is feasible, or when a batch breaks
// a guide's capacity or a hard constraint.
//
//   build/tests/guides_domain_bench [--guides=10000] [--reps=200] [--limit=10]
//                                   [--requests=2000] [--batch_guides=500]
//                                   [--batch_reps=3] [--seed=20240604]
//
// 1. Rank: one request among `guides` synthetic guides, `reps` times (the
//    request-side preparation included, as the service calls it): min, median,
//    p99 and mean milliseconds.
// 2. AssignExact and AssignGreedy: `requests` open requests to `batch_guides`
//    guides (best of `batch_reps` runs each): time, total score, assigned
//    requests per urgency, and the greedy gap (how much lower greedy's total
//    is than the exact one, in %).
//
// The data is synthetic and deterministic for a seed: homes and citizens
// spread over the postcodes of Randers Kommune (around 56.46N 10.04E), some
// without coordinates; lived experience, life phases, languages (mostly
// Danish), settings, trainings (some expired), capacity 1-8 with some slots
// in use; a few guides paused, left or archived. Requests: one to three
// situation tags, some preferences and must-haves, all urgencies, a few
// without consent; some pairs declined before.
#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/guides/domain/matching.h"

namespace helhed::guides {
namespace {

struct Flags {
  int guides = 10000;
  int reps = 200;
  int limit = 10;
  int requests = 2000;
  int batch_guides = 500;
  int batch_reps = 3;
  // 1: every batch pair feasible (all guides active and trained, travel
  // 200 km, no must-haves, no preferred setting or other language, consent,
  // no declined pairs): requests x batch_guides edges.
  int dense = 0;
  uint64_t seed = 20240604;
};

bool ParseFlags(int argc, char** argv, Flags& f) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](const char* name, auto* out) {
      const std::string prefix = absl::StrCat("--", name, "=");
      return absl::StartsWith(arg, prefix) && absl::SimpleAtoi(arg.substr(prefix.size()), out);
    };
    if (!(value("guides", &f.guides) || value("reps", &f.reps) || value("limit", &f.limit) ||
          value("requests", &f.requests) || value("batch_guides", &f.batch_guides) ||
          value("batch_reps", &f.batch_reps) || value("dense", &f.dense) ||
          value("seed", &f.seed))) {
      std::fprintf(stderr, "unknown flag: %s\n", arg.c_str());
      return false;
    }
  }
  if (f.guides < 1 || f.reps < 1 || f.limit < 1 || f.requests < 1 || f.batch_guides < 1 ||
      f.batch_reps < 1) {
    std::fprintf(stderr, "every count must be at least 1\n");
    return false;
  }
  return true;
}

struct Area {
  const char* postcode;
  double lat;
  double lon;
  int weight;
};

const std::vector<Area>& Areas() {
  static const auto* const kAreas = new std::vector<Area>{
      {"8900", 56.4607, 10.0364, 30}, {"8920", 56.4780, 9.9800, 12}, {"8930", 56.4900, 10.0900, 10},
      {"8940", 56.4400, 9.9900, 10},  {"8960", 56.4350, 10.0800, 8}, {"8870", 56.3900, 9.9000, 5},
      {"8950", 56.5200, 10.3300, 4},  {"8961", 56.4600, 10.3200, 4}, {"8963", 56.4300, 10.3800, 3},
      {"8970", 56.6400, 10.2000, 3},  {"8981", 56.5400, 10.0400, 4}, {"8983", 56.5800, 10.1300, 3},
      {"8990", 56.5600, 9.8400, 3},   {"8860", 56.3900, 9.7900, 1}};
  return *kAreas;
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

  GuideState Guide(int i) {
    GuideState s;
    v1::Guide& g = s.guide;
    g.set_id(absl::StrCat("guide-", 100000 + i));
    g.set_display_name(absl::StrCat("Borgerguide ", i));
    const double st = U();
    g.set_status(st < 0.92   ? v1::GUIDE_STATUS_ACTIVE
                 : st < 0.97 ? v1::GUIDE_STATUS_PAUSED
                             : v1::GUIDE_STATUS_LEFT);
    g.set_state(U() < 0.99 ? helhed::common::v1::RESOURCE_STATE_ACTIVE
                           : helhed::common::v1::RESOURCE_STATE_ARCHIVED);

    // One to four lived experiences, no tag twice.
    for (int n = Int(1, 4); n > 0; --n) {
      const int tag = Int(1, 9);
      bool seen = false;
      for (const v1::Experience& e : g.experiences()) {
        seen = seen || e.tag() == tag;
      }
      if (!seen) {
        v1::Experience* e = g.add_experiences();
        e->set_tag(static_cast<v1::ExperienceTag>(tag));
        e->set_years_ago(U() < 0.3 ? Int(0, 1) : Int(2, 25));
      }
    }
    for (int p = 1; p <= 4; ++p) {
      if (U() < 0.4) {
        g.add_life_phases(static_cast<v1::LifePhase>(p));
      }
    }
    g.add_languages("da");
    if (U() < 0.5) {
      g.add_languages("en");
    }
    static const char* const kOther[] = {"ar", "tr", "so", "uk", "pl", "fa", "de"};
    if (U() < 0.1) {
      g.add_languages(kOther[Int(0, 6)]);
    }

    const Area& a = Areas()[area_(rng_)];
    g.set_home_postcode(a.postcode);
    if (U() < 0.85) {
      std::normal_distribution<double> jitter(0, 0.02);  // about 2 km
      g.mutable_home_location()->set_latitude(a.lat + jitter(rng_));
      g.mutable_home_location()->set_longitude(a.lon + 1.8 * jitter(rng_));
    }
    g.set_max_travel_km(U() < 0.5 ? 0 : Int(10, 40));
    g.set_age_band(static_cast<v1::AgeBand>(Int(1, 4)));
    g.set_gender(static_cast<v1::Gender>(U() < 0.02 ? 3 : Int(1, 2)));

    v1::GuideTraining* t = g.add_trainings();
    t->set_course("Borgerguide-uddannelsen");
    const int year = Int(2019, 2025);
    *t->mutable_completed_date() = Date(year, Int(1, 12), Int(1, 28));
    // Valid three years; some have lapsed by the bench's today (2026-06-01).
    *t->mutable_valid_until() = Date(year + 3, Int(1, 12), Int(1, 28));
    if (U() < 0.7) {
      *t->mutable_valid_until() = Date(2029, 1, 1);
    }

    for (int st2 = 1; st2 <= 4; ++st2) {
      if (U() < 0.5 || (g.settings().empty() && st2 == 4)) {
        g.add_settings(static_cast<v1::Setting>(st2));
      }
    }
    g.set_employment(U() < 0.3 ? v1::EMPLOYMENT_PAID : v1::EMPLOYMENT_VOLUNTEER);
    g.set_capacity(Int(1, 8));
    s.load = std::min(g.capacity(), U() < 0.5 ? 0 : Int(0, 3));
    for (int d = 1; d <= 7; ++d) {
      if (U() < 0.45) {
        g.add_available_days(static_cast<v1::Weekday>(d));
      }
    }
    return s;
  }

  v1::GuidanceRequest Request(int i) {
    v1::GuidanceRequest r;
    r.set_id(absl::StrCat("req-", 100000 + i));
    r.set_citizen_id(absl::StrCat("citizen-", i));
    for (int n = Int(1, 3); n > 0; --n) {
      const auto tag = static_cast<v1::ExperienceTag>(Int(1, 9));
      if (std::find(r.situation().begin(), r.situation().end(), tag) == r.situation().end()) {
        r.add_situation(tag);
      }
    }
    r.set_life_phase(static_cast<v1::LifePhase>(Int(0, 4)));
    r.set_help_wanted("At komme videre");
    r.set_life_area(static_cast<helhed::common::v1::LifeArea>(Int(1, 3)));
    v1::GuidePreferences* p = r.mutable_preferences();
    if (U() < 0.3) {
      p->set_gender(static_cast<v1::Gender>(Int(1, 2)));
    }
    if (U() < 0.3) {
      p->set_age_band(static_cast<v1::AgeBand>(Int(1, 4)));
    }
    if (U() < 0.05) {
      p->set_language("en");
    }
    if (U() < 0.2) {
      p->set_setting(static_cast<v1::Setting>(Int(1, 4)));
    }
    if (p->gender() != 0 && U() < 0.2) {
      r.add_must_haves(v1::MUST_HAVE_GENDER);
    }
    if (U() < 0.15) {
      r.add_must_haves(v1::MUST_HAVE_SHARED_EXPERIENCE);
    }
    const double u = U();
    r.set_urgency(u < 0.2    ? v1::URGENCY_LOW
                  : u < 0.7  ? v1::URGENCY_NORMAL
                  : u < 0.92 ? v1::URGENCY_HIGH
                             : v1::URGENCY_URGENT);
    r.set_consent_given(U() < 0.98);
    const Area& a = Areas()[area_(rng_)];
    r.set_postcode(a.postcode);
    if (U() < 0.8) {
      std::normal_distribution<double> jitter(0, 0.02);
      r.mutable_location()->set_latitude(a.lat + jitter(rng_));
      r.mutable_location()->set_longitude(a.lon + 1.8 * jitter(rng_));
    }
    r.mutable_create_time()->set_seconds(1760000000 + Int(0, 90 * 86400));
    r.set_request_state(v1::REQUEST_STATE_OPEN);
    r.set_state(helhed::common::v1::RESOURCE_STATE_ACTIVE);
    return r;
  }

  double U() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

 private:
  std::mt19937_64 rng_;
  std::discrete_distribution<int> area_;
};

double Percentile(const std::vector<double>& sorted, double q) {
  const size_t i = static_cast<size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

double Ms(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// Assigned requests per urgency (unspecified, low, normal, high, urgent).
std::vector<int> PerUrgency(const BatchResult& res,
                            const std::vector<v1::GuidanceRequest>& requests) {
  std::vector<int> out(5, 0);
  for (const auto& [i, j] : res.assignments) {
    const int u = requests[i].urgency();
    ++out[u >= 0 && u < 5 ? u : 0];
  }
  return out;
}

// Non-empty when `res` breaks a guide's capacity or a hard constraint.
std::string Broken(const BatchResult& res, const std::vector<v1::GuidanceRequest>& requests,
                   const std::vector<GuideState>& guides, const MatchInputs& in) {
  std::vector<int> used(guides.size(), 0);
  std::vector<int> seen(requests.size(), 0);
  for (const auto& [i, j] : res.assignments) {
    if (++seen[i] > 1) {
      return absl::StrCat("request ", i, " assigned twice");
    }
    if (!Violations(requests[i], guides[j], in, i18n::Language::kDanish).empty()) {
      return absl::StrCat("request ", i, " to infeasible guide ", j);
    }
    if (++used[j] > guides[j].guide.capacity() - guides[j].load) {
      return absl::StrCat("guide ", j, " over capacity");
    }
  }
  if (res.assignments.size() + res.unassigned.size() != requests.size()) {
    return "assignments and unassigned do not add up";
  }
  return std::string();
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
  std::printf("%s\n", command.c_str());

  Generator gen(flags.seed);
  MatchInputs in;
  in.today = Date(2026, 6, 1);

  // 1. Rank.
  std::vector<GuideState> pool;
  pool.reserve(flags.guides);
  for (int i = 0; i < flags.guides; ++i) {
    pool.push_back(gen.Guide(i));
  }
  v1::GuidanceRequest request = gen.Request(0);
  request.set_id("req-bench");
  request.clear_situation();
  request.add_situation(v1::EXPERIENCE_TAG_AUTISM);
  request.add_situation(v1::EXPERIENCE_TAG_MENTAL_ILLNESS);
  request.set_life_phase(v1::LIFE_PHASE_YOUTH_TO_ADULT);
  request.mutable_preferences()->set_age_band(v1::AGE_BAND_18_29);
  request.mutable_preferences()->clear_setting();
  request.mutable_preferences()->clear_language();
  request.set_consent_given(true);
  request.set_postcode("8900");
  request.mutable_location()->set_latitude(56.4607);
  request.mutable_location()->set_longitude(10.0364);
  for (int i = 0; i < flags.guides; i += 97) {
    in.declined_pairs.emplace("req-bench", pool[i].guide.id());
  }

  int feasible = 0;
  std::map<std::string, int> first_reason;
  for (const GuideState& g : pool) {
    const std::vector<std::string> reasons = Violations(request, g, in, i18n::Language::kDanish);
    if (reasons.empty()) {
      ++feasible;
    } else {
      std::string key = reasons.front();
      for (const char* prefix : {"too far", "no training valid", "no capacity left"}) {
        if (absl::StartsWith(key, prefix)) {
          key = prefix;
        }
      }
      ++first_reason[key];
    }
  }
  if (static_cast<int>(Rank(request, pool, in, INT_MAX, i18n::Language::kDanish).size()) !=
      feasible) {
    std::fprintf(stderr, "Rank and Violations disagree\n");
    return 1;
  }

  size_t sink = 0;
  for (int i = 0; i < std::min(flags.reps, 5); ++i) {
    sink += Rank(request, pool, in, flags.limit, i18n::Language::kDanish).size();
  }
  std::vector<double> ms;
  double total_ms = 0;
  for (int i = 0; i < flags.reps; ++i) {
    const auto a = std::chrono::steady_clock::now();
    sink += Rank(request, pool, in, flags.limit, i18n::Language::kDanish).size();
    const auto b = std::chrono::steady_clock::now();
    ms.push_back(Ms(a, b));
    total_ms += ms.back();
  }
  std::sort(ms.begin(), ms.end());
  std::printf("\nRank: %d guides, limit %d, %d feasible\n", flags.guides, flags.limit, feasible);
  for (const auto& [reason, count] : first_reason) {
    std::printf("  excluded %5d  %s\n", count, reason.c_str());
  }
  std::printf("  ms per ranking: min %.3f  median %.3f  p99 %.3f  mean %.3f  max %.3f  (%d reps)\n",
              ms.front(), Percentile(ms, 0.5), Percentile(ms, 0.99), total_ms / flags.reps,
              ms.back(), flags.reps);

  // 2. The batch.
  std::vector<GuideState> guides;
  guides.reserve(flags.batch_guides);
  int free_slots = 0;
  for (int i = 0; i < flags.batch_guides; ++i) {
    guides.push_back(gen.Guide(i));
    if (flags.dense != 0) {
      v1::Guide& g = guides.back().guide;
      g.set_status(v1::GUIDE_STATUS_ACTIVE);
      g.set_state(helhed::common::v1::RESOURCE_STATE_ACTIVE);
      *g.mutable_trainings(0)->mutable_valid_until() = Date(2029, 1, 1);
      g.set_max_travel_km(200);
      guides.back().load = std::min(guides.back().load, g.capacity() - 1);
    }
    free_slots += std::max(0, guides.back().guide.capacity() - guides.back().load);
  }
  std::vector<v1::GuidanceRequest> requests;
  requests.reserve(flags.requests);
  for (int i = 0; i < flags.requests; ++i) {
    requests.push_back(gen.Request(i));
    if (flags.dense != 0) {
      v1::GuidanceRequest& r = requests.back();
      r.clear_must_haves();
      r.mutable_preferences()->clear_setting();
      r.mutable_preferences()->clear_language();
      r.set_consent_given(true);
    }
  }
  MatchInputs batch_in;
  batch_in.today = in.today;
  for (int n = 0; flags.dense == 0 && n < flags.requests / 4; ++n) {
    batch_in.declined_pairs.emplace(requests[gen.Int(0, flags.requests - 1)].id(),
                                    guides[gen.Int(0, flags.batch_guides - 1)].guide.id());
  }
  long long pairs = 0;
  std::vector<bool> wanted(guides.size(), false);
  for (const v1::GuidanceRequest& r : requests) {
    for (size_t j = 0; j < guides.size(); ++j) {
      if (Violations(r, guides[j], batch_in, i18n::Language::kDanish).empty()) {
        ++pairs;
        wanted[j] = true;
      }
    }
  }
  int usable_slots = 0;
  for (size_t j = 0; j < guides.size(); ++j) {
    if (wanted[j]) {
      usable_slots += guides[j].guide.capacity() - guides[j].load;
    }
  }
  std::printf(
      "\nBatch: %d requests x %d guides, %lld feasible pairs, %d free slots (%d of them with a "
      "feasible request)\n",
      flags.requests, flags.batch_guides, pairs, free_slots, usable_slots);

  auto time_best = [&](auto assign, BatchResult& out) {
    double best = 0;
    for (int rep = 0; rep < flags.batch_reps; ++rep) {
      const auto a = std::chrono::steady_clock::now();
      out = assign(requests, guides, batch_in);
      const auto b = std::chrono::steady_clock::now();
      best = rep == 0 ? Ms(a, b) : std::min(best, Ms(a, b));
    }
    return best;
  };
  BatchResult exact;
  BatchResult greedy;
  const double exact_ms = time_best(AssignExact, exact);
  const double greedy_ms = time_best(AssignGreedy, greedy);
  for (const auto* res : {&exact, &greedy}) {
    const std::string broken = Broken(*res, requests, guides, batch_in);
    if (!broken.empty()) {
      std::fprintf(stderr, "%s: %s\n", res == &exact ? "AssignExact" : "AssignGreedy",
                   broken.c_str());
      return 1;
    }
  }
  auto print = [&](const char* name, const BatchResult& res, double t) {
    const std::vector<int> per = PerUrgency(res, requests);
    std::printf(
        "  %-12s %9.1f ms  total %11.3f  assigned %4zu (urgent %d, high %d, normal %d, low %d)  "
        "unassigned %zu\n",
        name, t, res.total_score, res.assignments.size(), per[4], per[3], per[2], per[1],
        res.unassigned.size());
  };
  print("AssignExact", exact, exact_ms);
  print("AssignGreedy", greedy, greedy_ms);
  const double gap = exact.total_score != 0 ? 100.0 * (exact.total_score - greedy.total_score) /
                                                  std::abs(exact.total_score)
                                            : 0.0;
  std::printf(
      "  greedy gap: %.2f%% of the exact total (%+.3f points, %+d requests)\n", gap,
      greedy.total_score - exact.total_score,
      static_cast<int>(greedy.assignments.size()) - static_cast<int>(exact.assignments.size()));
  std::printf("  (best of %d runs each; feasibility and scores of all pairs included)\n",
              flags.batch_reps);
  std::printf("  (%zu candidates returned in all)\n", sink);
  return 0;
}

}  // namespace
}  // namespace helhed::guides

int main(int argc, char** argv) { return helhed::guides::Run(argc, argv); }
