#include "common/observability/deployment_gauges.h"

#include "absl/strings/str_cat.h"
#include "common/observability/log.h"

namespace helhed::observability {

DeploymentGauges::DeploymentGauges(prometheus::Registry& registry, store::Database& db,
                                   const std::string& service, absl::Duration period,
                                   store::Lease::Clock clock)
    : lease_(db, "stats", period * 3, std::move(clock)),
      leader_gauge_(prometheus::BuildGauge()
                        .Name(absl::StrCat("helhed_", service, "_stats_leader"))
                        .Help("1 on the one replica that exports this service's domain gauges "
                              "(it holds the stats lease), 0 on the others.")
                        .Register(registry)
                        .Add({})) {
  leader_gauge_.Set(0);
}

bool DeploymentGauges::Acquire() {
  absl::StatusOr<bool> held = lease_.Renew();
  absl::MutexLock lock(&mu_);
  const bool now_leader = held.ok() && *held;
  if (!held.ok()) {
    log::Warning("stats lease not renewed", log::Fields().Str("status", held.status().ToString()));
  }
  if (now_leader != leader_) {
    log::Info(now_leader ? "stats lease taken" : "stats lease lost",
              log::Fields().Str("holder", lease_.holder()));
  }
  leader_ = now_leader;
  if (!leader_) ClearLocked();
  leader_gauge_.Set(leader_ ? 1 : 0);
  return leader_;
}

void DeploymentGauges::Set(prometheus::Family<prometheus::Gauge>& family, const Labels& labels,
                           double value) {
  absl::MutexLock lock(&mu_);
  if (!leader_) return;
  prometheus::Gauge& g = family.Add(labels);
  g.Set(value);
  series_.insert({&family, &g});
}

void DeploymentGauges::Release() {
  {
    absl::MutexLock lock(&mu_);
    leader_ = false;
    ClearLocked();
    leader_gauge_.Set(0);
  }
  absl::Status s = lease_.Release();
  if (!s.ok()) {
    log::Warning("stats lease not released", log::Fields().Str("status", s.ToString()));
  }
}

bool DeploymentGauges::leader() const {
  absl::MutexLock lock(&mu_);
  return leader_;
}

void DeploymentGauges::ClearLocked() {
  for (auto& [family, gauge] : series_) family->Remove(gauge);
  series_.clear();
}

}  // namespace helhed::observability
