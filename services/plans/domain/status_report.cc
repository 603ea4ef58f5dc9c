#include "services/plans/domain/status_report.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "common/status/validation.h"
#include "google/protobuf/util/time_util.h"

namespace helhed::plans {
namespace {

using google::protobuf::util::TimeUtil;

bool IsClosed(v1::ActivityStatus s) {
  return s == v1::ACTIVITY_STATUS_COMPLETED || s == v1::ACTIVITY_STATUS_CANCELLED;
}

const char* StatusLabel(v1::ActivityStatus s) {
  switch (s) {
    case v1::ACTIVITY_STATUS_PLANNED:
      return "planned";
    case v1::ACTIVITY_STATUS_IN_PROGRESS:
      return "in progress";
    case v1::ACTIVITY_STATUS_COMPLETED:
      return "completed";
    case v1::ACTIVITY_STATUS_ON_HOLD:
      return "on hold";
    case v1::ACTIVITY_STATUS_CANCELLED:
      return "cancelled";
    default:
      return "unknown";
  }
}

std::string FormatDate(const google::type::Date& d) {
  if (!IsValidDate(d)) {
    return "-";
  }
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

std::string FormatNumber(double v) {
  if (std::fabs(v - std::round(v)) < 1e-9) {
    return absl::StrFormat("%.0f", v);
  }
  return absl::StrFormat("%.2f", v);
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
  const absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());
  google::type::Date d;
  if (today.year() > year) {
    d.set_year(year);
    d.set_month(12);
    d.set_day(31);
  } else {
    d.set_year(static_cast<int>(today.year()));
    d.set_month(today.month());
    d.set_day(today.day());
  }
  return d;
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

void RenderIndicators(const google::protobuf::RepeatedPtrField<v1::IndicatorStatus>& list,
                      std::string& md) {
  absl::StrAppend(&md, "| Indicator | Baseline | Target | Latest | Progress | Status |\n",
                  "|---|---|---|---|---|---|\n");
  for (const auto& i : list) {
    const std::string unit = i.unit().empty() ? "" : absl::StrCat(" ", Cell(i.unit()));
    absl::StrAppend(&md, "| ", Cell(i.title()), " | ", FormatNumber(i.baseline().value()), unit,
                    " (", FormatDate(i.baseline().date()), ") | ", FormatNumber(i.target().value()),
                    unit, " (", FormatDate(i.target().date()), ") | ");
    if (i.measured()) {
      absl::StrAppend(&md, FormatNumber(i.latest().value()), unit, " (",
                      FormatDate(i.latest().date()), ") | ",
                      absl::StrFormat("%.0f %%", i.progress() * 100), " | ",
                      i.target_met() ? "target met" : "not yet", " |\n");
    } else {
      absl::StrAppend(&md, "no measurement | - | not measured |\n");
    }
  }
  md.append("\n");
}

}  // namespace

std::string RenderMarkdown(const v1::StatusReport& r) {
  std::string md = absl::StrCat("# Status report ", r.year(), ": ", Cell(r.plan_title()), "\n\n",
                                "As of ", FormatDate(r.as_of()), ".\n\n");
  int total = 0;
  int overdue = 0;
  int changed = 0;
  for (const auto& a : r.initiative_areas()) {
    for (const auto& c : a.status_counts()) {
      total += c.count();
    }
    overdue += a.overdue_size();
    changed += a.changed_size();
  }
  absl::StrAppend(&md, "## Summary\n\n", "- Initiative areas: ", r.initiative_areas_size(), "\n",
                  "- Activities: ", total, "\n", "- Activities with progress in ", r.year(), ": ",
                  changed, "\n", "- Overdue activities: ", overdue, "\n\n");
  for (const auto& a : r.initiative_areas()) {
    absl::StrAppend(&md, "## ", Cell(a.title()), a.in_focus() ? " (focus " : "",
                    a.in_focus() ? absl::StrCat(r.year(), ")") : "", "\n\n");
    if (!a.track_title().empty()) {
      absl::StrAppend(&md, "Track: ", Cell(a.track_title()), "\n\n");
    }
    if (a.status_counts().empty()) {
      md.append("No activities.\n\n");
    } else {
      md.append("Activities by status: ");
      for (int i = 0; i < a.status_counts_size(); ++i) {
        absl::StrAppend(&md, i > 0 ? ", " : "", StatusLabel(a.status_counts(i).status()), " ",
                        a.status_counts(i).count());
      }
      md.append(".\n\n");
    }
    if (!a.changed().empty()) {
      absl::StrAppend(&md, "What changed in ", r.year(), ":\n\n");
      for (const auto& c : a.changed()) {
        absl::StrAppend(&md, "- **", Cell(c.title()), "** (", StatusLabel(c.status()), ", ",
                        c.updates_in_year(), c.updates_in_year() == 1 ? " update" : " updates",
                        "): ", Cell(c.latest_note()), "\n");
      }
      md.append("\n");
    }
    if (!a.overdue().empty()) {
      md.append("Overdue:\n\n");
      for (const auto& o : a.overdue()) {
        absl::StrAppend(&md, "- **", Cell(o.title()), "**, due ", FormatDate(o.due_date()), " (",
                        StatusLabel(o.status()), ")\n");
      }
      md.append("\n");
    }
    if (!a.indicators().empty()) {
      RenderIndicators(a.indicators(), md);
    }
  }
  if (!r.plan_indicators().empty()) {
    md.append("## Indicators of the plan\n\n");
    RenderIndicators(r.plan_indicators(), md);
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
