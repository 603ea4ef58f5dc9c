#include "services/guides/domain/matching.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/calendar/calendar.h"
#include "common/geo/geo.h"
#include "common/i18n/catalogue.h"
#include "common/i18n/enum_names.h"
#include "common/i18n/numbers.h"

namespace helhed::guides {
namespace {

using ::google::protobuf::RepeatedField;

constexpr int kDefaultMaxTravelKm = 20;
constexpr absl::string_view kDefaultLanguage = "da";

constexpr double kExperiencePerTag = 30;
constexpr double kExperienceLivedThrough = 10;
constexpr int kLivedThroughYears = 2;
constexpr double kExperienceCap = 90;
constexpr double kLifePhasePoints = 20;
constexpr double kDistancePoints = 15;
constexpr double kAgePoints = 10;
constexpr double kGenderPoints = 10;
constexpr double kAvailabilityPoints = 5;
constexpr int kAvailabilityDays = 3;
constexpr double kLoadPerMatch = 5;

// Urgency levels 0 (unspecified or unknown) .. 4 (urgent).
constexpr int kLevels = 5;

// The bit of an enum value 1..63; unspecified (0) and values out of range
// have none.
uint64_t Bit(int value) { return value > 0 && value < 64 ? uint64_t{1} << value : 0; }

int Popcount(uint64_t x) {
  int n = 0;
  for (; x != 0; x &= x - 1) {
    ++n;
  }
  return n;
}

using calendar::DateKey;

// Coordinates count when set and not the (0, 0) an unset message reads as.
bool HasCoordinates(bool has, const v1::GeoPoint& p) {
  return has && !(p.latitude() == 0 && p.longitude() == 0);
}

// A place, when known, in radians with the cosine of its latitude computed
// once (common/geo).
struct Point {
  bool known = false;
  geo::Point at;
};

Point ToPoint(bool has, const v1::GeoPoint& p) {
  Point out;
  if (HasCoordinates(has, p)) {
    out.known = true;
    out.at = geo::FromDegrees(p.latitude(), p.longitude());
  }
  return out;
}

// Great-circle distance (common/geo). Every path (Violations, Score, Rank,
// the batches) goes through here, so a pair always gets the same number.
double DistanceKm(const Point& a, const Point& b) { return geo::DistanceKm(a.at, b.at); }

// Request-side data, computed once per request.
struct RequestFacts {
  explicit RequestFacts(const v1::GuidanceRequest& req) : r(&req) {
    const v1::GuidePreferences& p = req.preferences();
    language = p.language().empty() ? kDefaultLanguage : absl::string_view(p.language());
    setting = p.setting();
    gender = p.gender();
    age_band = p.age_band();
    for (int m : req.must_haves()) {
      must_haves |= Bit(m);
    }
    for (int tag : req.situation()) {
      situation |= Bit(tag);
    }
    location = ToPoint(req.has_location(), req.location());
    const int u = req.urgency();
    level = u >= 0 && u < kLevels ? u : 0;
  }

  bool Must(v1::MustHave m) const { return (must_haves & Bit(m)) != 0; }

  const v1::GuidanceRequest* r;
  absl::string_view language;
  int setting = 0;
  int gender = 0;
  int age_band = 0;
  uint64_t must_haves = 0;
  uint64_t situation = 0;
  Point location;
  int level = 0;
};

// Guide-side data, computed once per guide.
struct GuideFacts {
  GuideFacts(const GuideState& state, int32_t day) : s(&state), today(day) {
    const v1::Guide& g = state.guide;
    free = g.capacity() - state.load;
    for (const v1::GuideTraining& t : g.trainings()) {
      if (t.valid_until().year() != 0 && DateKey(t.valid_until()) >= today &&
          (t.completed_date().year() == 0 || DateKey(t.completed_date()) <= today)) {
        trained = true;
        break;
      }
    }
    for (const v1::Experience& e : g.experiences()) {
      experiences |= Bit(e.tag());
      if (e.years_ago() >= kLivedThroughYears) {
        lived_through |= Bit(e.tag());
      }
    }
    for (int p : g.life_phases()) {
      life_phases |= Bit(p);
    }
    for (int st : g.settings()) {
      settings |= Bit(st);
    }
    uint64_t days_mask = 0;
    for (int d : g.available_days()) {
      if (d >= v1::WEEKDAY_MONDAY && d <= v1::WEEKDAY_SUNDAY) {
        days_mask |= Bit(d);
      }
    }
    days = Popcount(days_mask);
    location = ToPoint(g.has_home_location(), g.home_location());
    max_km = g.max_travel_km() > 0 ? g.max_travel_km() : kDefaultMaxTravelKm;
  }

  // Passes the rules that do not depend on the request.
  bool Available() const {
    return s->guide.status() == v1::GUIDE_STATUS_ACTIVE &&
           s->guide.state() == ::helhed::common::v1::RESOURCE_STATE_ACTIVE && free > 0 && trained;
  }

  const GuideState* s;
  int32_t today;  // DateKey of MatchInputs::today
  int free = 0;
  bool trained = false;
  uint64_t experiences = 0;
  uint64_t lived_through = 0;  // experiences with years_ago >= 2
  uint64_t life_phases = 0;
  uint64_t settings = 0;
  int days = 0;  // distinct weekdays available
  Point location;
  int max_km = kDefaultMaxTravelKm;
};

enum class ReachKind { kKnown, kSamePostcode, kUnknown };

struct Reach {
  ReachKind kind = ReachKind::kUnknown;
  double km = 0;  // when kKnown
};

Reach ReachOf(const RequestFacts& q, const GuideFacts& g) {
  Reach reach;
  if (q.location.known && g.location.known) {
    reach.kind = ReachKind::kKnown;
    reach.km = DistanceKm(g.location, q.location);
  } else if (!q.r->postcode().empty() && q.r->postcode() == g.s->guide.home_postcode()) {
    reach.kind = ReachKind::kSamePostcode;
  }
  return reach;
}

bool Speaks(const v1::Guide& g, absl::string_view language) {
  for (const std::string& l : g.languages()) {
    if (absl::EqualsIgnoreCase(l, language)) {
      return true;
    }
  }
  return false;
}

// Whether `g` may take `q`; sets `reach` when it gets that far. Without
// `failed` it stops at the first failing rule (the ranking and batch path);
// with it, it checks every rule and adds each failing one, in the documented
// order. Rank, the batches, Violations and Explain all go through here.
bool Check(const RequestFacts& q, const GuideFacts& g, bool declined, Reach& reach,
           std::vector<v1::EligibilityRule>* failed) {
  const v1::Guide& guide = g.s->guide;
  bool ok = true;
  // Records a failing rule; false when the caller should stop.
  auto fail = [&](v1::EligibilityRule rule) {
    ok = false;
    if (failed == nullptr) {
      return false;
    }
    failed->push_back(rule);
    return true;
  };

  if (!q.r->consent_given() && !fail(v1::ELIGIBILITY_RULE_CONSENT)) {
    return false;
  }
  if (guide.status() != v1::GUIDE_STATUS_ACTIVE && !fail(v1::ELIGIBILITY_RULE_INACTIVE)) {
    return false;
  }
  if (guide.state() != ::helhed::common::v1::RESOURCE_STATE_ACTIVE &&
      !fail(v1::ELIGIBILITY_RULE_ARCHIVED)) {
    return false;
  }
  if (g.free <= 0 && !fail(v1::ELIGIBILITY_RULE_CAPACITY)) {
    return false;
  }
  if (!g.trained && !fail(v1::ELIGIBILITY_RULE_TRAINING)) {
    return false;
  }
  if (!Speaks(guide, q.language) && !fail(v1::ELIGIBILITY_RULE_LANGUAGE)) {
    return false;
  }
  if (q.setting != 0 && (g.settings & Bit(q.setting)) == 0 && !fail(v1::ELIGIBILITY_RULE_SETTING)) {
    return false;
  }
  if (q.Must(v1::MUST_HAVE_GENDER) && q.gender != 0 && guide.gender() != q.gender &&
      !fail(v1::ELIGIBILITY_RULE_GENDER)) {
    return false;
  }
  if (q.Must(v1::MUST_HAVE_AGE_BAND) && q.age_band != 0 && guide.age_band() != q.age_band &&
      !fail(v1::ELIGIBILITY_RULE_AGE_BAND)) {
    return false;
  }
  if (q.Must(v1::MUST_HAVE_SHARED_EXPERIENCE) && (q.situation & g.experiences) == 0 &&
      !fail(v1::ELIGIBILITY_RULE_SHARED_EXPERIENCE)) {
    return false;
  }
  if (declined && !fail(v1::ELIGIBILITY_RULE_DECLINED)) {
    return false;
  }
  reach = ReachOf(q, g);
  if (reach.kind == ReachKind::kKnown && reach.km > g.max_km &&
      !fail(v1::ELIGIBILITY_RULE_DISTANCE)) {
    return false;
  }
  return ok;
}

// The text of one failing rule, in `lang`.
std::string RuleText(i18n::Language lang, v1::EligibilityRule rule, const RequestFacts& q,
                     const GuideFacts& g, const Reach& reach) {
  const v1::Guide& guide = g.s->guide;
  switch (rule) {
    case v1::ELIGIBILITY_RULE_CONSENT:
      return i18n::Message(lang, "guides.rule.consent");
    case v1::ELIGIBILITY_RULE_INACTIVE:
      switch (guide.status()) {
        case v1::GUIDE_STATUS_PAUSED:
          return i18n::Message(lang, "guides.rule.paused");
        case v1::GUIDE_STATUS_LEFT:
          return i18n::Message(lang, "guides.rule.left");
        default:
          return i18n::Message(lang, "guides.rule.inactive");
      }
    case v1::ELIGIBILITY_RULE_ARCHIVED:
      return i18n::Message(lang, "guides.rule.archived");
    case v1::ELIGIBILITY_RULE_CAPACITY:
      return i18n::Message(lang, "guides.rule.capacity",
                           {{"load", i18n::Integer(lang, g.s->load)},
                            {"capacity", i18n::Integer(lang, guide.capacity())}});
    case v1::ELIGIBILITY_RULE_TRAINING:
      return guide.trainings().empty()
                 ? i18n::Message(lang, "guides.rule.no_training")
                 : i18n::Message(
                       lang, "guides.rule.training_expired",
                       {{"date", i18n::ShortDate(lang, calendar::CivilDayOfKey(g.today))}});
    case v1::ELIGIBILITY_RULE_LANGUAGE:
      return i18n::Message(lang, "guides.rule.language", {{"language", std::string(q.language)}});
    case v1::ELIGIBILITY_RULE_SETTING:
      return i18n::Message(
          lang, "guides.rule.setting",
          {{"setting", i18n::EnumName(lang, static_cast<v1::Setting>(q.setting))}});
    case v1::ELIGIBILITY_RULE_GENDER:
      return i18n::Message(lang, "guides.rule.gender",
                           {{"gender", i18n::EnumName(lang, static_cast<v1::Gender>(q.gender))}});
    case v1::ELIGIBILITY_RULE_AGE_BAND:
      return i18n::Message(
          lang, "guides.rule.age_band",
          {{"age_band", i18n::EnumName(lang, static_cast<v1::AgeBand>(q.age_band))}});
    case v1::ELIGIBILITY_RULE_SHARED_EXPERIENCE:
      return i18n::Message(lang, "guides.rule.shared_experience");
    case v1::ELIGIBILITY_RULE_DECLINED:
      return i18n::Message(lang, "guides.rule.declined");
    case v1::ELIGIBILITY_RULE_DISTANCE:
      return i18n::Message(
          lang, "guides.rule.distance",
          {{"km", i18n::Decimal(lang, reach.km, 1)}, {"max", i18n::Integer(lang, g.max_km)}});
    default:
      return i18n::EnumName(lang, rule);
  }
}

// The numeric parts of a score, without any strings. `total` adds the
// factors in their listed order, so every path gets the same double.
struct Numbers {
  int shared = 0;  // experience tags in common
  int lived = 0;   // of which lived through (years_ago >= 2)
  double experience = 0;
  double life_phase = 0;
  double distance = 0;
  double age = 0;
  double gender = 0;
  double availability = 0;
  double load = 0;
  double total = 0;
};

Numbers ScoreNumbers(const RequestFacts& q, const GuideFacts& g, const Reach& reach) {
  const v1::Guide& guide = g.s->guide;
  Numbers n;
  n.shared = Popcount(q.situation & g.experiences);
  n.lived = Popcount(q.situation & g.lived_through);
  n.experience =
      std::min(kExperiencePerTag * n.shared + kExperienceLivedThrough * n.lived, kExperienceCap);
  const int phase = q.r->life_phase();
  n.life_phase = phase != 0 && (g.life_phases & Bit(phase)) != 0 ? kLifePhasePoints : 0;
  switch (reach.kind) {
    case ReachKind::kKnown:
      n.distance = kDistancePoints * std::max(0.0, 1.0 - reach.km / g.max_km);
      break;
    case ReachKind::kSamePostcode:
      n.distance = kDistancePoints;
      break;
    case ReachKind::kUnknown:
      n.distance = 0;
      break;
  }
  n.age = q.age_band != 0 && guide.age_band() == q.age_band ? kAgePoints : 0;
  n.gender = q.gender != 0 && guide.gender() == q.gender ? kGenderPoints : 0;
  n.availability = g.days >= kAvailabilityDays ? kAvailabilityPoints : 0;
  n.load = g.s->load > 0 ? -kLoadPerMatch * g.s->load : 0.0;  // never -0
  n.total = n.experience + n.life_phase + n.distance + n.age + n.gender + n.availability + n.load;
  return n;
}

void AddFactor(v1::Candidate& c, const char* name, double points, std::string reason) {
  v1::ScoreFactor* f = c.add_factors();
  f->set_factor(name);
  f->set_points(points);
  f->set_reason(std::move(reason));
}

int YearsAgo(const v1::Guide& g, int tag) {
  int years = -1;
  for (const v1::Experience& e : g.experiences()) {
    if (e.tag() == tag) {
      years = std::max(years, e.years_ago());
    }
  }
  return years;
}

v1::Candidate MakeCandidate(const RequestFacts& q, const GuideFacts& g, const Reach& reach,
                            const Numbers& n, i18n::Language lang) {
  const v1::Guide& guide = g.s->guide;
  v1::Candidate c;
  c.set_guide_id(guide.id());
  c.set_display_name(guide.display_name());
  c.set_score(n.total);
  c.set_load(g.s->load);
  c.set_capacity(guide.capacity());

  std::string experience;
  if (n.shared == 0) {
    experience = i18n::Message(lang, "guides.factor.experience.none");
  } else {
    experience = n.shared == 1 ? i18n::Message(lang, "guides.factor.experience.shared_one")
                               : i18n::Message(lang, "guides.factor.experience.shared_many",
                                               {{"count", i18n::Integer(lang, n.shared)}});
    if (n.lived > 0) {
      absl::StrAppend(&experience,
                      i18n::Message(lang, "guides.factor.experience.lived",
                                    {{"count", i18n::Integer(lang, n.lived)},
                                     {"years", i18n::Integer(lang, kLivedThroughYears)}}));
    }
    std::vector<std::string> tags;
    uint64_t seen = 0;
    for (int tag : q.r->situation()) {
      const uint64_t bit = Bit(tag);
      if ((bit & g.experiences) == 0 || (bit & seen) != 0) {
        continue;
      }
      seen |= bit;
      const int years = YearsAgo(guide, tag);
      const std::string when =
          years == 0   ? i18n::Message(lang, "guides.factor.experience.within_year")
          : years == 1 ? i18n::Message(lang, "guides.factor.experience.year_ago")
                       : i18n::Message(lang, "guides.factor.experience.years_ago",
                                       {{"years", i18n::Integer(lang, years)}});
      tags.push_back(i18n::Message(
          lang, "guides.factor.experience.tag",
          {{"tag", i18n::EnumName(lang, static_cast<v1::ExperienceTag>(tag))}, {"when", when}}));
    }
    absl::StrAppend(&experience, ": ", absl::StrJoin(tags, ", "));
    if (kExperiencePerTag * n.shared + kExperienceLivedThrough * n.lived > kExperienceCap) {
      absl::StrAppend(&experience, " ",
                      i18n::Message(lang, "guides.factor.experience.capped",
                                    {{"cap", i18n::Decimal(lang, kExperienceCap, 0)}}));
    }
  }
  AddFactor(c, "experience", n.experience, std::move(experience));

  const int phase = q.r->life_phase();
  const std::string phase_name = i18n::EnumName(lang, static_cast<v1::LifePhase>(phase));
  AddFactor(c, "life_phase", n.life_phase,
            phase == 0 ? i18n::Message(lang, "guides.factor.life_phase.none")
            : n.life_phase > 0
                ? i18n::Message(lang, "guides.factor.life_phase.known", {{"phase", phase_name}})
                : i18n::Message(lang, "guides.factor.life_phase.unknown", {{"phase", phase_name}}));

  std::string distance;
  switch (reach.kind) {
    case ReachKind::kKnown:
      distance = i18n::Message(
          lang, "guides.factor.distance.known",
          {{"km", i18n::Decimal(lang, reach.km, 1)}, {"max", i18n::Integer(lang, g.max_km)}});
      break;
    case ReachKind::kSamePostcode:
      distance = i18n::Message(lang, "guides.factor.distance.same_postcode",
                               {{"postcode", guide.home_postcode()}});
      break;
    case ReachKind::kUnknown:
      distance = i18n::Message(lang, "guides.factor.distance.unknown");
      break;
  }
  AddFactor(c, "distance", n.distance, std::move(distance));

  const std::string band = i18n::EnumName(lang, static_cast<v1::AgeBand>(q.age_band));
  AddFactor(c, "age", n.age,
            q.age_band == 0 ? i18n::Message(lang, "guides.factor.age.none")
            : n.age > 0     ? i18n::Message(lang, "guides.factor.age.match", {{"age_band", band}})
                        : i18n::Message(lang, "guides.factor.age.no_match", {{"age_band", band}}));

  const std::string gender = i18n::EnumName(lang, static_cast<v1::Gender>(q.gender));
  AddFactor(c, "gender", n.gender,
            q.gender == 0 ? i18n::Message(lang, "guides.factor.gender.none")
            : n.gender > 0
                ? i18n::Message(lang, "guides.factor.gender.match", {{"gender", gender}})
                : i18n::Message(lang, "guides.factor.gender.no_match", {{"gender", gender}}));

  std::string availability = g.days == 1 ? i18n::Message(lang, "guides.factor.availability.one_day")
                                         : i18n::Message(lang, "guides.factor.availability.days",
                                                         {{"days", i18n::Integer(lang, g.days)}});
  if (g.days < kAvailabilityDays) {
    absl::StrAppend(&availability, " ",
                    i18n::Message(lang, "guides.factor.availability.counts_from",
                                  {{"min", i18n::Integer(lang, kAvailabilityDays)}}));
  }
  AddFactor(c, "availability", n.availability, std::move(availability));

  const int load = g.s->load;
  const std::string capacity = i18n::Integer(lang, guide.capacity());
  AddFactor(c, "load", n.load,
            load == 0 ? i18n::Message(lang, "guides.factor.load.none")
            : load == 1
                ? i18n::Message(lang, "guides.factor.load.one", {{"capacity", capacity}})
                : i18n::Message(lang, "guides.factor.load.many",
                                {{"count", i18n::Integer(lang, load)}, {"capacity", capacity}}));
  return c;
}

// A score factor's name in `lang`.
std::string FactorName(i18n::Language lang, absl::string_view factor) {
  if (factor == "experience") return i18n::Message(lang, "guides.factor_name.experience");
  if (factor == "life_phase") return i18n::Message(lang, "guides.factor_name.life_phase");
  if (factor == "distance") return i18n::Message(lang, "guides.factor_name.distance");
  if (factor == "age") return i18n::Message(lang, "guides.factor_name.age");
  if (factor == "gender") return i18n::Message(lang, "guides.factor_name.gender");
  if (factor == "availability") return i18n::Message(lang, "guides.factor_name.availability");
  if (factor == "load") return i18n::Message(lang, "guides.factor_name.load");
  return std::string(factor);
}

// The guide ids declined for `request_id`, sorted (the set's order).
std::vector<absl::string_view> DeclinedFor(const std::string& request_id, const MatchInputs& in) {
  std::vector<absl::string_view> out;
  for (auto it = in.declined_pairs.lower_bound({request_id, std::string()});
       it != in.declined_pairs.end() && it->first == request_id; ++it) {
    out.push_back(it->second);
  }
  return out;
}

// One feasible guide of a ranking: its index in the pool, for the last tie
// break (input order).
struct Entry {
  double score;
  int index;
  const GuideState* state;
  Reach reach;
};

// Best first: higher score, then lower load, then guide id, then input
// order.
bool Better(const Entry& a, const Entry& b) {
  if (a.score != b.score) {
    return a.score > b.score;
  }
  if (a.state->load != b.state->load) {
    return a.state->load < b.state->load;
  }
  if (a.state->guide.id() != b.state->guide.id()) {
    return a.state->guide.id() < b.state->guide.id();
  }
  return a.index < b.index;
}

// The guides of `pool` that may take `q`, scored (Rank and Explain).
std::vector<Entry> FeasibleEntries(const RequestFacts& q,
                                   const std::vector<const GuideState*>& pool,
                                   const MatchInputs& in) {
  const int32_t today = DateKey(in.today);
  const std::vector<absl::string_view> declined = DeclinedFor(q.r->id(), in);
  std::vector<Entry> feasible;
  feasible.reserve(pool.size());
  for (size_t i = 0; i < pool.size(); ++i) {
    const GuideFacts g(*pool[i], today);
    if (!g.Available()) {
      continue;
    }
    const bool is_declined =
        !declined.empty() &&
        std::binary_search(declined.begin(), declined.end(), absl::string_view(g.s->guide.id()));
    Reach reach;
    if (!Check(q, g, is_declined, reach, nullptr)) {
      continue;
    }
    feasible.push_back(Entry{ScoreNumbers(q, g, reach).total, static_cast<int>(i), pool[i], reach});
  }
  return feasible;
}

// Feasible pairs of a batch as flat arrays, by request (CSR): the edges of
// request i are [offset[i], offset[i + 1]), in guide order.
struct Edges {
  std::vector<int> offset;
  std::vector<int> guide;
  std::vector<double> score;
};

Edges FeasibleEdges(const std::vector<RequestFacts>& requests,
                    const std::vector<GuideFacts>& guides, const MatchInputs& in) {
  const int n = static_cast<int>(requests.size());
  const int m = static_cast<int>(guides.size());

  // Declined pairs as guide indices per request.
  std::vector<std::vector<int>> declined(n);
  if (!in.declined_pairs.empty()) {
    std::unordered_map<std::string_view, std::vector<int>> request_index;
    std::unordered_map<std::string_view, std::vector<int>> guide_index;
    for (int i = 0; i < n; ++i) {
      request_index[requests[i].r->id()].push_back(i);
    }
    for (int j = 0; j < m; ++j) {
      guide_index[guides[j].s->guide.id()].push_back(j);
    }
    for (const auto& [request_id, guide_id] : in.declined_pairs) {
      auto ri = request_index.find(std::string_view(request_id));
      auto gi = guide_index.find(std::string_view(guide_id));
      if (ri == request_index.end() || gi == guide_index.end()) {
        continue;
      }
      for (int i : ri->second) {
        declined[i].insert(declined[i].end(), gi->second.begin(), gi->second.end());
      }
    }
    for (std::vector<int>& d : declined) {
      std::sort(d.begin(), d.end());
    }
  }

  std::vector<int> available;
  for (int j = 0; j < m; ++j) {
    if (guides[j].Available()) {
      available.push_back(j);
    }
  }

  Edges e;
  e.offset.reserve(n + 1);
  e.offset.push_back(0);
  e.guide.reserve(static_cast<size_t>(n) * available.size() / 2);
  e.score.reserve(e.guide.capacity());
  for (int i = 0; i < n; ++i) {
    const RequestFacts& q = requests[i];
    if (q.r->consent_given()) {
      for (int j : available) {
        const bool is_declined =
            !declined[i].empty() && std::binary_search(declined[i].begin(), declined[i].end(), j);
        Reach reach;
        if (Check(q, guides[j], is_declined, reach, nullptr)) {
          e.guide.push_back(j);
          e.score.push_back(ScoreNumbers(q, guides[j], reach).total);
        }
      }
    }
    e.offset.push_back(static_cast<int>(e.guide.size()));
  }
  return e;
}

struct Batch {
  Batch(const std::vector<v1::GuidanceRequest>& requests, const std::vector<GuideState>& guides,
        const MatchInputs& in) {
    const int32_t today = DateKey(in.today);
    q.reserve(requests.size());
    for (const v1::GuidanceRequest& r : requests) {
      q.emplace_back(r);
    }
    g.reserve(guides.size());
    for (const GuideState& s : guides) {
      g.emplace_back(s, today);
    }
    edges = FeasibleEdges(q, g, in);
  }

  std::vector<RequestFacts> q;
  std::vector<GuideFacts> g;
  Edges edges;
};

BatchResult ResultOf(const std::vector<int>& assigned_edge, const Edges& edges) {
  BatchResult out;
  const int n = static_cast<int>(assigned_edge.size());
  for (int i = 0; i < n; ++i) {
    const int e = assigned_edge[i];
    if (e < 0) {
      out.unassigned.push_back(i);
    } else {
      out.assignments.emplace_back(i, edges.guide[e]);
      out.total_score += edges.score[e];
    }
  }
  return out;
}

}  // namespace

std::vector<RuleFailure> FailedRules(const v1::GuidanceRequest& r, const GuideState& g,
                                     const MatchInputs& in, i18n::Language language) {
  const RequestFacts q(r);
  const GuideFacts facts(g, DateKey(in.today));
  const bool declined = in.declined_pairs.count({r.id(), g.guide.id()}) != 0;
  std::vector<v1::EligibilityRule> rules;
  Reach reach;
  Check(q, facts, declined, reach, &rules);
  std::vector<RuleFailure> out;
  out.reserve(rules.size());
  for (v1::EligibilityRule rule : rules) {
    out.push_back(RuleFailure{rule, RuleText(language, rule, q, facts, reach)});
  }
  return out;
}

std::vector<std::string> Violations(const v1::GuidanceRequest& r, const GuideState& g,
                                    const MatchInputs& in, i18n::Language language) {
  std::vector<std::string> out;
  for (RuleFailure& f : FailedRules(r, g, in, language)) {
    out.push_back(std::move(f.text));
  }
  return out;
}

v1::Candidate Score(const v1::GuidanceRequest& r, const GuideState& g, i18n::Language language) {
  const RequestFacts q(r);
  const GuideFacts facts(g, 0);
  const Reach reach = ReachOf(q, facts);
  return MakeCandidate(q, facts, reach, ScoreNumbers(q, facts, reach), language);
}

std::vector<v1::Candidate> Rank(const v1::GuidanceRequest& r, const std::vector<GuideState>& guides,
                                const MatchInputs& in, int limit, i18n::Language language) {
  std::vector<v1::Candidate> out;
  if (limit <= 0 || guides.empty() || !r.consent_given()) {
    return out;
  }
  const RequestFacts q(r);
  const int32_t today = DateKey(in.today);
  std::vector<const GuideState*> pool;
  pool.reserve(guides.size());
  for (const GuideState& g : guides) {
    pool.push_back(&g);
  }
  std::vector<Entry> feasible = FeasibleEntries(q, pool, in);
  const size_t k = std::min(feasible.size(), static_cast<size_t>(limit));
  std::partial_sort(feasible.begin(), feasible.begin() + k, feasible.end(), Better);

  out.reserve(k);
  for (size_t i = 0; i < k; ++i) {
    const Entry& e = feasible[i];
    const GuideFacts g(*e.state, today);
    out.push_back(MakeCandidate(q, g, e.reach, ScoreNumbers(q, g, e.reach), language));
  }
  return out;
}

v1::CandidateExplanation Explain(const v1::GuidanceRequest& r,
                                 const std::vector<GuideState>& guides, const GuideState& who,
                                 const MatchInputs& in, int limit, i18n::Language language) {
  const RequestFacts q(r);
  const int32_t today = DateKey(in.today);
  const GuideFacts facts(who, today);
  v1::CandidateExplanation out;
  out.set_guide_id(who.guide.id());
  out.set_display_name(who.guide.display_name());
  const std::string& name =
      who.guide.display_name().empty() ? who.guide.id() : who.guide.display_name();

  std::vector<v1::EligibilityRule> rules;
  Reach reach;
  Check(q, facts, in.declined_pairs.count({r.id(), who.guide.id()}) != 0, reach, &rules);
  if (!rules.empty()) {
    std::vector<std::string> texts;
    for (v1::EligibilityRule rule : rules) {
      out.add_failed_rules(rule);
      texts.push_back(RuleText(language, rule, q, facts, reach));
    }
    out.set_text(i18n::Message(language, "guides.explain.excluded",
                               {{"name", name}, {"rules", absl::StrJoin(texts, "; ")}}));
    return out;
  }

  // The same pool and order as Rank, with `who` in it (once, last).
  std::vector<const GuideState*> pool;
  pool.reserve(guides.size() + 1);
  for (const GuideState& g : guides) {
    if (g.guide.id() != who.guide.id()) {
      pool.push_back(&g);
    }
  }
  pool.push_back(&who);
  std::vector<Entry> feasible = FeasibleEntries(q, pool, in);
  const Numbers mine = ScoreNumbers(q, facts, reach);
  const Entry me{mine.total, static_cast<int>(pool.size()) - 1, &who, reach};
  int rank = 1;
  for (const Entry& e : feasible) {
    if (e.state != &who && Better(e, me)) {
      ++rank;
    }
  }
  const v1::Candidate scored = MakeCandidate(q, facts, reach, mine, language);
  out.set_rank(rank);
  out.set_score(mine.total);
  *out.mutable_factors() = scored.factors();
  const int shown =
      static_cast<int>(std::min(feasible.size(), static_cast<size_t>(std::max(0, limit))));
  out.set_ranked(rank <= shown);
  const std::string eligible = i18n::Integer(language, static_cast<int64_t>(feasible.size()));
  const std::string score = i18n::Decimal(language, mine.total, 1);
  if (out.ranked() || shown == 0) {
    out.set_text(i18n::Message(language, "guides.explain.ranked",
                               {{"name", name},
                                {"rank", i18n::Integer(language, rank)},
                                {"eligible", eligible},
                                {"score", score}}));
    return out;
  }
  // The last one listed: the shown-th best.
  std::nth_element(feasible.begin(), feasible.begin() + (shown - 1), feasible.end(), Better);
  const Entry& last = feasible[shown - 1];
  out.set_gap(std::max(0.0, last.score - mine.total));
  const std::string last_rank = i18n::Integer(language, shown);
  std::string text = i18n::Message(
      language, last.score > mine.total ? "guides.explain.below" : "guides.explain.tie",
      {{"name", name},
       {"rank", i18n::Integer(language, rank)},
       {"eligible", eligible},
       {"score", score},
       {"gap", i18n::Decimal(language, last.score - mine.total, 1)},
       {"last", last_rank}});
  // The score parts where the last one listed got more.
  const GuideFacts last_facts(*last.state, today);
  const Numbers theirs = ScoreNumbers(q, last_facts, last.reach);
  const double my_parts[] = {mine.experience, mine.life_phase,   mine.distance, mine.age,
                             mine.gender,     mine.availability, mine.load};
  const double their_parts[] = {theirs.experience, theirs.life_phase,   theirs.distance, theirs.age,
                                theirs.gender,     theirs.availability, theirs.load};
  std::vector<std::string> parts;
  for (int i = 0; i < scored.factors_size() && i < 7; ++i) {
    const std::string my_points = i18n::Decimal(language, my_parts[i], 1);
    const std::string their_points = i18n::Decimal(language, their_parts[i], 1);
    if (their_parts[i] > my_parts[i] && my_points != their_points) {
      parts.push_back(i18n::Message(language, "guides.explain.part",
                                    {{"factor", FactorName(language, scored.factors(i).factor())},
                                     {"points", my_points},
                                     {"other", their_points}}));
    }
  }
  if (!parts.empty()) {
    absl::StrAppend(&text, " ",
                    i18n::Message(language, "guides.explain.lower_parts",
                                  {{"last", last_rank}, {"parts", absl::StrJoin(parts, ", ")}}));
  }
  out.set_text(std::move(text));
  return out;
}

BatchResult AssignExact(const std::vector<v1::GuidanceRequest>& requests,
                        const std::vector<GuideState>& guides, const MatchInputs& in) {
  const Batch b(requests, guides, in);
  const Edges& edges = b.edges;
  const int n = static_cast<int>(requests.size());
  const int m = static_cast<int>(guides.size());
  const size_t num_edges = edges.guide.size();

  // Rows with at least one feasible guide; the others stay unassigned.
  std::vector<int> rows;
  for (int i = 0; i < n; ++i) {
    if (edges.offset[i + 1] > edges.offset[i]) {
      rows.push_back(i);
    }
  }
  std::vector<int> assigned_edge(n, -1);
  if (rows.empty()) {
    return ResultOf(assigned_edge, edges);
  }

  // Integer costs. A pair's score in units of 1/scale points, rounded; the
  // pair's cost is -(bonus(level) + scaled score) with
  //   bonus(level) = (level + 1) * W,  W = 2 * A * rows + 1,
  // A the largest scaled |score|. Any exchange (an alternating path or cycle)
  // touches each request at most twice, so its score change is at most
  // 2 * A * rows < W: one more request of a level, or one of a level for one
  // of a lower level, always outweighs every score change, and among
  // assignments with the same number of requests per level the total score
  // decides. The scale is 1e6 (micro-points) unless the costs would then risk
  // overflowing int64 path lengths (absurd scores only), when it shrinks by
  // tens.
  double max_abs = 1;
  for (double s : edges.score) {
    max_abs = std::max(max_abs, std::abs(s));
  }
  const double path_edges = 2.0 * (static_cast<double>(rows.size()) + m) + 4;
  double scale = 1e6;
  auto worst_path = [&](double sc) {
    const double a = std::ceil(max_abs * sc) + 1;
    const double w = 2 * a * static_cast<double>(rows.size()) + 1;
    return (kLevels * w + a) * path_edges;
  };
  for (int k = 0; k < 60 && worst_path(scale) > 0x1p60; ++k) {
    scale /= 10;
  }
  std::vector<int64_t> scaled(num_edges);
  int64_t max_scaled = 0;
  for (size_t e = 0; e < num_edges; ++e) {
    scaled[e] = std::llround(edges.score[e] * scale);
    max_scaled = std::max(max_scaled, scaled[e] < 0 ? -scaled[e] : scaled[e]);
  }
  const int64_t w = 2 * max_scaled * static_cast<int64_t>(rows.size()) + 1;
  std::vector<int64_t> cost(num_edges);
  for (int i : rows) {
    const int64_t bonus = (b.q[i].level + 1) * w;
    for (int e = edges.offset[i]; e < edges.offset[i + 1]; ++e) {
      cost[e] = -(bonus + scaled[e]);
    }
  }
  scaled.clear();
  scaled.shrink_to_fit();

  // Successive shortest paths, one request at a time, on the residual graph
  // of
  //   request -> guide (cost as above), request -> sink (cost 0: it stays
  //   unassigned), guide -> sink (free capacity, cost 0),
  // with node potentials p: the reduced cost c(u, v) + p(u) - p(v) is
  // non-negative on every residual edge, and the sink's potential stays 0.
  // Each request sends its one unit along a shortest path from it to the
  // sink: into a guide with a free slot, possibly shifting requests along a
  // chain of guides, or displacing a request that then stays unassigned, or
  // straight to the sink. After each request the flow is a min-cost flow for
  // the requests so far (successive shortest paths), so at the end it
  // maximises the total of bonus + score over all assignments. Negative
  // costs need no Bellman-Ford: a new request's potential is set so its own
  // edges are non-negative, everything else already is.
  //
  // Dijkstra runs on guides only. A request already assigned is reached only
  // from its guide, so "guide g -> its request r -> guide h" contracts to one
  // edge of cost c(r, h) - c(r, g) (request potentials cancel), the cheapest
  // over g's requests; "g -> r -> sink" (dropping r) to -c(r, g). These
  // per-guide lists (`moves`) change only when the guide's requests do and
  // are rebuilt lazily, so a guide with k requests is relaxed in one pass of
  // at most min(guides, k * degree) entries instead of k passes.
  //
  // Order: most urgent first, then the request with the best score (any
  // order is exact; this one needs fewer displacements).
  std::vector<double> best(n, 0);
  for (int i : rows) {
    best[i] = *std::max_element(edges.score.begin() + edges.offset[i],
                                edges.score.begin() + edges.offset[i + 1]);
  }
  std::stable_sort(rows.begin(), rows.end(), [&](int x, int y) {
    if (b.q[x].level != b.q[y].level) {
      return b.q[x].level > b.q[y].level;
    }
    return best[x] > best[y];
  });

  constexpr int64_t kInf = std::numeric_limits<int64_t>::max();
  struct Move {
    int64_t cost;  // c(r, to) - c(r, from)
    int to;
    int edge;  // (r, to)
  };
  std::vector<int64_t> pg(m, 0);  // guide potentials
  std::vector<int> left(m);       // free slots per guide
  for (int j = 0; j < m; ++j) {
    left[j] = std::max(0, b.g[j].free);
  }
  std::vector<std::vector<int>> on_guide(m);  // requests assigned to each guide
  std::vector<int> slot(n, -1);               // position in on_guide
  std::vector<std::vector<Move>> moves(m);
  std::vector<int64_t> drop_cost(m, kInf);  // min over the guide's requests of -c(r, g)
  std::vector<int> drop_row(m, -1);
  std::vector<char> stale(m, 0);

  std::vector<int64_t> dg(m, kInf);
  std::vector<char> done(m, 0);
  std::vector<int> parent_edge(m, -1);  // the edge (r, g) a path enters g by
  std::vector<int> touched;
  std::vector<int> open;  // reached, not settled
  std::vector<int64_t> scratch_cost(m, kInf);
  std::vector<int> scratch_edge(m, -1);
  std::vector<int> scratch_touched;

  auto row_of = [&edges](int e) {
    return static_cast<int>(std::upper_bound(edges.offset.begin(), edges.offset.end(), e) -
                            edges.offset.begin()) -
           1;
  };
  auto rebuild = [&](int j) {
    drop_cost[j] = kInf;
    drop_row[j] = -1;
    for (int r : on_guide[j]) {
      const int64_t here = cost[assigned_edge[r]];
      if (-here < drop_cost[j]) {
        drop_cost[j] = -here;
        drop_row[j] = r;
      }
      for (int e = edges.offset[r], end = edges.offset[r + 1]; e < end; ++e) {
        const int h = edges.guide[e];
        const int64_t c = cost[e] - here;
        if (h != j && c < scratch_cost[h]) {
          if (scratch_cost[h] == kInf) {
            scratch_touched.push_back(h);
          }
          scratch_cost[h] = c;
          scratch_edge[h] = e;
        }
      }
    }
    std::vector<Move>& list = moves[j];
    list.clear();
    for (int h : scratch_touched) {
      list.push_back(Move{scratch_cost[h], h, scratch_edge[h]});
      scratch_cost[h] = kInf;
    }
    scratch_touched.clear();
    stale[j] = 0;
  };
  auto unassign = [&](int r) {
    const int j = edges.guide[assigned_edge[r]];
    std::vector<int>& list = on_guide[j];
    const int at = slot[r];
    list[at] = list.back();
    slot[list[at]] = at;
    list.pop_back();
    assigned_edge[r] = -1;
    slot[r] = -1;
    stale[j] = 1;
  };
  auto assign = [&](int r, int e) {
    const int j = edges.guide[e];
    std::vector<int>& list = on_guide[j];
    assigned_edge[r] = e;
    slot[r] = static_cast<int>(list.size());
    list.push_back(r);
    stale[j] = 1;
  };
  auto reach = [&](int h, int64_t nd, int e) {
    if (nd < dg[h]) {
      if (dg[h] == kInf) {
        touched.push_back(h);
        open.push_back(h);
      }
      dg[h] = nd;
      parent_edge[h] = e;
    }
  };

  for (int r0 : rows) {
    const int begin0 = edges.offset[r0];
    const int end0 = edges.offset[r0 + 1];
    // r0's potential: the least making its edges non-negative (and its edge
    // to the sink, so at least 0).
    int64_t p0 = 0;
    for (int e = begin0; e < end0; ++e) {
      p0 = std::max(p0, pg[edges.guide[e]] - cost[e]);
    }
    for (int e = begin0; e < end0; ++e) {
      const int h = edges.guide[e];
      reach(h, cost[e] + p0 - pg[h], e);
    }

    // Dijkstra until the sink is settled (ties: the sink first).
    int64_t dt = p0;  // straight to the sink: r0 stays unassigned
    int t_free = -1;  // or into this guide's free slot
    int t_drop = -1;  // or through this guide, dropping its cheapest request
    while (!open.empty()) {
      size_t at = 0;
      for (size_t k = 1; k < open.size(); ++k) {
        if (dg[open[k]] < dg[open[at]]) {
          at = k;
        }
      }
      const int j = open[at];
      const int64_t d = dg[j];
      if (d >= dt) {
        break;
      }
      open[at] = open.back();
      open.pop_back();
      done[j] = 1;
      const int64_t base = d + pg[j];
      if (left[j] > 0 && base < dt) {
        dt = base;
        t_free = j;
        t_drop = -1;
      }
      if (on_guide[j].empty()) {
        continue;
      }
      if (stale[j]) {
        rebuild(j);
      }
      if (base + drop_cost[j] < dt) {
        dt = base + drop_cost[j];
        t_free = -1;
        t_drop = j;
      }
      for (const Move& mv : moves[j]) {
        if (!done[mv.to]) {
          reach(mv.to, base + mv.cost - pg[mv.to], mv.edge);
        }
      }
    }

    // Potentials: p += min(d, D) - D keeps every reduced cost non-negative
    // and the sink at 0; guides not settled before the sink keep theirs.
    for (int j : touched) {
      if (dg[j] < dt) {
        pg[j] -= dt - dg[j];
      }
    }

    // Augment along the path, from the sink back to r0.
    int j = -1;
    if (t_free >= 0) {
      j = t_free;
      --left[j];
    } else if (t_drop >= 0) {
      j = t_drop;
      unassign(drop_row[j]);
    }
    while (j >= 0) {
      const int e = parent_edge[j];
      const int r = row_of(e);
      const int old = assigned_edge[r];
      if (old >= 0) {
        unassign(r);
      }
      assign(r, e);
      j = r == r0 ? -1 : edges.guide[old];
    }

    for (int h : touched) {
      dg[h] = kInf;
      done[h] = 0;
    }
    touched.clear();
    open.clear();
  }
  return ResultOf(assigned_edge, edges);
}

BatchResult AssignGreedy(const std::vector<v1::GuidanceRequest>& requests,
                         const std::vector<GuideState>& guides, const MatchInputs& in) {
  const Batch b(requests, guides, in);
  const Edges& edges = b.edges;
  const int n = static_cast<int>(requests.size());
  const int m = static_cast<int>(guides.size());

  // Most urgent first, then the oldest (create_time), then input order.
  std::vector<int> order(n);
  for (int i = 0; i < n; ++i) {
    order[i] = i;
  }
  std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
    if (b.q[x].level != b.q[y].level) {
      return b.q[x].level > b.q[y].level;
    }
    const google::protobuf::Timestamp& tx = requests[x].create_time();
    const google::protobuf::Timestamp& ty = requests[y].create_time();
    if (tx.seconds() != ty.seconds()) {
      return tx.seconds() < ty.seconds();
    }
    return tx.nanos() < ty.nanos();
  });

  std::vector<int> left(m);  // free slots per guide
  for (int j = 0; j < m; ++j) {
    left[j] = std::max(0, b.g[j].free);
  }
  std::vector<int> assigned_edge(n, -1);
  for (int i : order) {
    // The best guide with a free slot, ties as in Rank.
    int best = -1;
    for (int e = edges.offset[i]; e < edges.offset[i + 1]; ++e) {
      const int j = edges.guide[e];
      if (left[j] <= 0) {
        continue;
      }
      if (best < 0) {
        best = e;
        continue;
      }
      const int k = edges.guide[best];
      if (edges.score[e] != edges.score[best]) {
        if (edges.score[e] > edges.score[best]) {
          best = e;
        }
      } else if (guides[j].load != guides[k].load) {
        if (guides[j].load < guides[k].load) {
          best = e;
        }
      } else if (guides[j].guide.id() < guides[k].guide.id()) {
        best = e;
      }
    }
    if (best >= 0) {
      assigned_edge[i] = best;
      --left[edges.guide[best]];
    }
  }
  return ResultOf(assigned_edge, edges);
}

}  // namespace helhed::guides
