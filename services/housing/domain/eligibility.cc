#include "services/housing/domain/eligibility.h"

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/validation.h"

namespace helhed::housing {
namespace {

bool Active(const v1::Application& app) {
  return app.application_status() == v1::APPLICATION_STATUS_ACTIVE &&
         app.state() == helhed::common::v1::RESOURCE_STATE_ACTIVE;
}

bool ListsType(const v1::Application& app, int type) {
  for (const int t : app.unit_types()) {
    if (t == type) {
      return true;
    }
  }
  return false;
}

bool NeedsNoSupport(int needed) {
  return needed == v1::SUPPORT_LEVEL_UNSPECIFIED || needed == v1::SUPPORT_LEVEL_NONE;
}

bool SupportCovered(int needed, int has) {
  return NeedsNoSupport(needed) || has == needed || has == v1::SUPPORT_LEVEL_STAFFED;
}

// The unit's accessibility as a bit set; values outside 0..63 are never
// matched.
uint64_t AccessBits(const v1::HousingUnit& unit) {
  uint64_t bits = 0;
  for (const int a : unit.accessibility()) {
    if (a >= 0 && a < 64) {
      bits |= uint64_t{1} << a;
    }
  }
  return bits;
}

bool HasAccess(uint64_t bits, int need) {
  return need >= 0 && need < 64 && (bits & (uint64_t{1} << need)) != 0;
}

// The facts of one unit that every application is checked against.
struct UnitFacts {
  explicit UnitFacts(const v1::HousingUnit& unit)
      : type(unit.unit_type()),
        rooms(unit.rooms()),
        rent(unit.monthly_rent_dkk()),
        support(unit.support()),
        access(AccessBits(unit)) {}

  bool Takes(const v1::Application& app) const {
    if (app.rooms_needed() > rooms || rent > app.max_rent_dkk() ||
        !SupportCovered(app.support_needed(), support) || !ListsType(app, type)) {
      return false;
    }
    for (const int need : app.accessibility_needs()) {
      if (need != v1::ACCESSIBILITY_UNSPECIFIED && !HasAccess(access, need)) {
        return false;
      }
    }
    return true;
  }

  int type;
  int rooms;
  int rent;
  int support;
  uint64_t access;
};

std::string Rooms(int n) { return absl::StrCat(n, n == 1 ? " room" : " rooms"); }

// "wheelchair access", for "needs ..." and fit reasons.
std::string AccessWords(int a) {
  switch (a) {
    case v1::ACCESSIBILITY_STEP_FREE:
      return "step-free access";
    case v1::ACCESSIBILITY_WHEELCHAIR:
      return "wheelchair access";
    case v1::ACCESSIBILITY_LIFT:
      return "a lift";
    default:
      return absl::StrCat("accessibility ", a);
  }
}

// "ACT support", for "needs ..." and "the unit has ...".
std::string SupportWords(int s) {
  switch (s) {
    case v1::SUPPORT_LEVEL_UNSPECIFIED:
    case v1::SUPPORT_LEVEL_NONE:
      return "none";
    case v1::SUPPORT_LEVEL_HOME_SUPPORT_85:
      return "§85 home support";
    case v1::SUPPORT_LEVEL_ICM:
      return "ICM support";
    case v1::SUPPORT_LEVEL_ACT:
      return "ACT support";
    case v1::SUPPORT_LEVEL_CTI:
      return "CTI support";
    case v1::SUPPORT_LEVEL_STAFFED:
      return "staff day and night";
    default:
      return absl::StrCat("support level ", s);
  }
}

std::string AreaReasonWords(int r) {
  switch (r) {
    case v1::AREA_REASON_FAMILY:
      return "family";
    case v1::AREA_REASON_NETWORK:
      return "network";
    case v1::AREA_REASON_WORK:
      return "work";
    case v1::AREA_REASON_TREATMENT:
      return "treatment";
    default:
      return "";
  }
}

// A screening date for ordering: earlier first, a missing one last.
int ScreeningKey(const v1::Application& app) {
  return app.has_screening_date() && app.screening_date().year() != 0
             ? DateKey(app.screening_date())
             : INT_MAX;
}

struct Entry {
  double total;
  bool area;
  int screening;
  const v1::Application* app;
};

// Candidate order: priority, preferred area (when `use_area`), earlier
// screening, id.
bool Before(const Entry& a, const Entry& b, bool use_area) {
  if (a.total != b.total) {
    return a.total > b.total;
  }
  if (use_area && a.area != b.area) {
    return a.area;
  }
  if (a.screening != b.screening) {
    return a.screening < b.screening;
  }
  return a.app->id() < b.app->id();
}

}  // namespace

std::vector<std::string> Ineligibility(const v1::HousingUnit& unit, const v1::Application& app) {
  std::vector<std::string> out;
  if (!ListsType(app, unit.unit_type())) {
    out.push_back("does not accept this unit type");
  }
  if (app.rooms_needed() > unit.rooms()) {
    out.push_back(
        absl::StrCat("needs ", Rooms(app.rooms_needed()), ", the unit has ", unit.rooms()));
  }
  if (unit.monthly_rent_dkk() > app.max_rent_dkk()) {
    out.push_back(absl::StrCat("rent ", unit.monthly_rent_dkk(), " kr is above the ",
                               app.max_rent_dkk(), " kr the applicant can pay"));
  }
  const uint64_t access = AccessBits(unit);
  for (const int need : app.accessibility_needs()) {
    if (need != v1::ACCESSIBILITY_UNSPECIFIED && !HasAccess(access, need)) {
      out.push_back(absl::StrCat("needs ", AccessWords(need)));
    }
  }
  if (!SupportCovered(app.support_needed(), unit.support())) {
    out.push_back(absl::StrCat("needs ", SupportWords(app.support_needed()), ", the unit has ",
                               SupportWords(unit.support())));
  }
  return out;
}

bool Eligible(const v1::HousingUnit& unit, const v1::Application& app) {
  return UnitFacts(unit).Takes(app);
}

std::vector<std::string> FitReasons(const v1::HousingUnit& unit, const v1::Application& app) {
  std::vector<std::string> out;
  out.push_back(absl::StrCat(Rooms(unit.rooms()), " (needs ", app.rooms_needed(), ")"));
  out.push_back(
      absl::StrCat("rent ", unit.monthly_rent_dkk(), " kr within ", app.max_rent_dkk(), " kr"));
  for (const int need : app.accessibility_needs()) {
    if (need != v1::ACCESSIBILITY_UNSPECIFIED) {
      out.push_back(AccessWords(need));
    }
  }
  const int needed = app.support_needed();
  if (!NeedsNoSupport(needed)) {
    if (unit.support() == needed) {
      out.push_back(SupportWords(needed));
    } else {
      out.push_back(
          absl::StrCat(SupportWords(unit.support()), " (covers ", SupportWords(needed), ")"));
    }
  }
  for (const v1::PreferredArea& area : app.preferred_areas()) {
    if (!area.postcode().empty() && area.postcode() == unit.postcode()) {
      const std::string why = AreaReasonWords(area.reason());
      out.push_back(absl::StrCat("in a preferred area: ", area.postcode(),
                                 why.empty() ? "" : absl::StrCat(" (", why, ")")));
      break;
    }
  }
  return out;
}

bool InPreferredArea(const v1::HousingUnit& unit, const v1::Application& app) {
  if (unit.postcode().empty()) {
    return false;
  }
  for (const v1::PreferredArea& area : app.preferred_areas()) {
    if (area.postcode() == unit.postcode()) {
      return true;
    }
  }
  return false;
}

Ranking RankCandidates(const v1::HousingUnit& unit, const std::vector<v1::Application>& apps,
                       const PriorityScorer& scorer, int limit) {
  Ranking out;
  const UnitFacts facts(unit);
  std::vector<Entry> entries;
  for (const v1::Application& app : apps) {
    if (!Active(app)) {
      continue;
    }
    ++out.considered;
    if (!facts.Takes(app)) {
      continue;
    }
    entries.push_back({scorer.Total(app), InPreferredArea(unit, app), ScreeningKey(app), &app});
  }
  out.eligible = static_cast<int>(entries.size());
  if (limit <= 0 || entries.empty()) {
    return out;
  }
  const size_t n = std::min(entries.size(), static_cast<size_t>(limit));
  const auto before = [](const Entry& a, const Entry& b) { return Before(a, b, true); };
  if (n < entries.size()) {
    // Select the best n first; sorting only those is cheaper than a
    // partial_sort's heap when n is small against the whole.
    std::nth_element(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(n),
                     entries.end(), before);
  }
  std::sort(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(n), before);
  out.candidates.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const v1::Application& app = *entries[i].app;
    v1::Candidate c;
    c.set_application_id(app.id());
    c.set_citizen_id(app.citizen_id());
    *c.mutable_priority() = scorer.Explain(app);
    c.set_rank(static_cast<int>(i) + 1);
    for (std::string& reason : FitReasons(unit, app)) {
      c.add_reasons(std::move(reason));
    }
    c.set_preferred_area(entries[i].area);
    out.candidates.push_back(std::move(c));
  }
  return out;
}

std::vector<v1::QueuePlace> QueuePlaces(const v1::Application& app,
                                        const std::vector<v1::Application>& apps,
                                        const PriorityScorer& scorer) {
  // Each unit type once, in the application's order.
  std::vector<int> types;
  for (const int t : app.unit_types()) {
    if (std::find(types.begin(), types.end(), t) == types.end()) {
      types.push_back(t);
    }
  }
  std::vector<int> ahead(types.size(), 0);
  std::vector<int> length(types.size(), 1);  // the application itself
  const Entry self{scorer.Total(app), false, ScreeningKey(app), &app};
  for (const v1::Application& other : apps) {
    if (!Active(other) || other.id() == app.id()) {
      continue;
    }
    bool lists_any = false;
    for (const int t : types) {
      lists_any = lists_any || ListsType(other, t);
    }
    if (!lists_any) {
      continue;
    }
    const Entry e{scorer.Total(other), false, ScreeningKey(other), &other};
    const bool is_ahead = Before(e, self, false);
    for (size_t i = 0; i < types.size(); ++i) {
      if (ListsType(other, types[i])) {
        ++length[i];
        ahead[i] += is_ahead ? 1 : 0;
      }
    }
  }
  std::vector<v1::QueuePlace> out;
  out.reserve(types.size());
  for (size_t i = 0; i < types.size(); ++i) {
    v1::QueuePlace q;
    q.set_unit_type(static_cast<v1::UnitType>(types[i]));
    q.set_place(ahead[i] + 1);
    q.set_queue_length(length[i]);
    out.push_back(std::move(q));
  }
  return out;
}

}  // namespace helhed::housing
