#include "services/housing/domain/eligibility.h"

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/i18n/catalogue.h"
#include "common/i18n/enum_names.h"
#include "common/i18n/numbers.h"
#include "common/status/validation.h"

namespace helhed::housing {
namespace {

// The rule the application's own state breaks, UNSPECIFIED when it is
// active (status and state ACTIVE) and can be ranked at all.
v1::EligibilityRule StateRule(const v1::Application& app) {
  if (app.state() != helhed::common::v1::RESOURCE_STATE_ACTIVE) {
    return v1::ELIGIBILITY_RULE_NOT_ACTIVE;
  }
  switch (app.application_status()) {
    case v1::APPLICATION_STATUS_ACTIVE:
      return v1::ELIGIBILITY_RULE_UNSPECIFIED;
    case v1::APPLICATION_STATUS_OFFERED:
      return v1::ELIGIBILITY_RULE_ALREADY_OFFERED;
    case v1::APPLICATION_STATUS_HOUSED:
      return v1::ELIGIBILITY_RULE_ALREADY_HOUSED;
    default:
      return v1::ELIGIBILITY_RULE_NOT_ACTIVE;
  }
}

bool Active(const v1::Application& app) {
  return StateRule(app) == v1::ELIGIBILITY_RULE_UNSPECIFIED;
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

// The support a unit offers, for a reader: an unset level is none.
v1::SupportLevel UnitSupport(const v1::HousingUnit& unit) {
  return unit.support() == v1::SUPPORT_LEVEL_UNSPECIFIED ? v1::SUPPORT_LEVEL_NONE : unit.support();
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

// The unit rules, as bits of UnitFacts::Breaks.
constexpr uint32_t kBreaksType = 1;
constexpr uint32_t kBreaksRooms = 2;
constexpr uint32_t kBreaksRent = 4;
constexpr uint32_t kBreaksAccess = 8;
constexpr uint32_t kBreaksSupport = 16;

// The facts of one unit that every application is checked against.
struct UnitFacts {
  explicit UnitFacts(const v1::HousingUnit& unit)
      : type(unit.unit_type()),
        rooms(unit.rooms()),
        rent(unit.monthly_rent_dkk()),
        support(unit.support()),
        access(AccessBits(unit)) {}

  // The unit rules `app` breaks, as kBreaks* bits; 0 when it fits.
  uint32_t Breaks(const v1::Application& app) const {
    uint32_t out = 0;
    if (!ListsType(app, type)) out |= kBreaksType;
    if (app.rooms_needed() > rooms) out |= kBreaksRooms;
    if (rent > app.max_rent_dkk()) out |= kBreaksRent;
    for (const int need : app.accessibility_needs()) {
      if (need != v1::ACCESSIBILITY_UNSPECIFIED && !HasAccess(access, need)) {
        out |= kBreaksAccess;
        break;
      }
    }
    if (!SupportCovered(app.support_needed(), support)) out |= kBreaksSupport;
    return out;
  }
  bool Takes(const v1::Application& app) const { return Breaks(app) == 0; }

  int type;
  int rooms;
  int rent;
  int support;
  uint64_t access;
};

std::string Rooms(i18n::Language lang, int n) {
  return i18n::Message(lang, n == 1 ? "housing.unit.rooms_one" : "housing.unit.rooms_many",
                       {{"count", i18n::Integer(lang, n)}});
}

std::string Dkk(i18n::Language lang, int64_t amount) {
  return i18n::Message(lang, "housing.unit.dkk", {{"amount", i18n::Integer(lang, amount)}});
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

// The points of a priority's parts of one kind ("situation", "waiting",
// "flag").
double PointsOfKind(const v1::Priority& p, absl::string_view kind) {
  double sum = 0;
  for (const v1::PriorityPart& part : p.parts()) {
    if (part.kind() == kind) sum += part.points();
  }
  return sum;
}

// "40 point" with up to two decimals when one would show a small
// difference as 0.
std::string Gap(i18n::Language lang, double points) {
  if (points > 0 && points < 0.05) {
    const std::string n = i18n::Decimal(lang, points, 2);
    return i18n::Message(lang, "housing.unit.points_many", {{"points", n}});
  }
  return PointsText(lang, points);
}

}  // namespace

std::vector<v1::EligibilityRule> BrokenRules(const v1::HousingUnit& unit,
                                             const v1::Application& app) {
  std::vector<v1::EligibilityRule> out;
  if (const v1::EligibilityRule state = StateRule(app); state != v1::ELIGIBILITY_RULE_UNSPECIFIED) {
    out.push_back(state);
  }
  const uint32_t breaks = UnitFacts(unit).Breaks(app);
  const std::pair<uint32_t, v1::EligibilityRule> rules[] = {
      {kBreaksType, v1::ELIGIBILITY_RULE_UNIT_TYPE},
      {kBreaksRooms, v1::ELIGIBILITY_RULE_ROOMS},
      {kBreaksRent, v1::ELIGIBILITY_RULE_RENT},
      {kBreaksAccess, v1::ELIGIBILITY_RULE_ACCESSIBILITY},
      {kBreaksSupport, v1::ELIGIBILITY_RULE_SUPPORT},
  };
  for (const auto& [bit, rule] : rules) {
    if ((breaks & bit) != 0) out.push_back(rule);
  }
  return out;
}

bool Eligible(const v1::HousingUnit& unit, const v1::Application& app) {
  return UnitFacts(unit).Takes(app);
}

std::vector<std::string> Ineligibility(i18n::Language lang, const v1::HousingUnit& unit,
                                       const v1::Application& app) {
  std::vector<std::string> out;
  for (const v1::EligibilityRule rule : BrokenRules(unit, app)) {
    switch (rule) {
      case v1::ELIGIBILITY_RULE_NOT_ACTIVE:
        out.push_back(
            i18n::Message(lang, "housing.eligibility.not_active",
                          {{"status", app.state() != helhed::common::v1::RESOURCE_STATE_ACTIVE
                                          ? i18n::Message(lang, "housing.eligibility.archived")
                                          : i18n::EnumName(lang, app.application_status())}}));
        break;
      case v1::ELIGIBILITY_RULE_ALREADY_OFFERED:
        out.push_back(i18n::Message(lang, "housing.eligibility.already_offered"));
        break;
      case v1::ELIGIBILITY_RULE_ALREADY_HOUSED:
        out.push_back(i18n::Message(lang, "housing.eligibility.already_housed"));
        break;
      case v1::ELIGIBILITY_RULE_UNIT_TYPE:
        out.push_back(i18n::Message(lang, "housing.eligibility.unit_type",
                                    {{"unit_type", i18n::EnumName(lang, unit.unit_type())}}));
        break;
      case v1::ELIGIBILITY_RULE_ROOMS:
        out.push_back(i18n::Message(lang, "housing.eligibility.rooms",
                                    {{"needed", Rooms(lang, app.rooms_needed())},
                                     {"rooms", i18n::Integer(lang, unit.rooms())}}));
        break;
      case v1::ELIGIBILITY_RULE_RENT:
        out.push_back(i18n::Message(lang, "housing.eligibility.rent",
                                    {{"rent", Dkk(lang, unit.monthly_rent_dkk())},
                                     {"max_rent", Dkk(lang, app.max_rent_dkk())}}));
        break;
      case v1::ELIGIBILITY_RULE_ACCESSIBILITY: {
        const uint64_t access = AccessBits(unit);
        for (const int need : app.accessibility_needs()) {
          if (need != v1::ACCESSIBILITY_UNSPECIFIED && !HasAccess(access, need)) {
            out.push_back(i18n::Message(
                lang, "housing.eligibility.accessibility",
                {{"need", i18n::EnumName(lang, static_cast<v1::Accessibility>(need))}}));
          }
        }
        break;
      }
      case v1::ELIGIBILITY_RULE_SUPPORT:
        out.push_back(i18n::Message(lang, "housing.eligibility.support",
                                    {{"needed", i18n::EnumName(lang, app.support_needed())},
                                     {"has", i18n::EnumName(lang, UnitSupport(unit))}}));
        break;
      default:
        break;
    }
  }
  return out;
}

std::vector<std::string> FitReasons(i18n::Language lang, const v1::HousingUnit& unit,
                                    const v1::Application& app) {
  std::vector<std::string> out;
  out.push_back(i18n::Message(
      lang, "housing.fit.rooms",
      {{"rooms", Rooms(lang, unit.rooms())}, {"needed", i18n::Integer(lang, app.rooms_needed())}}));
  out.push_back(i18n::Message(
      lang, "housing.fit.rent",
      {{"rent", Dkk(lang, unit.monthly_rent_dkk())}, {"max_rent", Dkk(lang, app.max_rent_dkk())}}));
  for (const int need : app.accessibility_needs()) {
    if (need != v1::ACCESSIBILITY_UNSPECIFIED) {
      out.push_back(i18n::EnumName(lang, static_cast<v1::Accessibility>(need)));
    }
  }
  const v1::SupportLevel needed = app.support_needed();
  if (!NeedsNoSupport(needed)) {
    if (unit.support() == needed) {
      out.push_back(i18n::EnumName(lang, needed));
    } else {
      out.push_back(i18n::Message(lang, "housing.fit.support_covers",
                                  {{"has", i18n::EnumName(lang, UnitSupport(unit))},
                                   {"needed", i18n::EnumName(lang, needed)}}));
    }
  }
  for (const v1::PreferredArea& area : app.preferred_areas()) {
    if (!area.postcode().empty() && area.postcode() == unit.postcode()) {
      if (area.reason() == v1::AREA_REASON_UNSPECIFIED || !v1::AreaReason_IsValid(area.reason())) {
        out.push_back(i18n::Message(lang, "housing.fit.area", {{"postcode", area.postcode()}}));
      } else {
        out.push_back(i18n::Message(
            lang, "housing.fit.area_reason",
            {{"postcode", area.postcode()}, {"reason", i18n::EnumName(lang, area.reason())}}));
      }
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
                       const PriorityScorer& scorer, int limit, i18n::Language language) {
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
    *c.mutable_priority() = scorer.Explain(app, language);
    c.set_rank(static_cast<int>(i) + 1);
    for (std::string& reason : FitReasons(language, unit, app)) {
      c.add_reasons(std::move(reason));
    }
    c.set_preferred_area(entries[i].area);
    out.candidates.push_back(std::move(c));
  }
  return out;
}

v1::CandidateExplanation ExplainCandidate(const v1::HousingUnit& unit, const v1::Application& app,
                                          const std::vector<v1::Application>& apps,
                                          const PriorityScorer& scorer, const Ranking& ranking,
                                          i18n::Language lang) {
  v1::CandidateExplanation out;
  out.set_application_id(app.id());
  *out.mutable_priority() = scorer.Explain(app, lang);
  for (const v1::EligibilityRule rule : BrokenRules(unit, app)) {
    out.add_failed_rules(rule);
  }
  if (!out.failed_rules().empty()) {
    out.set_text(i18n::Message(lang, "housing.explain.ineligible",
                               {{"reasons", absl::StrJoin(Ineligibility(lang, unit, app), "; ")}}));
    return out;
  }
  const double total = out.priority().total();
  const Entry self{total, InPreferredArea(unit, app), ScreeningKey(app), &app};
  // Its place among every eligible application, not only the ranked ones;
  // the same rules and order as RankCandidates.
  const UnitFacts facts(unit);
  int ahead = 0;
  int eligible = 1;
  const v1::Application* last_app = nullptr;
  const std::string* last_id =
      ranking.candidates.empty() ? nullptr : &ranking.candidates.back().application_id();
  for (const v1::Application& other : apps) {
    if (last_id != nullptr && other.id() == *last_id) last_app = &other;
    if (other.id() == app.id() || !Active(other) || !facts.Takes(other)) continue;
    ++eligible;
    const Entry e{scorer.Total(other), InPreferredArea(unit, other), ScreeningKey(other), &other};
    if (Before(e, self, true)) ++ahead;
  }
  out.set_rank(ahead + 1);
  for (const v1::Candidate& c : ranking.candidates) {
    if (c.application_id() == app.id()) {
      out.set_ranked(true);
      out.set_rank(c.rank());
    }
  }
  const std::string total_text = PointsText(lang, total);
  if (out.ranked() || last_app == nullptr) {
    out.set_text(i18n::Message(lang,
                               out.ranked() ? "housing.explain.ranked" : "housing.explain.eligible",
                               {{"rank", i18n::Integer(lang, out.rank())},
                                {"eligible", i18n::Integer(lang, eligible)},
                                {"total", total_text}}));
    return out;
  }
  const v1::Candidate& last = ranking.candidates.back();
  const double last_total = last.priority().total();
  const double behind = std::max(0.0, last_total - total);
  out.set_points_behind(behind);
  const std::string shown = i18n::Integer(lang, static_cast<int64_t>(ranking.candidates.size()));
  std::string text;
  if (behind > 0) {
    text = i18n::Message(lang, "housing.explain.behind",
                         {{"rank", i18n::Integer(lang, out.rank())},
                          {"eligible", i18n::Integer(lang, eligible)},
                          {"shown", shown},
                          {"behind", Gap(lang, behind)},
                          {"total", total_text},
                          {"last", PointsText(lang, last_total)}});
  } else {
    const Entry l{last_total, last.preferred_area(), ScreeningKey(*last_app), last_app};
    const char* tiebreak = "housing.explain.tiebreak_id";
    if (l.area != self.area) {
      tiebreak = "housing.explain.tiebreak_area";
    } else if (l.screening != self.screening) {
      tiebreak = "housing.explain.tiebreak_screening";
    }
    text = i18n::Message(lang, "housing.explain.tie",
                         {{"rank", i18n::Integer(lang, out.rank())},
                          {"eligible", i18n::Integer(lang, eligible)},
                          {"shown", shown},
                          {"total", total_text},
                          {"tiebreak", i18n::Message(lang, tiebreak)}});
  }
  // The kinds of points it has fewer of than the last ranked candidate.
  const std::pair<const char*, const char*> kinds[] = {
      {"situation", "housing.priority.kind_situation"},
      {"waiting", "housing.priority.kind_waiting"},
      {"flag", "housing.priority.kind_flags"},
  };
  std::vector<std::string> low;
  for (const auto& [kind, name] : kinds) {
    const double fewer = PointsOfKind(last.priority(), kind) - PointsOfKind(out.priority(), kind);
    if (fewer <= 0) continue;
    v1::PriorityPart* part = out.add_low_parts();
    part->set_kind(std::string(kind) == "flag" ? "flags" : kind);
    part->set_detail(i18n::Message(lang, name));
    part->set_points(fewer);
    low.push_back(i18n::Message(lang, "housing.explain.low_part",
                                {{"kind", part->detail()}, {"points", Gap(lang, fewer)}}));
  }
  if (!low.empty()) {
    absl::StrAppend(
        &text, " ",
        i18n::Message(lang, "housing.explain.low_parts", {{"parts", absl::StrJoin(low, ", ")}}));
  }
  out.set_text(std::move(text));
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

std::string StandingText(i18n::Language lang, const v1::Application& app,
                         const v1::Priority& priority, const std::vector<v1::QueuePlace>& queues) {
  std::vector<std::string> parts;
  for (const v1::PriorityPart& part : priority.parts()) {
    parts.push_back(
        i18n::Message(lang, "housing.priority.part",
                      {{"detail", part.detail()}, {"points", PointsText(lang, part.points())}}));
  }
  std::string out = i18n::Message(
      lang, "housing.standing.priority",
      {{"total", PointsText(lang, priority.total())}, {"parts", absl::StrJoin(parts, "; ")}});
  if (queues.empty()) {
    absl::StrAppend(&out, " ", i18n::Message(lang, "housing.standing.no_queue"));
  }
  for (const v1::QueuePlace& q : queues) {
    absl::StrAppend(&out, " ",
                    i18n::Message(lang, "housing.standing.queue_position",
                                  {{"position", i18n::Integer(lang, q.place())},
                                   {"total", i18n::Integer(lang, q.queue_length())},
                                   {"unit_type", i18n::EnumName(lang, q.unit_type())}}));
  }
  if (!Active(app)) {
    // The same words as the ranking's reason for leaving it out.
    const std::vector<std::string> why = Ineligibility(lang, v1::HousingUnit(), app);
    if (!why.empty()) {
      absl::StrAppend(&out, " ",
                      i18n::Message(lang, "housing.standing.not_active", {{"reason", why[0]}}));
    }
  }
  return out;
}

}  // namespace helhed::housing
