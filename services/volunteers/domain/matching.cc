#include "services/volunteers/domain/matching.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace helhed::volunteers {
namespace {

using ::google::protobuf::RepeatedPtrField;

constexpr double kEarthRadiusKm = 6371.0088;  // mean radius (IUGG)
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

// Europe/Copenhagen, loaded once (absl::TimeZone is a trivially destructible
// handle). tzdata is a dependency of the service; should it be missing,
// absl falls back to UTC.
const absl::TimeZone& Copenhagen() {
  static const absl::TimeZone tz = [] {
    absl::TimeZone z;
    absl::LoadTimeZone("Europe/Copenhagen", &z);
    return z;
  }();
  return tz;
}

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

int32_t DateKey(int64_t year, int month, int day) {
  return static_cast<int32_t>(year * 10000 + month * 100 + day);
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

const char* NeedWord(int need) {
  switch (need) {
    case v1::NEED_WHEELCHAIR:
      return "wheelchair";
    case v1::NEED_CALM:
      return "calm";
    case v1::NEED_WALKING_SUPPORT:
      return "walking support";
    case v1::NEED_HEARING:
      return "hearing";
    case v1::NEED_VISION:
      return "vision";
    default:
      return "unknown need";
  }
}

std::string StatusReason(v1::VolunteerStatus status) {
  switch (status) {
    case v1::VOLUNTEER_STATUS_PAUSED:
      return "volunteer paused";
    case v1::VOLUNTEER_STATUS_LEFT:
      return "volunteer has left";
    default:
      return "volunteer not active";
  }
}

std::string RecordCheckStatusReason(v1::RecordCheckStatus status) {
  switch (status) {
    case v1::RECORD_CHECK_STATUS_PENDING:
      return "record check pending";
    case v1::RECORD_CHECK_STATUS_REJECTED:
      return "record check rejected";
    default:
      return "no record check";
  }
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
    window_end_day = DateKey(last_day.year(), last_day.month(), last_day.day());

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

// Whether `v` is eligible; sets `reach`. Without `reasons` it stops at the
// first failing rule and builds no strings (the ranking path); with it, it
// checks every rule and adds one reason per failure.
bool CheckEligible(const v1::Volunteer& v, const Prepared& p, Reach& reach,
                   std::vector<std::string>* reasons) {
  const v1::AccompanimentRequest& r = p.ctx.request;
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

  if (v.status() != v1::VOLUNTEER_STATUS_ACTIVE &&
      !fail([&] { return StatusReason(v.status()); })) {
    return false;
  }
  if (!v.consent_given() && !fail([] { return std::string("no consent given"); })) {
    return false;
  }
  if (v.state() != ::helhed::common::v1::RESOURCE_STATE_ACTIVE &&
      !fail([] { return std::string("volunteer archived"); })) {
    return false;
  }

  const v1::RecordCheck& check = v.record_check();
  if (check.status() != v1::RECORD_CHECK_STATUS_VALID) {
    if (!fail([&] { return RecordCheckStatusReason(check.status()); })) {
      return false;
    }
  } else if (check.expiry_date().year() == 0) {
    if (!fail([] { return std::string("record check has no expiry date"); })) {
      return false;
    }
  } else if (DateKey(check.expiry_date().year(), check.expiry_date().month(),
                     check.expiry_date().day()) < p.window_end_day) {
    if (!fail([] { return std::string("record check expired"); })) {
      return false;
    }
  }

  if (!Covers(v.availability(), p.window) &&
      !fail([] { return std::string("not available then"); })) {
    return false;
  }
  if (p.ctx.booked.count(v.id()) != 0 && !fail([] { return std::string("already booked then"); })) {
    return false;
  }
  if (!r.language().empty() && !Speaks(v, r.language()) &&
      !fail([&] { return absl::StrCat("does not speak ", r.language()); })) {
    return false;
  }

  for (int need : p.needs) {
    if (Supports(v, need)) {
      continue;
    }
    const bool go_on = fail([&] {
      std::string out = "cannot meet needs: ";
      bool first = true;
      for (int n : p.needs) {
        if (!Supports(v, n)) {
          absl::StrAppend(&out, first ? "" : ", ", NeedWord(n));
          first = false;
        }
      }
      return out;
    });
    if (!go_on) {
      return false;
    }
    break;
  }

  if (r.gender_preference() != v1::GENDER_UNSPECIFIED && v.gender() != r.gender_preference() &&
      !fail([] { return std::string("not the preferred gender"); })) {
    return false;
  }

  if (p.required_skills != nullptr) {
    for (const std::string& skill : *p.required_skills) {
      if (Has(v.skills(), skill)) {
        continue;
      }
      const bool go_on = fail([&] {
        std::string out = "lacks required skills: ";
        bool first = true;
        for (const std::string& s : *p.required_skills) {
          if (!Has(v.skills(), s)) {
            absl::StrAppend(&out, first ? "" : ", ", s);
            first = false;
          }
        }
        return out;
      });
      if (!go_on) {
        return false;
      }
      break;
    }
  }
  if (p.required_trainings != nullptr) {
    for (const std::string& course : *p.required_trainings) {
      if (HasTraining(v, course)) {
        continue;
      }
      const bool go_on = fail([&] {
        std::string out = "lacks required training: ";
        bool first = true;
        for (const std::string& c : *p.required_trainings) {
          if (!HasTraining(v, c)) {
            absl::StrAppend(&out, first ? "" : ", ", c);
            first = false;
          }
        }
        return out;
      });
      if (!go_on) {
        return false;
      }
      break;
    }
  }

  reach = ReachOf(v, p);
  if (reach.kind == ReachKind::kKnown && reach.km > reach.max_km && !fail([&] {
        return absl::StrCat("too far: ", Number(reach.km, 1), " km (travels up to ", reach.max_km,
                            " km)");
      })) {
    return false;
  }
  return ok;
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
                            const Numbers& n) {
  v1::Candidate c;
  c.set_volunteer_id(v.id());
  c.set_display_name(v.display_name());
  c.set_score(n.total);
  if (reach.kind == ReachKind::kKnown) {
    c.set_distance_km(reach.km);
  }

  std::string continuity;
  if (n.familiar == 0) {
    continuity = "has not accompanied this citizen before";
  } else {
    continuity = n.familiar == 1 ? std::string("accompanied this citizen once")
                                 : absl::StrCat("accompanied this citizen ", n.familiar, " times");
    if (p.ctx.request.wants_familiar_volunteer()) {
      absl::StrAppend(&continuity, ", doubled: the citizen asked for a familiar volunteer");
    }
  }
  AddFactor(c, "continuity", n.continuity, std::move(continuity));

  std::string interests;
  if (n.shared == 0) {
    interests = "no shared interests";
  } else {
    interests = absl::StrCat("shares ", n.shared, n.shared == 1 ? " interest: " : " interests: ");
    bool first = true;
    for (absl::string_view tag : p.interests) {
      if (Has(v.interests(), tag)) {
        absl::StrAppend(&interests, first ? "" : ", ", tag);
        first = false;
      }
    }
    if (kInterestPoints * n.shared > kInterestCap) {
      absl::StrAppend(&interests, " (counted up to ", Number(kInterestCap / kInterestPoints, 0),
                      ")");
    }
  }
  AddFactor(c, "shared_interests", n.interests, std::move(interests));

  std::string distance;
  switch (reach.kind) {
    case ReachKind::kKnown:
      distance =
          absl::StrCat(Number(reach.km, 1), " km from home (travels up to ", reach.max_km, " km)");
      break;
    case ReachKind::kSamePostcode:
      distance = absl::StrCat("lives in the same postcode (", v.home_postcode(), ")");
      break;
    case ReachKind::kUnknown:
      distance = "distance unknown (no coordinates, another postcode)";
      break;
  }
  AddFactor(c, "distance", n.distance, std::move(distance));

  std::string load = n.hours == 0
                         ? std::string("no hours in the last 28 days")
                         : absl::StrCat("gave ", Number(n.hours, 2),
                                        n.hours == 1 ? " hour" : " hours", " in the last 28 days");
  AddFactor(c, "load", n.load, std::move(load));
  return c;
}

}  // namespace

double DistanceKm(const v1::GeoPoint& a, const v1::GeoPoint& b) {
  constexpr double kRadiansPerDegree = 3.14159265358979323846 / 180.0;
  const double lat1 = a.latitude() * kRadiansPerDegree;
  const double lat2 = b.latitude() * kRadiansPerDegree;
  const double dlat = lat2 - lat1;
  const double dlon = (b.longitude() - a.longitude()) * kRadiansPerDegree;
  const double s_lat = std::sin(dlat / 2);
  const double s_lon = std::sin(dlon / 2);
  const double h = s_lat * s_lat + std::cos(lat1) * std::cos(lat2) * s_lon * s_lon;
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));
}

bool WithinAvailability(const google::protobuf::RepeatedPtrField<v1::WeeklyWindow>& availability,
                        absl::Time start, absl::Time end) {
  return Covers(availability, ToLocalWindow(start, end, Copenhagen()));
}

std::vector<std::string> Ineligibility(const v1::Volunteer& v, const MatchContext& ctx) {
  const Prepared p(ctx);
  std::vector<std::string> reasons;
  Reach reach;
  CheckEligible(v, p, reach, &reasons);
  return reasons;
}

v1::Candidate Score(const v1::Volunteer& v, const MatchContext& ctx) {
  const Prepared p(ctx);
  const Reach reach = ReachOf(v, p);
  return MakeCandidate(v, p, reach, ScoreNumbers(v, p, reach));
}

std::vector<v1::Candidate> Rank(const std::vector<v1::Volunteer>& volunteers,
                                const MatchContext& ctx, int limit) {
  std::vector<v1::Candidate> out;
  if (limit <= 0 || volunteers.empty()) {
    return out;
  }
  const Prepared p(ctx);

  struct Entry {
    double score;
    double hours;
    const v1::Volunteer* volunteer;
    Reach reach;
  };
  std::vector<Entry> eligible;
  eligible.reserve(volunteers.size());
  for (const v1::Volunteer& v : volunteers) {
    Reach reach;
    if (!CheckEligible(v, p, reach, nullptr)) {
      continue;
    }
    const Numbers n = ScoreNumbers(v, p, reach);
    eligible.push_back(Entry{n.total, n.hours, &v, reach});
  }

  // Best first: higher score, then fewer recent hours, then volunteer id.
  auto better = [](const Entry& a, const Entry& b) {
    if (a.score != b.score) {
      return a.score > b.score;
    }
    if (a.hours != b.hours) {
      return a.hours < b.hours;
    }
    return a.volunteer->id() < b.volunteer->id();
  };
  const size_t k = std::min(eligible.size(), static_cast<size_t>(limit));
  std::partial_sort(eligible.begin(), eligible.begin() + k, eligible.end(), better);

  out.reserve(k);
  for (size_t i = 0; i < k; ++i) {
    const Entry& e = eligible[i];
    out.push_back(MakeCandidate(*e.volunteer, p, e.reach, ScoreNumbers(*e.volunteer, p, e.reach)));
  }
  return out;
}

}  // namespace helhed::volunteers
