#include "services/guides/domain/matching.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace helhed::guides {
namespace {

using ::google::protobuf::RepeatedField;

constexpr double kEarthRadiusKm = 6371.0088;  // mean radius (IUGG)
constexpr double kRadiansPerDegree = 3.14159265358979323846 / 180.0;
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

int32_t DateKey(const google::type::Date& d) {
  return d.year() * 10000 + d.month() * 100 + d.day();
}

// yyyy-mm-dd from a DateKey.
std::string DateText(int32_t key) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", key / 10000, key / 100 % 100, key % 100);
  return buf;
}

// Coordinates count when set and not the (0, 0) an unset message reads as.
bool HasCoordinates(bool has, const v1::GeoPoint& p) {
  return has && !(p.latitude() == 0 && p.longitude() == 0);
}

// "4.5", "10", "12.3": at most `decimals` decimals, trailing zeros dropped.
std::string Number(double x, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  std::string s(buf);
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') {
      s.pop_back();
    }
    if (!s.empty() && s.back() == '.') {
      s.pop_back();
    }
  }
  if (s == "-0") {
    s = "0";
  }
  return s;
}

std::string Plural(int n, absl::string_view one, absl::string_view many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

std::string ExperienceWord(int tag) {
  switch (tag) {
    case v1::EXPERIENCE_TAG_AUTISM:
      return "autism";
    case v1::EXPERIENCE_TAG_ADHD:
      return "ADHD";
    case v1::EXPERIENCE_TAG_ACQUIRED_BRAIN_INJURY:
      return "acquired brain injury";
    case v1::EXPERIENCE_TAG_INTELLECTUAL_DISABILITY:
      return "intellectual disability";
    case v1::EXPERIENCE_TAG_PHYSICAL_DISABILITY:
      return "physical disability";
    case v1::EXPERIENCE_TAG_MENTAL_ILLNESS:
      return "mental illness";
    case v1::EXPERIENCE_TAG_ADDICTION_RECOVERY:
      return "addiction recovery";
    case v1::EXPERIENCE_TAG_HOMELESSNESS:
      return "homelessness";
    case v1::EXPERIENCE_TAG_RELATIVE:
      return "being a relative";
    default:
      return absl::StrCat("experience ", tag);
  }
}

std::string LifePhaseWord(int phase) {
  switch (phase) {
    case v1::LIFE_PHASE_YOUTH_TO_ADULT:
      return "youth to adult";
    case v1::LIFE_PHASE_WORK_AND_EDUCATION:
      return "work and education";
    case v1::LIFE_PHASE_PARENTHOOD:
      return "parenthood";
    case v1::LIFE_PHASE_SENIOR_LIFE:
      return "senior life";
    default:
      return absl::StrCat("life phase ", phase);
  }
}

std::string SettingWord(int setting) {
  switch (setting) {
    case v1::SETTING_DISABILITY_SERVICES:
      return "disability services";
    case v1::SETTING_JOB_CENTRE:
      return "job centre";
    case v1::SETTING_ADDICTION_TREATMENT:
      return "addiction treatment";
    case v1::SETTING_HOUSING:
      return "housing";
    default:
      return absl::StrCat("setting ", setting);
  }
}

std::string AgeBandWord(int band) {
  switch (band) {
    case v1::AGE_BAND_18_29:
      return "18-29";
    case v1::AGE_BAND_30_49:
      return "30-49";
    case v1::AGE_BAND_50_66:
      return "50-66";
    case v1::AGE_BAND_67_PLUS:
      return "67+";
    default:
      return absl::StrCat("age band ", band);
  }
}

std::string GenderWord(int gender) {
  switch (gender) {
    case v1::GENDER_FEMALE:
      return "female";
    case v1::GENDER_MALE:
      return "male";
    case v1::GENDER_OTHER:
      return "other";
    default:
      return absl::StrCat("gender ", gender);
  }
}

std::string StatusReason(v1::GuideStatus status) {
  switch (status) {
    case v1::GUIDE_STATUS_PAUSED:
      return "guide paused";
    case v1::GUIDE_STATUS_LEFT:
      return "guide has left";
    default:
      return "guide not active";
  }
}

// A point in radians with the cosine of its latitude, for the haversine.
struct Point {
  bool known = false;
  double lat = 0;
  double lon = 0;
  double cos_lat = 1;
};

Point ToPoint(bool has, const v1::GeoPoint& p) {
  Point out;
  if (HasCoordinates(has, p)) {
    out.known = true;
    out.lat = p.latitude() * kRadiansPerDegree;
    out.lon = p.longitude() * kRadiansPerDegree;
    out.cos_lat = std::cos(out.lat);
  }
  return out;
}

// Great-circle distance. Every path (Violations, Score, Rank, the batches)
// goes through here, so a pair always gets the same number.
double DistanceKm(const Point& a, const Point& b) {
  const double s_lat = std::sin((b.lat - a.lat) / 2);
  const double s_lon = std::sin((b.lon - a.lon) / 2);
  const double h = s_lat * s_lat + a.cos_lat * b.cos_lat * s_lon * s_lon;
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));
}

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
// `reasons` it stops at the first failing rule and builds no strings (the
// ranking and batch path); with it, it checks every rule and adds one reason
// per failure.
bool Check(const RequestFacts& q, const GuideFacts& g, bool declined, Reach& reach,
           std::vector<std::string>* reasons) {
  const v1::Guide& guide = g.s->guide;
  bool ok = true;
  // Records a failing rule; false when the caller should stop.
  auto fail = [&](auto&& reason) {
    ok = false;
    if (reasons == nullptr) {
      return false;
    }
    reasons->push_back(reason());
    return true;
  };

  if (!q.r->consent_given() && !fail([] { return std::string("no consent given"); })) {
    return false;
  }
  if (guide.status() != v1::GUIDE_STATUS_ACTIVE &&
      !fail([&] { return StatusReason(guide.status()); })) {
    return false;
  }
  if (guide.state() != ::helhed::common::v1::RESOURCE_STATE_ACTIVE &&
      !fail([] { return std::string("guide archived"); })) {
    return false;
  }
  if (g.free <= 0 && !fail([&] {
        return absl::StrCat("no capacity left (", g.s->load, " of ", guide.capacity(), " in use)");
      })) {
    return false;
  }
  if (!g.trained && !fail([&] {
        return guide.trainings().empty() ? std::string("no training")
                                         : absl::StrCat("no training valid on ", DateText(g.today));
      })) {
    return false;
  }
  if (!Speaks(guide, q.language) &&
      !fail([&] { return absl::StrCat("does not speak ", q.language); })) {
    return false;
  }
  if (q.setting != 0 && (g.settings & Bit(q.setting)) == 0 &&
      !fail([&] { return absl::StrCat("does not work in ", SettingWord(q.setting)); })) {
    return false;
  }
  if (q.Must(v1::MUST_HAVE_GENDER) && q.gender != 0 && guide.gender() != q.gender &&
      !fail([&] { return absl::StrCat("not the required gender (", GenderWord(q.gender), ")"); })) {
    return false;
  }
  if (q.Must(v1::MUST_HAVE_AGE_BAND) && q.age_band != 0 && guide.age_band() != q.age_band &&
      !fail([&] {
        return absl::StrCat("not the required age band (", AgeBandWord(q.age_band), ")");
      })) {
    return false;
  }
  if (q.Must(v1::MUST_HAVE_SHARED_EXPERIENCE) && (q.situation & g.experiences) == 0 &&
      !fail([] { return std::string("no experience in common with the situation"); })) {
    return false;
  }
  if (declined && !fail([] { return std::string("declined this request before"); })) {
    return false;
  }
  reach = ReachOf(q, g);
  if (reach.kind == ReachKind::kKnown && reach.km > g.max_km && !fail([&] {
        return absl::StrCat("too far: ", Number(reach.km, 1), " km (travels up to ", g.max_km,
                            " km)");
      })) {
    return false;
  }
  return ok;
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
  n.load = -kLoadPerMatch * g.s->load;
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
                            const Numbers& n) {
  const v1::Guide& guide = g.s->guide;
  v1::Candidate c;
  c.set_guide_id(guide.id());
  c.set_display_name(guide.display_name());
  c.set_score(n.total);
  c.set_load(g.s->load);
  c.set_capacity(guide.capacity());

  std::string experience;
  if (n.shared == 0) {
    experience = "no experience in common with the situation";
  } else {
    experience = absl::StrCat("shares ", Plural(n.shared, "experience", "experiences"));
    if (n.lived > 0) {
      absl::StrAppend(&experience, ", ", n.lived, " lived through ", kLivedThroughYears,
                      "+ years ago");
    }
    absl::StrAppend(&experience, ":");
    uint64_t seen = 0;
    bool first = true;
    for (int tag : q.r->situation()) {
      const uint64_t bit = Bit(tag);
      if ((bit & g.experiences) == 0 || (bit & seen) != 0) {
        continue;
      }
      seen |= bit;
      const int years = YearsAgo(guide, tag);
      absl::StrAppend(&experience, first ? " " : ", ", ExperienceWord(tag), " (",
                      years == 0 ? std::string("within the last year")
                                 : absl::StrCat(Plural(years, "year", "years"), " ago"),
                      ")");
      first = false;
    }
    if (kExperiencePerTag * n.shared + kExperienceLivedThrough * n.lived > kExperienceCap) {
      absl::StrAppend(&experience, " (counted up to ", Number(kExperienceCap, 0), ")");
    }
  }
  AddFactor(c, "experience", n.experience, std::move(experience));

  const int phase = q.r->life_phase();
  std::string life_phase;
  if (phase == 0) {
    life_phase = "no life phase given";
  } else if (n.life_phase > 0) {
    life_phase = absl::StrCat("knows the life phase ", LifePhaseWord(phase));
  } else {
    life_phase = absl::StrCat("does not know the life phase ", LifePhaseWord(phase));
  }
  AddFactor(c, "life_phase", n.life_phase, std::move(life_phase));

  std::string distance;
  switch (reach.kind) {
    case ReachKind::kKnown:
      distance =
          absl::StrCat(Number(reach.km, 1), " km from home (travels up to ", g.max_km, " km)");
      break;
    case ReachKind::kSamePostcode:
      distance = absl::StrCat("lives in the same postcode (", guide.home_postcode(), ")");
      break;
    case ReachKind::kUnknown:
      distance = "distance unknown (no coordinates, another postcode)";
      break;
  }
  AddFactor(c, "distance", n.distance, std::move(distance));

  std::string age;
  if (q.age_band == 0) {
    age = "no age band preferred";
  } else if (n.age > 0) {
    age = absl::StrCat("in the preferred age band (", AgeBandWord(q.age_band), ")");
  } else {
    age = absl::StrCat("not in the preferred age band (", AgeBandWord(q.age_band), ")");
  }
  AddFactor(c, "age", n.age, std::move(age));

  std::string gender;
  if (q.gender == 0) {
    gender = "no gender preferred";
  } else if (n.gender > 0) {
    gender = absl::StrCat("the preferred gender (", GenderWord(q.gender), ")");
  } else {
    gender = absl::StrCat("not the preferred gender (", GenderWord(q.gender), ")");
  }
  AddFactor(c, "gender", n.gender, std::move(gender));

  std::string availability = absl::StrCat("available on ", Plural(g.days, "day", "days"));
  if (g.days < kAvailabilityDays) {
    absl::StrAppend(&availability, " (", kAvailabilityDays, " or more count)");
  }
  AddFactor(c, "availability", n.availability, std::move(availability));

  const int load = g.s->load;
  AddFactor(c, "load", n.load,
            load == 0 ? std::string("no active matches")
                      : absl::StrCat(Plural(load, "active match", "active matches"), " (capacity ",
                                     guide.capacity(), ")"));
  return c;
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

std::vector<std::string> Violations(const v1::GuidanceRequest& r, const GuideState& g,
                                    const MatchInputs& in) {
  const RequestFacts q(r);
  const GuideFacts facts(g, DateKey(in.today));
  const bool declined = in.declined_pairs.count({r.id(), g.guide.id()}) != 0;
  std::vector<std::string> reasons;
  Reach reach;
  Check(q, facts, declined, reach, &reasons);
  return reasons;
}

v1::Candidate Score(const v1::GuidanceRequest& r, const GuideState& g) {
  const RequestFacts q(r);
  const GuideFacts facts(g, 0);
  const Reach reach = ReachOf(q, facts);
  return MakeCandidate(q, facts, reach, ScoreNumbers(q, facts, reach));
}

std::vector<v1::Candidate> Rank(const v1::GuidanceRequest& r, const std::vector<GuideState>& guides,
                                const MatchInputs& in, int limit) {
  std::vector<v1::Candidate> out;
  if (limit <= 0 || guides.empty() || !r.consent_given()) {
    return out;
  }
  const RequestFacts q(r);
  const int32_t today = DateKey(in.today);
  const std::vector<absl::string_view> declined = DeclinedFor(r.id(), in);

  struct Entry {
    double score;
    int index;
    Reach reach;
  };
  std::vector<Entry> feasible;
  feasible.reserve(guides.size());
  for (size_t i = 0; i < guides.size(); ++i) {
    const GuideFacts g(guides[i], today);
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
    feasible.push_back(Entry{ScoreNumbers(q, g, reach).total, static_cast<int>(i), reach});
  }

  // Best first: higher score, then lower load, then guide id, then input
  // order.
  auto better = [&guides](const Entry& a, const Entry& b) {
    if (a.score != b.score) {
      return a.score > b.score;
    }
    const GuideState& ga = guides[a.index];
    const GuideState& gb = guides[b.index];
    if (ga.load != gb.load) {
      return ga.load < gb.load;
    }
    if (ga.guide.id() != gb.guide.id()) {
      return ga.guide.id() < gb.guide.id();
    }
    return a.index < b.index;
  };
  const size_t k = std::min(feasible.size(), static_cast<size_t>(limit));
  std::partial_sort(feasible.begin(), feasible.begin() + k, feasible.end(), better);

  out.reserve(k);
  for (size_t i = 0; i < k; ++i) {
    const Entry& e = feasible[i];
    const GuideFacts g(guides[e.index], today);
    out.push_back(MakeCandidate(q, g, e.reach, ScoreNumbers(q, g, e.reach)));
  }
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
