#include "services/housing/domain/priority.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/calendar/calendar.h"
#include "common/i18n/catalogue.h"
#include "common/i18n/enum_names.h"
#include "common/i18n/numbers.h"
#include "common/status/validation.h"

namespace helhed::housing {
namespace {

constexpr double kMaxPoints = 1000;
constexpr double kMaxPointsPerWeek = 100;
// Item limit of the rule's situations and flags (each value at most once).
constexpr int kMaxRuleEntries = 20;
constexpr int kSlots = 16;

// The index of an enum value in a scorer's arrays, or -1 when it is out of
// range.
int Slot(int value) { return value >= 0 && value < kSlots ? value : -1; }

// Non-finite points (an unvalidated rule) count as 0 so totals stay ordered.
double Sane(double points) { return std::isfinite(points) ? points : 0; }

std::string Weeks(i18n::Language language, int days) {
  const int weeks = days / 7;
  return i18n::Message(
      language, weeks == 1 ? "housing.priority.waiting_one" : "housing.priority.waiting_many",
      {{"weeks", i18n::Integer(language, weeks)}});
}

void CheckPoints(Validator& c, const std::string& f, double points, double max) {
  if (!std::isfinite(points)) {
    c.Add(f, i18n::Later("validation.number.finite"));
  } else if (points < 0 || points > max) {
    c.Add(f, i18n::Later("validation.number.between", {{"min", "0"}, {"max", absl::StrCat(max)}}));
  }
}

// Checks one enum entry of a list: required, defined, not seen before.
void CheckEntry(Validator& c, const std::string& f, int value, bool (*is_valid)(int),
                std::set<int>& seen) {
  if (value == 0) {
    c.Add(f, i18n::Later("validation.field.required"));
  } else if (!is_valid(value)) {
    c.Add(f, i18n::Later("validation.enum.no_value", {{"value", absl::StrCat(value)}}));
  } else if (!seen.insert(value).second) {
    c.Add(f, i18n::Later("validation.field.duplicate"));
  }
}

}  // namespace

std::string PointsText(i18n::Language language, double points) {
  const std::string n = i18n::Decimal(language, points, 1);
  return i18n::Message(language, n == "1" ? "housing.unit.points_one" : "housing.unit.points_many",
                       {{"points", n}});
}

v1::PriorityRule DefaultPriorityRule() {
  v1::PriorityRule rule;
  const std::pair<v1::Situation, double> situations[] = {
      {v1::SITUATION_STREET, 40},
      {v1::SITUATION_SHELTER, 30},
      {v1::SITUATION_LEAVING_PRISON, 30},
      {v1::SITUATION_LEAVING_TREATMENT, 30},
      {v1::SITUATION_AT_RISK_OF_EVICTION, 25},
      {v1::SITUATION_SOFA_SURFING, 20},
      {v1::SITUATION_TEMPORARY_RESIDENCE, 15},
      {v1::SITUATION_HOUSED, 0},
  };
  for (const auto& [situation, points] : situations) {
    v1::PriorityRule::SituationPoints* s = rule.add_situations();
    s->set_situation(situation);
    s->set_points(points);
  }
  rule.set_points_per_waiting_week(1);
  rule.set_max_waiting_points(52);
  const std::pair<v1::VulnerabilityFlag, double> flags[] = {
      {v1::VULNERABILITY_FLAG_DUAL_DIAGNOSIS, 15},
      {v1::VULNERABILITY_FLAG_VIOLENCE, 15},
      {v1::VULNERABILITY_FLAG_LONG_TERM_HOMELESS, 15},
      {v1::VULNERABILITY_FLAG_MENTAL_ILLNESS, 10},
      {v1::VULNERABILITY_FLAG_SUBSTANCE_USE, 10},
      {v1::VULNERABILITY_FLAG_YOUNG_ADULT, 10},
      {v1::VULNERABILITY_FLAG_CHILDREN, 10},
      {v1::VULNERABILITY_FLAG_PHYSICAL_DISABILITY, 5},
  };
  for (const auto& [flag, points] : flags) {
    v1::PriorityRule::FlagPoints* f = rule.add_flags();
    f->set_flag(flag);
    f->set_points(points);
  }
  return rule;
}

void ValidatePriorityRule(const v1::PriorityRule& rule, const std::string& p, FieldViolations& v) {
  Validator c(v);
  std::set<int> seen;
  // Each value at most once, so no more entries than there are values.
  const bool situations_ok = c.MaxItems(p + ".situations", rule.situations_size(), kMaxRuleEntries);
  for (int i = 0; situations_ok && i < rule.situations_size(); ++i) {
    const std::string item = absl::StrCat(p, ".situations[", i, "]");
    const v1::PriorityRule::SituationPoints& s = rule.situations(i);
    CheckEntry(c, item + ".situation", s.situation(), v1::Situation_IsValid, seen);
    CheckPoints(c, item + ".points", s.points(), kMaxPoints);
  }
  CheckPoints(c, p + ".points_per_waiting_week", rule.points_per_waiting_week(), kMaxPointsPerWeek);
  CheckPoints(c, p + ".max_waiting_points", rule.max_waiting_points(), kMaxPoints);
  seen.clear();
  const bool flags_ok = c.MaxItems(p + ".flags", rule.flags_size(), kMaxRuleEntries);
  for (int i = 0; flags_ok && i < rule.flags_size(); ++i) {
    const std::string item = absl::StrCat(p, ".flags[", i, "]");
    const v1::PriorityRule::FlagPoints& f = rule.flags(i);
    CheckEntry(c, item + ".flag", f.flag(), v1::VulnerabilityFlag_IsValid, seen);
    CheckPoints(c, item + ".points", f.points(), kMaxPoints);
  }
}

PriorityScorer::PriorityScorer(const v1::PriorityRule& rule, absl::CivilDay today)
    : per_week_(Sane(rule.points_per_waiting_week())),
      max_waiting_(Sane(rule.max_waiting_points())),
      today_(today) {
  // The first entry for a value counts (a valid rule has only one).
  std::array<bool, kSlots> set{};
  for (const v1::PriorityRule::SituationPoints& s : rule.situations()) {
    const int i = Slot(s.situation());
    if (i >= 0 && !set[i]) {
      set[i] = true;
      situation_[i] = Sane(s.points());
    }
  }
  set = {};
  for (const v1::PriorityRule::FlagPoints& f : rule.flags()) {
    const int i = Slot(f.flag());
    if (i >= 0 && !set[i]) {
      set[i] = true;
      flag_[i] = Sane(f.points());
    }
  }
}

int PriorityScorer::WaitingDays(const v1::Application& app) const {
  if (!app.has_screening_date() || !IsValidDate(app.screening_date())) {
    return 0;
  }
  const absl::CivilDay screened = calendar::CivilDayOf(app.screening_date());
  if (screened > today_) {
    return 0;
  }
  const absl::civil_diff_t days = today_ - screened;
  return days > INT32_MAX ? INT32_MAX : static_cast<int>(days);
}

// Total and Explain add the same numbers in the same order, so a candidate's
// explained total equals the total it was ranked by.
double PriorityScorer::Total(const v1::Application& app) const {
  const int s = Slot(app.situation());
  double total = s >= 0 ? situation_[s] : 0;
  total += std::min(per_week_ * WaitingDays(app) / 7, max_waiting_);
  uint32_t seen = 0;
  for (const int flag : app.vulnerability_flags()) {
    const int i = Slot(flag);
    if (i < 0 || (seen & (1u << i)) != 0) {
      continue;
    }
    seen |= 1u << i;
    if (flag_[i] != 0) {
      total += flag_[i];
    }
  }
  return total;
}

v1::Priority PriorityScorer::Explain(const v1::Application& app, i18n::Language language) const {
  v1::Priority out;
  const int s = Slot(app.situation());
  double total = s >= 0 ? situation_[s] : 0;
  v1::PriorityPart* part = out.add_parts();
  part->set_kind("situation");
  part->set_detail(i18n::EnumName(language, app.situation()));
  part->set_points(total);

  const int days = WaitingDays(app);
  const double waiting = std::min(per_week_ * days / 7, max_waiting_);
  total += waiting;
  part = out.add_parts();
  part->set_kind("waiting");
  part->set_detail(app.has_screening_date()
                       ? Weeks(language, days)
                       : i18n::Message(language, "housing.priority.no_screening"));
  part->set_points(waiting);

  uint32_t seen = 0;
  for (const int flag : app.vulnerability_flags()) {
    const int i = Slot(flag);
    if (i < 0 || (seen & (1u << i)) != 0) {
      continue;
    }
    seen |= 1u << i;
    if (flag_[i] != 0) {
      total += flag_[i];
      part = out.add_parts();
      part->set_kind("flag");
      part->set_detail(i18n::EnumName(language, static_cast<v1::VulnerabilityFlag>(flag)));
      part->set_points(flag_[i]);
    }
  }
  out.set_total(total);
  out.set_waiting_days(days);
  return out;
}

}  // namespace helhed::housing
