#include "services/plans/domain/status_report.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/calendar/calendar.h"
#include "common/i18n/catalogue.h"
#include "common/i18n/enum_names.h"
#include "common/i18n/numbers.h"
#include "common/status/validation.h"
#include "google/protobuf/util/time_util.h"

namespace helhed::plans {
namespace {

using google::protobuf::util::TimeUtil;

bool IsClosed(v1::ActivityStatus s) {
  return s == v1::ACTIVITY_STATUS_COMPLETED || s == v1::ACTIVITY_STATUS_CANCELLED;
}

// Markdown table cells: no pipes or newlines from user text.
std::string Cell(absl::string_view s) {
  return absl::StrReplaceAll(s, {{"|", "\\|"}, {"\n", " "}, {"\r", " "}});
}

v1::IndicatorStatus IndicatorAsOf(const v1::Indicator& ind,
                                  const std::vector<v1::Measurement>* measurements, int year) {
  v1::IndicatorStatus st;
  st.set_indicator_id(ind.id());
  st.set_title(ind.title());
  st.set_unit(ind.unit());
  st.set_direction(ind.direction());
  *st.mutable_baseline() = ind.baseline();
  *st.mutable_target() = ind.target();
  const v1::Measurement* latest = nullptr;
  if (measurements != nullptr) {
    for (const auto& m : *measurements) {
      if (m.value().date().year() > year) {
        continue;
      }
      if (latest == nullptr || DateKey(m.value().date()) >= DateKey(latest->value().date())) {
        latest = &m;
      }
    }
  }
  if (latest != nullptr) {
    st.set_measured(true);
    *st.mutable_latest() = latest->value();
    st.set_progress(IndicatorProgress(ind, latest->value().value()));
    st.set_target_met(TargetMet(ind, latest->value().value()));
  }
  return st;
}

}  // namespace

double IndicatorProgress(const v1::Indicator& indicator, double latest) {
  const double span = indicator.target().value() - indicator.baseline().value();
  if (span == 0) {
    return TargetMet(indicator, latest) ? 1.0 : 0.0;
  }
  return (latest - indicator.baseline().value()) / span;
}

bool TargetMet(const v1::Indicator& indicator, double latest) {
  if (indicator.direction() == v1::INDICATOR_DIRECTION_DECREASE) {
    return latest <= indicator.target().value();
  }
  return latest >= indicator.target().value();
}

google::type::Date DefaultAsOf(int year, absl::Time now) {
  const absl::CivilDay today = calendar::Today(now);
  return calendar::DateOf(today.year() > year ? absl::CivilDay(year, 12, 31) : today);
}

v1::StatusReport BuildStatusReport(const ReportInput& in) {
  v1::StatusReport report;
  report.set_plan_id(in.plan.id());
  report.set_plan_title(in.plan.title());
  report.set_year(in.year);
  *report.mutable_as_of() = in.as_of;
  const int as_of_key = DateKey(in.as_of);

  std::map<std::string, const v1::Track*> tracks;
  for (const auto& t : in.tracks) {
    tracks[t.id()] = &t;
  }
  std::map<std::string, v1::InitiativeAreaReport*> by_area;
  for (const auto& area : in.areas) {
    auto* ar = report.add_initiative_areas();
    ar->set_initiative_area_id(area.id());
    ar->set_title(area.title());
    auto t = tracks.find(area.track_id());
    if (t != tracks.end()) {
      ar->set_track_title(t->second->title());
    }
    ar->set_in_focus(std::find(in.focus_area_ids.begin(), in.focus_area_ids.end(), area.id()) !=
                     in.focus_area_ids.end());
    by_area[area.id()] = ar;
  }

  std::map<std::string, std::map<int, int>> counts;  // area -> status -> n
  for (const auto& act : in.activities) {
    auto it = by_area.find(act.initiative_area_id());
    if (it == by_area.end()) {
      continue;
    }
    v1::InitiativeAreaReport* ar = it->second;
    counts[act.initiative_area_id()][act.status()]++;
    v1::ReportedActivity ra;
    ra.set_activity_id(act.id());
    ra.set_title(act.title());
    ra.set_status(act.status());
    if (act.has_due_date()) {
      *ra.mutable_due_date() = act.due_date();
    }
    auto p = in.progress.find(act.id());
    if (p != in.progress.end()) {
      int best = 0;
      for (const auto& u : p->second) {
        if (u.update_date().year() != in.year) {
          continue;
        }
        ra.set_updates_in_year(ra.updates_in_year() + 1);
        if (DateKey(u.update_date()) >= best) {
          best = DateKey(u.update_date());
          ra.set_latest_note(u.note());
        }
      }
    }
    if (ra.updates_in_year() > 0) {
      *ar->add_changed() = ra;
    }
    if (act.has_due_date() && IsValidDate(act.due_date()) && DateKey(act.due_date()) < as_of_key &&
        !IsClosed(act.status())) {
      *ar->add_overdue() = ra;
    }
  }
  for (auto& [area_id, by_status] : counts) {
    for (const auto& [status, n] : by_status) {
      auto* sc = by_area[area_id]->add_status_counts();
      sc->set_status(static_cast<v1::ActivityStatus>(status));
      sc->set_count(n);
    }
  }
  for (const auto& ind : in.indicators) {
    auto m = in.measurements.find(ind.id());
    const auto* ms = m == in.measurements.end() ? nullptr : &m->second;
    v1::IndicatorStatus st = IndicatorAsOf(ind, ms, in.year);
    if (ind.initiative_area_id().empty()) {
      *report.add_plan_indicators() = st;
      continue;
    }
    // An indicator of an area left out of the report (archived) is left out
    // with it, as its activities are; it is not one of the plan's own.
    auto it = by_area.find(ind.initiative_area_id());
    if (it != by_area.end()) {
      *it->second->add_indicators() = st;
    }
  }
  return report;
}

namespace {

using i18n::Language;
using i18n::Message;

std::string FormatDate(Language lang, const google::type::Date& d) {
  if (!IsValidDate(d)) {
    return "-";
  }
  return i18n::ShortDate(lang, calendar::CivilDayOf(d));
}

// Figures to at most two decimals, as the language writes them.
std::string Amount(Language lang, double v) { return i18n::Decimal(lang, v, 2); }

// Enum values by their names in `lang`, joined by commas.
// (Repeated enum fields hold ints.)
template <typename E>
std::string Names(Language lang, const google::protobuf::RepeatedField<int>& values) {
  std::vector<std::string> names;
  for (const int v : values) {
    names.push_back(i18n::EnumName(lang, static_cast<E>(v)));
  }
  return absl::StrJoin(names, ", ");
}

std::string ValueCell(Language lang, const v1::DatedValue& v, const std::string& unit) {
  return absl::StrCat(Amount(lang, v.value()), unit, " (", FormatDate(lang, v.date()), ")");
}

void RenderIndicators(Language lang,
                      const google::protobuf::RepeatedPtrField<v1::IndicatorStatus>& list,
                      std::string& md) {
  absl::StrAppend(&md, Message(lang, "plans.report.indicator_header"), "\n",
                  "|---|---|---|---|---|---|\n");
  for (const auto& i : list) {
    const std::string unit = i.unit().empty() ? "" : absl::StrCat(" ", Cell(i.unit()));
    std::string target = absl::StrCat(Amount(lang, i.target().value()), unit);
    if (i.direction() == v1::INDICATOR_DIRECTION_DECREASE) {
      target = Message(lang, "plans.report.target_decrease", {{"value", target}});
    } else if (i.direction() == v1::INDICATOR_DIRECTION_INCREASE) {
      target = Message(lang, "plans.report.target_increase", {{"value", target}});
    }
    absl::StrAppend(&md, "| ", Cell(i.title()), " | ", ValueCell(lang, i.baseline(), unit), " | ",
                    target, " (", FormatDate(lang, i.target().date()), ") | ");
    if (i.measured()) {
      // The change since the baseline as shown: a value that has not moved
      // (at the precision shown) is "unchanged", never "-0".
      const std::string change = i18n::Change(lang, i.latest().value() - i.baseline().value(), 2);
      const std::string moved =
          change == "0" ? Message(lang, "plans.report.unchanged") : absl::StrCat(change, unit);
      absl::StrAppend(
          &md, ValueCell(lang, i.latest(), unit), " | ", i18n::Percent(lang, i.progress() * 100),
          " (", moved, ") | ",
          Message(lang, i.target_met() ? "plans.report.target_met" : "plans.report.target_not_met"),
          " |\n");
    } else {
      absl::StrAppend(&md, Message(lang, "plans.report.no_measurement"), " | - | ",
                      Message(lang, "plans.report.not_measured"), " |\n");
    }
  }
  md.append("\n");
}

}  // namespace

std::string RenderMarkdown(const v1::StatusReport& r, const ReportInput& source, Language lang) {
  std::map<std::string, const v1::InitiativeArea*> areas;
  for (const auto& a : source.areas) {
    areas[a.id()] = &a;
  }
  std::map<std::string, const v1::Activity*> activities;
  for (const auto& a : source.activities) {
    activities[a.id()] = &a;
  }
  const std::string year = absl::StrCat(r.year());
  const google::type::Date& as_of = r.as_of();
  std::string md = absl::StrCat(
      "# ", Message(lang, "plans.report.title", {{"year", year}, {"plan", Cell(r.plan_title())}}),
      "\n\n",
      Message(
          lang, "plans.report.as_of",
          {{"date", IsValidDate(as_of) ? i18n::LongDate(lang, calendar::CivilDayOf(as_of)) : "-"}}),
      "\n\n");
  if (!source.plan.owner().empty()) {
    absl::StrAppend(
        &md, "- ", Message(lang, "plans.report.plan_owner", {{"owner", Cell(source.plan.owner())}}),
        "\n");
  }
  if (!source.plan.target_groups().empty()) {
    absl::StrAppend(
        &md, "- ",
        Message(lang, "plans.report.plan_target_groups",
                {{"groups", Names<common::v1::TargetGroup>(lang, source.plan.target_groups())}}),
        "\n");
  }
  if (!source.plan.owner().empty() || !source.plan.target_groups().empty()) {
    md.append("\n");
  }

  int total = 0;
  int overdue = 0;
  int changed = 0;
  int indicators = r.plan_indicators_size();
  int met = 0;
  for (const auto& i : r.plan_indicators()) {
    met += i.measured() && i.target_met();
  }
  for (const auto& a : r.initiative_areas()) {
    for (const auto& c : a.status_counts()) {
      total += c.count();
    }
    overdue += a.overdue_size();
    changed += a.changed_size();
    indicators += a.indicators_size();
    for (const auto& i : a.indicators()) {
      met += i.measured() && i.target_met();
    }
  }
  auto count = [&](int n) { return i18n::Integer(lang, n); };
  absl::StrAppend(
      &md, "## ", Message(lang, "plans.report.summary_heading"), "\n\n", "- ",
      Message(lang, "plans.report.summary_areas", {{"count", count(r.initiative_areas_size())}}),
      "\n", "- ", Message(lang, "plans.report.summary_activities", {{"count", count(total)}}), "\n",
      "- ",
      Message(lang, "plans.report.summary_changed", {{"year", year}, {"count", count(changed)}}),
      "\n", "- ", Message(lang, "plans.report.summary_overdue", {{"count", count(overdue)}}), "\n");
  if (indicators > 0) {
    absl::StrAppend(&md, "- ",
                    Message(lang, "plans.report.summary_targets_met",
                            {{"met", count(met)}, {"total", count(indicators)}}),
                    "\n");
  }
  md.append("\n");

  for (const auto& a : r.initiative_areas()) {
    const std::string title = Cell(a.title());
    absl::StrAppend(&md, "## ",
                    a.in_focus() ? Message(lang, "plans.report.area_in_focus",
                                           {{"title", title}, {"year", year}})
                                 : title,
                    "\n\n");
    std::vector<std::string> facts;
    if (!a.track_title().empty()) {
      facts.push_back(Message(lang, "plans.report.area_track", {{"track", Cell(a.track_title())}}));
    }
    auto area = areas.find(a.initiative_area_id());
    if (area != areas.end()) {
      const v1::InitiativeArea& ia = *area->second;
      if (!ia.target_groups().empty()) {
        facts.push_back(
            Message(lang, "plans.report.area_target_groups",
                    {{"groups", Names<common::v1::TargetGroup>(lang, ia.target_groups())}}));
      }
      if (!ia.life_areas().empty()) {
        facts.push_back(
            Message(lang, "plans.report.area_life_areas",
                    {{"life_areas", Names<common::v1::LifeArea>(lang, ia.life_areas())}}));
      }
      if (!ia.responsible_unit().empty()) {
        facts.push_back(Message(lang, "plans.report.area_responsible",
                                {{"unit", Cell(ia.responsible_unit())}}));
      }
    }
    if (!facts.empty()) {
      for (const auto& f : facts) {
        absl::StrAppend(&md, "- ", f, "\n");
      }
      md.append("\n");
    }
    if (a.status_counts().empty()) {
      absl::StrAppend(&md, Message(lang, "plans.report.no_activities"), "\n\n");
    } else {
      std::vector<std::string> counts;
      for (const auto& c : a.status_counts()) {
        counts.push_back(
            Message(lang, "plans.report.status_count",
                    {{"count", count(c.count())}, {"status", i18n::EnumName(lang, c.status())}}));
      }
      absl::StrAppend(
          &md, Message(lang, "plans.report.by_status", {{"counts", absl::StrJoin(counts, ", ")}}),
          "\n\n");
    }
    if (!a.changed().empty()) {
      absl::StrAppend(&md, Message(lang, "plans.report.changed_heading", {{"year", year}}), "\n\n");
      for (const auto& c : a.changed()) {
        const std::string updates = c.updates_in_year() == 1
                                        ? Message(lang, "plans.report.updates_one")
                                        : Message(lang, "plans.report.updates_many",
                                                  {{"count", count(c.updates_in_year())}});
        absl::StrAppend(&md,
                        Message(lang, "plans.report.changed_item",
                                {{"title", Cell(c.title())},
                                 {"status", i18n::EnumName(lang, c.status())},
                                 {"updates", updates},
                                 {"note", Cell(c.latest_note())}}),
                        "\n");
      }
      md.append("\n");
    }
    if (!a.overdue().empty()) {
      absl::StrAppend(&md, Message(lang, "plans.report.overdue_heading"), "\n\n");
      for (const auto& o : a.overdue()) {
        auto act = activities.find(o.activity_id());
        const std::string responsible =
            act == activities.end() ? "" : Cell(act->second->responsible());
        const std::string item_title = Cell(o.title());
        const std::string due = FormatDate(lang, o.due_date());
        const std::string status = i18n::EnumName(lang, o.status());
        absl::StrAppend(&md,
                        responsible.empty()
                            ? Message(lang, "plans.report.overdue_item",
                                      {{"title", item_title}, {"due", due}, {"status", status}})
                            : Message(lang, "plans.report.overdue_item_responsible",
                                      {{"title", item_title},
                                       {"due", due},
                                       {"status", status},
                                       {"responsible", responsible}}),
                        "\n");
      }
      md.append("\n");
    }
    if (!a.indicators().empty()) {
      absl::StrAppend(&md, Message(lang, "plans.report.indicators_heading"), "\n\n");
      RenderIndicators(lang, a.indicators(), md);
    }
  }
  if (!r.plan_indicators().empty()) {
    absl::StrAppend(&md, "## ", Message(lang, "plans.report.plan_indicators_heading"), "\n\n");
    RenderIndicators(lang, r.plan_indicators(), md);
  }
  return md;
}

std::vector<v1::StaleItem> FindStaleItems(const std::vector<v1::Activity>& activities,
                                          const std::vector<v1::Indicator>& indicators,
                                          absl::Time now, int days) {
  std::vector<v1::StaleItem> out;
  auto consider = [&](v1::StaleItemKind kind, const std::string& id, const std::string& title,
                      const std::string& area, const google::protobuf::Timestamp& last) {
    const absl::Time t = absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(last));
    const int64_t age = static_cast<int64_t>(absl::ToDoubleHours(now - t) / 24);
    if (age < days) {
      return;
    }
    v1::StaleItem item;
    item.set_kind(kind);
    item.set_id(id);
    item.set_title(title);
    item.set_initiative_area_id(area);
    *item.mutable_last_update_time() = last;
    item.set_days_since_update(static_cast<int>(age));
    out.push_back(std::move(item));
  };
  for (const auto& a : activities) {
    if (IsClosed(a.status())) {
      continue;
    }
    consider(v1::STALE_ITEM_KIND_ACTIVITY, a.id(), a.title(), a.initiative_area_id(),
             a.has_last_progress_time() ? a.last_progress_time() : a.create_time());
  }
  for (const auto& i : indicators) {
    consider(v1::STALE_ITEM_KIND_INDICATOR, i.id(), i.title(), i.initiative_area_id(),
             i.has_last_measurement_time() ? i.last_measurement_time() : i.create_time());
  }
  std::stable_sort(out.begin(), out.end(), [](const v1::StaleItem& a, const v1::StaleItem& b) {
    return a.days_since_update() > b.days_since_update();
  });
  return out;
}

}  // namespace helhed::plans
