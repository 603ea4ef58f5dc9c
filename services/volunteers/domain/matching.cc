#include "services/volunteers/domain/matching.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

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

namespace helhed::volunteers {
namespace {

using ::google::protobuf::RepeatedPtrField;

constexpr int kDefaultMaxTravelKm = 10;
constexpr int64_t kSecondsPerDay = 24 * 60 * 60;

constexpr double kContinuityPoints = 50;
constexpr double kContinuityPerTime = 5;
constexpr double kContinuityExtraCap = 20;
constexpr double kInterestPoints = 10;
constexpr double kInterestCap = 30;
constexpr double kDistancePoints = 20;
constexpr double kLoadPerHour = 2;
constexpr double kLoadCap = 20;

// Europe/Copenhagen (common/calendar).
const absl::TimeZone& Copenhagen() { return calendar::Zone(); }

absl::Time ToTime(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

// A request window in local wall-clock time.
struct LocalWindow {
  // False when the window is empty or crosses local midnight; then it lies in
  // no weekly window.
  bool single_day = false;
  int weekday = 0;        // as v1::Weekday: 1 = Monday .. 7 = Sunday
  int64_t start_sec = 0;  // seconds after local midnight
  int64_t end_sec = 0;    // seconds after local midnight, up to 86400
};

LocalWindow ToLocalWindow(absl::Time start, absl::Time end, const absl::TimeZone& tz) {
  LocalWindow w;
  if (end <= start) {
    return w;
  }
  const absl::TimeZone::CivilInfo s = tz.At(start);
  const absl::TimeZone::CivilInfo e = tz.At(end);
  const absl::CivilDay day(s.cs);
  const absl::CivilDay end_day(e.cs);
  const absl::CivilSecond midnight(day);
  w.start_sec = s.cs - midnight;
  if (end_day == day) {
    // A fraction of a second past the minute still needs that second.
    w.end_sec = (e.cs - midnight) + (e.subsecond > absl::ZeroDuration() ? 1 : 0);
  } else if (end_day == day + 1 && e.cs == absl::CivilSecond(end_day) &&
             e.subsecond == absl::ZeroDuration()) {
    w.end_sec = kSecondsPerDay;  // ends exactly at midnight: minute 1440
  } else {
    return w;  // crosses midnight
  }
  // absl::Weekday runs monday (0) .. sunday (6).
  w.weekday = static_cast<int>(absl::GetWeekday(day)) + 1;
  w.single_day = true;
  return w;
}

bool Covers(const RepeatedPtrField<v1::WeeklyWindow>& availability, const LocalWindow& w) {
  if (!w.single_day) {
    return false;
  }
  for (const v1::WeeklyWindow& a : availability) {
    if (static_cast<int>(a.weekday()) == w.weekday &&
        int64_t{a.start_minute()} * 60 <= w.start_sec &&
        w.end_sec <= int64_t{a.end_minute()} * 60) {
      return true;
    }
  }
  return false;
}

using calendar::DateKey;

// Coordinates count when set and not the (0, 0) an unset message reads as.
bool HasCoordinates(bool has, const v1::GeoPoint& p) {
  return has && !(p.latitude() == 0 && p.longitude() == 0);
}

// Request-side data, computed once per call.
struct Prepared {
  explicit Prepared(const MatchContext& c) : ctx(c) {
    const v1::AccompanimentRequest& r = c.request;
    const absl::Time start = ToTime(r.window_start());
    const absl::Time end = ToTime(r.window_end());
    const absl::TimeZone& tz = Copenhagen();
    window = ToLocalWindow(start, end, tz);
    // The day of the window's last moment: a window ending at midnight ends
    // on the day before.
    const absl::Time last = end > start ? end - absl::Nanoseconds(1) : end;
    const absl::CivilDay last_day(tz.At(last).cs);
    window_end_day = DateKey(last_day);

    for (int n : r.needs()) {
      if (n != v1::NEED_UNSPECIFIED && std::find(needs.begin(), needs.end(), n) == needs.end()) {
        needs.push_back(n);
      }
    }
    if (c.has_activity) {
      required_skills = &c.activity.required_skills();
      required_trainings = &c.activity.required_trainings();
    }
    interests.reserve(r.interests_size() + (c.has_activity ? c.activity.interests_size() : 0));
    auto add_interest = [this](const std::string& tag) {
      if (!tag.empty() && std::find(interests.begin(), interests.end(), tag) == interests.end()) {
        interests.push_back(tag);
      }
    };
    for (const std::string& tag : r.interests()) {
      add_interest(tag);
    }
    if (c.has_activity) {
      for (const std::string& tag : c.activity.interests()) {
        add_interest(tag);
      }
    }
    place_has_location = HasCoordinates(r.place().has_location(), r.place().location());
  }

  const MatchContext& ctx;
  LocalWindow window;
  int32_t window_end_day = 0;  // yyyymmdd, local
  std::vector<int> needs;      // distinct, without NEED_UNSPECIFIED
  const RepeatedPtrField<std::string>* required_skills = nullptr;
  const RepeatedPtrField<std::string>* required_trainings = nullptr;
  std::vector<absl::string_view> interests;  // distinct, of request and activity
  bool place_has_location = false;
};

enum class ReachKind { kKnown, kSamePostcode, kUnknown };

struct Reach {
  ReachKind kind = ReachKind::kUnknown;
  double km = 0;  // when kKnown
  int max_km = kDefaultMaxTravelKm;
};

Reach ReachOf(const v1::Volunteer& v, const Prepared& p) {
  Reach r;
  r.max_km = v.max_travel_km() > 0 ? v.max_travel_km() : kDefaultMaxTravelKm;
  const v1::Place& place = p.ctx.request.place();
  if (p.place_has_location && HasCoordinates(v.has_home_location(), v.home_location())) {
    r.kind = ReachKind::kKnown;
    r.km = DistanceKm(v.home_location(), place.location());
  } else if (!place.postcode().empty() && v.home_postcode() == place.postcode()) {
    r.kind = ReachKind::kSamePostcode;
  }
  return r;
}

bool Has(const RepeatedPtrField<std::string>& tags, absl::string_view tag) {
  for (const std::string& t : tags) {
    if (t == tag) {
      return true;
    }
  }
  return false;
}

bool HasTraining(const v1::Volunteer& v, absl::string_view course) {
  for (const v1::Training& t : v.trainings()) {
    if (absl::EqualsIgnoreCase(t.course(), course)) {
      return true;
    }
  }
  return false;
}

bool Speaks(const v1::Volunteer& v, absl::string_view language) {
  for (const std::string& l : v.languages()) {
    if (absl::EqualsIgnoreCase(l, language)) {
      return true;
    }
  }
  return false;
}

bool Supports(const v1::Volunteer& v, int need) {
  return std::find(v.supports().begin(), v.supports().end(), need) != v.supports().end();
}

// The request's needs `v` cannot meet, in the request's order.
std::vector<int> MissingNeeds(const v1::Volunteer& v, const Prepared& p) {
  std::vector<int> out;
  for (int need : p.needs) {
    if (!Supports(v, need)) {
      out.push_back(need);
    }
  }
  return out;
}

std::vector<std::string> MissingSkills(const v1::Volunteer& v, const Prepared& p) {
  std::vector<std::string> out;
  if (p.required_skills != nullptr) {
    for (const std::string& skill : *p.required_skills) {
      if (!Has(v.skills(), skill)) {
        out.push_back(skill);
      }
    }
  }
  return out;
}

std::vector<std::string> MissingTrainings(const v1::Volunteer& v, const Prepared& p) {
  std::vector<std::string> out;
  if (p.required_trainings != nullptr) {
    for (const std::string& course : *p.required_trainings) {
      if (!HasTraining(v, course)) {
        out.push_back(course);
      }
    }
  }
  return out;
}

// VALID with an expiry date on or after the day the window ends.
bool RecordCheckValid(const v1::RecordCheck& check, const Prepared& p) {
  return check.status() == v1::RECORD_CHECK_STATUS_VALID && check.expiry_date().year() != 0 &&
         DateKey(check.expiry_date()) >= p.window_end_day;
}

// The same as the Missing* lists being empty, without building them (the
// ranking path).
bool MeetsNeeds(const v1::Volunteer& v, const Prepared& p) {
  for (int need : p.needs) {
    if (!Supports(v, need)) {
      return false;
    }
  }
  return true;
}

bool HasSkills(const v1::Volunteer& v, const Prepared& p) {
  if (p.required_skills != nullptr) {
    for (const std::string& skill : *p.required_skills) {
      if (!Has(v.skills(), skill)) {
        return false;
      }
    }
  }
  return true;
}

bool HasTrainings(const v1::Volunteer& v, const Prepared& p) {
  if (p.required_trainings != nullptr) {
    for (const std::string& course : *p.required_trainings) {
      if (!HasTraining(v, course)) {
        return false;
      }
    }
  }
  return true;
}

// Whether `v` is eligible; sets `reach` when it gets that far. Without
// `failed` it stops at the first failing rule (the ranking path); with it, it
// checks every rule and adds each failing one, in the documented order. The
// ranking, Ineligibility and Explain all go through here.
bool CheckEligible(const v1::Volunteer& v, const Prepared& p, Reach& reach,
                   std::vector<v1::EligibilityRule>* failed) {
  const v1::AccompanimentRequest& r = p.ctx.request;
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

  if (v.status() != v1::VOLUNTEER_STATUS_ACTIVE && !fail(v1::ELIGIBILITY_RULE_INACTIVE)) {
    return false;
  }
  if (!v.consent_given() && !fail(v1::ELIGIBILITY_RULE_CONSENT)) {
    return false;
  }
  if (v.state() != ::helhed::common::v1::RESOURCE_STATE_ACTIVE &&
      !fail(v1::ELIGIBILITY_RULE_ARCHIVED)) {
    return false;
  }
  if (!RecordCheckValid(v.record_check(), p) && !fail(v1::ELIGIBILITY_RULE_RECORD_CHECK)) {
    return false;
  }
  if (!Covers(v.availability(), p.window) && !fail(v1::ELIGIBILITY_RULE_AVAILABILITY)) {
    return false;
  }
  if (p.ctx.booked.count(v.id()) != 0 && !fail(v1::ELIGIBILITY_RULE_BOOKED)) {
    return false;
  }
  if (!r.language().empty() && !Speaks(v, r.language()) && !fail(v1::ELIGIBILITY_RULE_LANGUAGE)) {
    return false;
  }
  if (!MeetsNeeds(v, p) && !fail(v1::ELIGIBILITY_RULE_SUPPORT)) {
    return false;
  }
  if (r.gender_preference() != v1::GENDER_UNSPECIFIED && v.gender() != r.gender_preference() &&
      !fail(v1::ELIGIBILITY_RULE_GENDER)) {
    return false;
  }
  if (!HasSkills(v, p) && !fail(v1::ELIGIBILITY_RULE_SKILLS)) {
    return false;
  }
  if (!HasTrainings(v, p) && !fail(v1::ELIGIBILITY_RULE_TRAINING)) {
    return false;
  }
  reach = ReachOf(v, p);
  if (reach.kind == ReachKind::kKnown && reach.km > reach.max_km &&
      !fail(v1::ELIGIBILITY_RULE_DISTANCE)) {
    return false;
  }
  return ok;
}

std::string RecordCheckText(i18n::Language lang, const v1::RecordCheck& check) {
  switch (check.status()) {
    case v1::RECORD_CHECK_STATUS_VALID:
      return check.expiry_date().year() == 0
                 ? i18n::Message(lang, "volunteers.rule.record_check_no_expiry")
                 : i18n::Message(lang, "volunteers.rule.record_check_expired");
    case v1::RECORD_CHECK_STATUS_PENDING:
      return i18n::Message(lang, "volunteers.rule.record_check_pending");
    case v1::RECORD_CHECK_STATUS_REJECTED:
      return i18n::Message(lang, "volunteers.rule.record_check_rejected");
    default:
      return i18n::Message(lang, "volunteers.rule.record_check_none");
  }
}

// The text of one failing rule, in `lang`.
std::string RuleText(i18n::Language lang, v1::EligibilityRule rule, const v1::Volunteer& v,
                     const Prepared& p, const Reach& reach) {
  switch (rule) {
    case v1::ELIGIBILITY_RULE_INACTIVE:
      switch (v.status()) {
        case v1::VOLUNTEER_STATUS_PAUSED:
          return i18n::Message(lang, "volunteers.rule.paused");
        case v1::VOLUNTEER_STATUS_LEFT:
          return i18n::Message(lang, "volunteers.rule.left");
        default:
          return i18n::Message(lang, "volunteers.rule.inactive");
      }
    case v1::ELIGIBILITY_RULE_CONSENT:
      return i18n::Message(lang, "volunteers.rule.consent");
    case v1::ELIGIBILITY_RULE_ARCHIVED:
      return i18n::Message(lang, "volunteers.rule.archived");
    case v1::ELIGIBILITY_RULE_RECORD_CHECK:
      return RecordCheckText(lang, v.record_check());
    case v1::ELIGIBILITY_RULE_AVAILABILITY:
      return i18n::Message(lang, "volunteers.rule.availability");
    case v1::ELIGIBILITY_RULE_BOOKED:
      return i18n::Message(lang, "volunteers.rule.booked");
    case v1::ELIGIBILITY_RULE_LANGUAGE:
      return i18n::Message(lang, "volunteers.rule.language",
                           {{"language", p.ctx.request.language()}});
    case v1::ELIGIBILITY_RULE_SUPPORT: {
      std::vector<std::string> names;
      for (int n : MissingNeeds(v, p)) {
        names.push_back(i18n::EnumName(lang, static_cast<v1::Need>(n)));
      }
      return i18n::Message(lang, "volunteers.rule.support",
                           {{"needs", absl::StrJoin(names, ", ")}});
    }
    case v1::ELIGIBILITY_RULE_GENDER:
      return i18n::Message(lang, "volunteers.rule.gender");
    case v1::ELIGIBILITY_RULE_SKILLS:
      return i18n::Message(lang, "volunteers.rule.skills",
                           {{"skills", absl::StrJoin(MissingSkills(v, p), ", ")}});
    case v1::ELIGIBILITY_RULE_TRAINING:
      return i18n::Message(lang, "volunteers.rule.training",
                           {{"courses", absl::StrJoin(MissingTrainings(v, p), ", ")}});
    case v1::ELIGIBILITY_RULE_DISTANCE:
      return i18n::Message(
          lang, "volunteers.rule.distance",
          {{"km", i18n::Decimal(lang, reach.km, 1)}, {"max", i18n::Integer(lang, reach.max_km)}});
    default:
      return i18n::EnumName(lang, rule);
  }
}

// The numeric parts of a score, without any strings.
struct Numbers {
  int familiar = 0;  // completed accompaniments of this citizen
  double continuity = 0;
  int shared = 0;  // distinct shared interest tags
  double interests = 0;
  double distance = 0;
  double hours = 0;  // in the last 28 days, at least 0
  double load = 0;
  double total = 0;
};

Numbers ScoreNumbers(const v1::Volunteer& v, const Prepared& p, const Reach& reach) {
  Numbers n;
  if (!p.ctx.familiar.empty()) {
    auto it = p.ctx.familiar.find(v.id());
    if (it != p.ctx.familiar.end() && it->second > 0) {
      n.familiar = it->second;
      n.continuity =
          kContinuityPoints + std::min(kContinuityPerTime * n.familiar, kContinuityExtraCap);
      if (p.ctx.request.wants_familiar_volunteer()) {
        n.continuity *= 2;
      }
    }
  }
  for (absl::string_view tag : p.interests) {
    if (Has(v.interests(), tag)) {
      ++n.shared;
    }
  }
  n.interests = std::min(kInterestPoints * n.shared, kInterestCap);
  switch (reach.kind) {
    case ReachKind::kKnown:
      n.distance = kDistancePoints * std::max(0.0, 1.0 - reach.km / reach.max_km);
      break;
    case ReachKind::kSamePostcode:
      n.distance = kDistancePoints;
      break;
    case ReachKind::kUnknown:
      n.distance = 0;
      break;
  }
  if (!p.ctx.recent_hours.empty()) {
    auto it = p.ctx.recent_hours.find(v.id());
    if (it != p.ctx.recent_hours.end() && it->second > 0) {
      n.hours = it->second;
    }
  }
  n.load = n.hours > 0 ? -std::min(kLoadPerHour * n.hours, kLoadCap) : 0.0;
  n.total = n.continuity + n.interests + n.distance + n.load;
  return n;
}

void AddFactor(v1::Candidate& c, const char* name, double points, std::string reason) {
  v1::ScoreFactor* f = c.add_factors();
  f->set_factor(name);
  f->set_points(points);
  f->set_reason(std::move(reason));
}

v1::Candidate MakeCandidate(const v1::Volunteer& v, const Prepared& p, const Reach& reach,
                            const Numbers& n, i18n::Language lang) {
  v1::Candidate c;
  c.set_volunteer_id(v.id());
  c.set_display_name(v.display_name());
  c.set_score(n.total);
  if (reach.kind == ReachKind::kKnown) {
    c.set_distance_km(reach.km);
  }

  std::string continuity;
  if (n.familiar == 0) {
    continuity = i18n::Message(lang, "volunteers.factor.continuity.none");
  } else {
    continuity = n.familiar == 1 ? i18n::Message(lang, "volunteers.factor.continuity.once")
                                 : i18n::Message(lang, "volunteers.factor.continuity.times",
                                                 {{"count", i18n::Integer(lang, n.familiar)}});
    if (p.ctx.request.wants_familiar_volunteer()) {
      absl::StrAppend(&continuity, i18n::Message(lang, "volunteers.factor.continuity.doubled"));
    }
  }
  AddFactor(c, "continuity", n.continuity, std::move(continuity));

  std::string interests;
  if (n.shared == 0) {
    interests = i18n::Message(lang, "volunteers.factor.interests.none");
  } else {
    std::vector<absl::string_view> tags;
    for (absl::string_view tag : p.interests) {
      if (Has(v.interests(), tag)) {
        tags.push_back(tag);
      }
    }
    const std::string joined = absl::StrJoin(tags, ", ");
    interests = n.shared == 1
                    ? i18n::Message(lang, "volunteers.factor.interests.one", {{"tags", joined}})
                    : i18n::Message(lang, "volunteers.factor.interests.many",
                                    {{"count", i18n::Integer(lang, n.shared)}, {"tags", joined}});
    if (kInterestPoints * n.shared > kInterestCap) {
      absl::StrAppend(
          &interests, " ",
          i18n::Message(lang, "volunteers.factor.interests.capped",
                        {{"cap", i18n::Decimal(lang, kInterestCap / kInterestPoints, 0)}}));
    }
  }
  AddFactor(c, "shared_interests", n.interests, std::move(interests));

  std::string distance;
  switch (reach.kind) {
    case ReachKind::kKnown:
      distance = i18n::Message(
          lang, "volunteers.factor.distance.known",
          {{"km", i18n::Decimal(lang, reach.km, 1)}, {"max", i18n::Integer(lang, reach.max_km)}});
      break;
    case ReachKind::kSamePostcode:
      distance = i18n::Message(lang, "volunteers.factor.distance.same_postcode",
                               {{"postcode", v.home_postcode()}});
      break;
    case ReachKind::kUnknown:
      distance = i18n::Message(lang, "volunteers.factor.distance.unknown");
      break;
  }
  AddFactor(c, "distance", n.distance, std::move(distance));

  const std::string hours = i18n::Decimal(lang, n.hours, 1);
  std::string load = n.hours == 0 ? i18n::Message(lang, "volunteers.factor.load.none")
                     : hours == "1"
                         ? i18n::Message(lang, "volunteers.factor.load.one")
                         : i18n::Message(lang, "volunteers.factor.load.hours", {{"hours", hours}});
  AddFactor(c, "load", n.load, std::move(load));
  return c;
}

// A score factor's name in `lang`.
std::string FactorName(i18n::Language lang, absl::string_view factor) {
  if (factor == "continuity") return i18n::Message(lang, "volunteers.factor_name.continuity");
  if (factor == "shared_interests") {
    return i18n::Message(lang, "volunteers.factor_name.shared_interests");
  }
  if (factor == "distance") return i18n::Message(lang, "volunteers.factor_name.distance");
  if (factor == "load") return i18n::Message(lang, "volunteers.factor_name.load");
  return std::string(factor);
}

// One eligible volunteer of a ranking.
struct Entry {
  double score;
  double hours;
  const v1::Volunteer* volunteer;
  Reach reach;
};

// Best first: higher score, then fewer recent hours, then volunteer id.
bool Better(const Entry& a, const Entry& b) {
  if (a.score != b.score) {
    return a.score > b.score;
  }
  if (a.hours != b.hours) {
    return a.hours < b.hours;
  }
  return a.volunteer->id() < b.volunteer->id();
}

std::vector<Entry> EligibleEntries(const std::vector<const v1::Volunteer*>& volunteers,
                                   const Prepared& p) {
  std::vector<Entry> eligible;
  eligible.reserve(volunteers.size());
  for (const v1::Volunteer* v : volunteers) {
    Reach reach;
    if (!CheckEligible(*v, p, reach, nullptr)) {
      continue;
    }
    const Numbers n = ScoreNumbers(*v, p, reach);
    eligible.push_back(Entry{n.total, n.hours, v, reach});
  }
  return eligible;
}

}  // namespace

double DistanceKm(const v1::GeoPoint& a, const v1::GeoPoint& b) {
  return geo::DistanceKm(a.latitude(), a.longitude(), b.latitude(), b.longitude());
}

bool WithinAvailability(const google::protobuf::RepeatedPtrField<v1::WeeklyWindow>& availability,
                        absl::Time start, absl::Time end) {
  return Covers(availability, ToLocalWindow(start, end, Copenhagen()));
}

std::vector<RuleFailure> FailedRules(const v1::Volunteer& v, const MatchContext& ctx,
                                     i18n::Language language) {
  const Prepared p(ctx);
  std::vector<v1::EligibilityRule> rules;
  Reach reach;
  CheckEligible(v, p, reach, &rules);
  std::vector<RuleFailure> out;
  out.reserve(rules.size());
  for (v1::EligibilityRule rule : rules) {
    out.push_back(RuleFailure{rule, RuleText(language, rule, v, p, reach)});
  }
  return out;
}

std::vector<std::string> Ineligibility(const v1::Volunteer& v, const MatchContext& ctx,
                                       i18n::Language language) {
  std::vector<std::string> out;
  for (RuleFailure& f : FailedRules(v, ctx, language)) {
    out.push_back(std::move(f.text));
  }
  return out;
}

v1::Candidate Score(const v1::Volunteer& v, const MatchContext& ctx, i18n::Language language) {
  const Prepared p(ctx);
  const Reach reach = ReachOf(v, p);
  return MakeCandidate(v, p, reach, ScoreNumbers(v, p, reach), language);
}

std::vector<v1::Candidate> Rank(const std::vector<v1::Volunteer>& volunteers,
                                const MatchContext& ctx, int limit, i18n::Language language) {
  std::vector<v1::Candidate> out;
  if (limit <= 0 || volunteers.empty()) {
    return out;
  }
  const Prepared p(ctx);
  std::vector<const v1::Volunteer*> pool;
  pool.reserve(volunteers.size());
  for (const v1::Volunteer& v : volunteers) {
    pool.push_back(&v);
  }
  std::vector<Entry> eligible = EligibleEntries(pool, p);
  const size_t k = std::min(eligible.size(), static_cast<size_t>(limit));
  std::partial_sort(eligible.begin(), eligible.begin() + k, eligible.end(), Better);

  out.reserve(k);
  for (size_t i = 0; i < k; ++i) {
    const Entry& e = eligible[i];
    out.push_back(
        MakeCandidate(*e.volunteer, p, e.reach, ScoreNumbers(*e.volunteer, p, e.reach), language));
  }
  return out;
}

v1::CandidateExplanation Explain(const std::vector<v1::Volunteer>& volunteers,
                                 const v1::Volunteer& who, const MatchContext& ctx, int limit,
                                 i18n::Language language) {
  const Prepared p(ctx);
  v1::CandidateExplanation out;
  out.set_volunteer_id(who.id());
  out.set_display_name(who.display_name());
  const std::string& name = who.display_name().empty() ? who.id() : who.display_name();

  std::vector<v1::EligibilityRule> rules;
  Reach reach;
  CheckEligible(who, p, reach, &rules);
  if (!rules.empty()) {
    std::vector<std::string> texts;
    for (v1::EligibilityRule rule : rules) {
      out.add_failed_rules(rule);
      texts.push_back(RuleText(language, rule, who, p, reach));
    }
    out.set_text(i18n::Message(language, "volunteers.explain.excluded",
                               {{"name", name}, {"rules", absl::StrJoin(texts, "; ")}}));
    return out;
  }

  // The same pool and order as Rank, with `who` in it (once).
  std::vector<const v1::Volunteer*> pool;
  pool.reserve(volunteers.size() + 1);
  for (const v1::Volunteer& v : volunteers) {
    if (v.id() != who.id()) {
      pool.push_back(&v);
    }
  }
  pool.push_back(&who);
  std::vector<Entry> eligible = EligibleEntries(pool, p);
  const Numbers mine = ScoreNumbers(who, p, reach);
  const Entry me{mine.total, mine.hours, &who, reach};
  int rank = 1;
  for (const Entry& e : eligible) {
    if (e.volunteer != &who && Better(e, me)) {
      ++rank;
    }
  }
  const v1::Candidate scored = MakeCandidate(who, p, reach, mine, language);
  out.set_rank(rank);
  out.set_score(mine.total);
  *out.mutable_factors() = scored.factors();
  const int shown =
      static_cast<int>(std::min(eligible.size(), static_cast<size_t>(std::max(0, limit))));
  out.set_ranked(rank <= shown);
  const std::string eligible_count = i18n::Integer(language, static_cast<int64_t>(eligible.size()));
  const std::string score = i18n::Decimal(language, mine.total, 1);
  if (out.ranked() || shown == 0) {
    out.set_text(i18n::Message(language, "volunteers.explain.ranked",
                               {{"name", name},
                                {"rank", i18n::Integer(language, rank)},
                                {"eligible", eligible_count},
                                {"score", score}}));
    return out;
  }
  // The last one listed: the shown-th best.
  std::nth_element(eligible.begin(), eligible.begin() + (shown - 1), eligible.end(), Better);
  const Entry& last = eligible[shown - 1];
  out.set_gap(std::max(0.0, last.score - mine.total));
  const std::string last_rank = i18n::Integer(language, shown);
  std::string text = i18n::Message(
      language, last.score > mine.total ? "volunteers.explain.below" : "volunteers.explain.tie",
      {{"name", name},
       {"rank", i18n::Integer(language, rank)},
       {"eligible", eligible_count},
       {"score", score},
       {"gap", i18n::Decimal(language, last.score - mine.total, 1)},
       {"last", last_rank}});
  // The score parts where the last one listed got more.
  const v1::Candidate other = MakeCandidate(*last.volunteer, p, last.reach,
                                            ScoreNumbers(*last.volunteer, p, last.reach), language);
  std::vector<std::string> parts;
  for (int i = 0; i < scored.factors_size() && i < other.factors_size(); ++i) {
    const double mine_points = scored.factors(i).points();
    const double their_points = other.factors(i).points();
    if (i18n::Decimal(language, their_points, 1) != i18n::Decimal(language, mine_points, 1) &&
        their_points > mine_points) {
      parts.push_back(i18n::Message(language, "volunteers.explain.part",
                                    {{"factor", FactorName(language, scored.factors(i).factor())},
                                     {"points", i18n::Decimal(language, mine_points, 1)},
                                     {"other", i18n::Decimal(language, their_points, 1)}}));
    }
  }
  if (!parts.empty()) {
    absl::StrAppend(&text, " ",
                    i18n::Message(language, "volunteers.explain.lower_parts",
                                  {{"last", last_rank}, {"parts", absl::StrJoin(parts, ", ")}}));
  }
  out.set_text(std::move(text));
  return out;
}

}  // namespace helhed::volunteers
