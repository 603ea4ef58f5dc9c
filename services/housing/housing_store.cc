#include "services/housing/housing_store.h"

#include <algorithm>
#include <map>
#include <optional>
#include <type_traits>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/calendar/calendar.h"
#include "common/i18n/catalogue.h"
#include "common/status/field_violations.h"
#include "common/status/status_macros.h"
#include "common/status/validation.h"
#include "google/protobuf/util/time_util.h"
#include "services/housing/domain/eligibility.h"
#include "services/housing/domain/lifecycle.h"
#include "services/housing/domain/priority.h"
#include "services/housing/domain/stats.h"
#include "services/housing/domain/validation.h"

namespace helhed::housing {
namespace {

// Catalogue ids of the errors that name a unit's or an application's
// status: one text per status, so that the status is a word of the caller's
// language (the error is rendered when the answer is sent).
const char* UnitNotAvailableId(bool archived, v1::UnitStatus status) {
  if (archived) return "housing.error.unit_not_available.archived";
  switch (status) {
    case v1::UNIT_STATUS_OFFERED:
      return "housing.error.unit_not_available.offered";
    case v1::UNIT_STATUS_OCCUPIED:
      return "housing.error.unit_not_available.occupied";
    case v1::UNIT_STATUS_UNAVAILABLE:
      return "housing.error.unit_not_available.unavailable";
    default:
      return "housing.error.unit_not_available.other";
  }
}

const char* ApplicationNotActiveId(v1::ApplicationStatus status) {
  switch (status) {
    case v1::APPLICATION_STATUS_OFFERED:
      return "housing.error.application_not_active.offered";
    case v1::APPLICATION_STATUS_HOUSED:
      return "housing.error.application_not_active.housed";
    case v1::APPLICATION_STATUS_WITHDRAWN:
      return "housing.error.application_not_active.withdrawn";
    default:
      return "housing.error.application_not_active.other";
  }
}

const char* CannotWithdrawId(v1::ApplicationStatus status) {
  switch (status) {
    case v1::APPLICATION_STATUS_OFFERED:
      return "housing.error.cannot_withdraw.offered";
    case v1::APPLICATION_STATUS_HOUSED:
      return "housing.error.cannot_withdraw.housed";
    default:
      return "housing.error.cannot_withdraw.other";
  }
}

}  // namespace
}  // namespace helhed::housing

namespace helhed::store {

namespace hv1 = ::helhed::housing::v1;

// ---------------------------------------------------------------------------
// Per-kind rules of the housing service.

template <>
struct Kind<hv1::HousingUnit> {
  static constexpr const char* kTable = "housing_units";
  static constexpr const char* kName = "unit";
  static std::vector<std::string> Immutable() { return {}; }
  static std::vector<std::string> Outputs() { return {"unit_status", "vacant_since"}; }
  static void ClearOutputs(hv1::HousingUnit& m) {
    m.set_unit_status(hv1::UNIT_STATUS_AVAILABLE);
    m.clear_vacant_since();
  }
  static void Validate(const hv1::HousingUnit& m, FieldViolations& v) {
    housing::ValidateUnit(m, kName, v);
  }
  static absl::StatusOr<Projection> Prepare(Connection&, const std::string&, hv1::HousingUnit& m,
                                            bool, absl::Time now) {
    if (m.state() == helhed::common::v1::RESOURCE_STATE_ARCHIVED &&
        (m.unit_status() == hv1::UNIT_STATUS_OFFERED ||
         m.unit_status() == hv1::UNIT_STATUS_OCCUPIED)) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later(m.unit_status() == hv1::UNIT_STATUS_OFFERED
                                       ? "housing.error.archive_unit.offered"
                                       : "housing.error.archive_unit.occupied"));
    }
    if (m.unit_status() == hv1::UNIT_STATUS_AVAILABLE && !m.has_vacant_since()) {
      *m.mutable_vacant_since() = Ts(now);
    }
    Projection p;
    p.status = m.unit_status();
    p.ref_id = absl::StrCat(static_cast<int>(m.unit_type()));
    p.tags.push_back(absl::StrCat("pc:", m.postcode()));
    return p;
  }
};

template <>
struct Kind<hv1::Application> {
  static constexpr const char* kTable = "applications";
  static constexpr const char* kListKey = "applications_list";  // migration 0002
  static constexpr const char* kName = "application";
  static std::vector<std::string> Immutable() { return {"citizen_id"}; }
  static std::vector<std::string> Outputs() { return {"application_status"}; }
  static void ClearOutputs(hv1::Application& m) {
    m.set_application_status(hv1::APPLICATION_STATUS_ACTIVE);
  }
  static void Validate(const hv1::Application& m, absl::Time now, FieldViolations& v) {
    housing::ValidateApplication(m, kName, calendar::Today(now), v);
  }
  static absl::StatusOr<Projection> Prepare(Connection& c, const std::string& muni,
                                            hv1::Application& m, bool check_refs) {
    if (m.state() == helhed::common::v1::RESOURCE_STATE_ARCHIVED &&
        m.application_status() == hv1::APPLICATION_STATUS_OFFERED) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("housing.error.archive_application_offered"));
    }
    if (check_refs) {
      if (m.application_status() != hv1::APPLICATION_STATUS_ACTIVE) {
        return TextError(
            absl::StatusCode::kFailedPrecondition,
            i18n::Later(::helhed::housing::ApplicationNotActiveId(m.application_status())));
      }
      // One open application per citizen.
      HELHED_ASSIGN_OR_RETURN(
          Rows rows, c.Query("SELECT id FROM applications WHERE municipality = ? AND"
                             " citizen_id = ? AND status IN (1, 2) AND state = 1 AND id <> ?",
                             {muni, m.citizen_id(), m.id()}));
      if (!rows.empty()) {
        return TextError(
            absl::StatusCode::kFailedPrecondition,
            i18n::Later("housing.error.open_application_id", {{"id", rows[0].Str(0)}}));
      }
    }
    Projection p;
    p.citizen_id = m.citizen_id();
    p.status = m.application_status();
    p.ref_id = absl::StrCat(static_cast<int>(m.situation()));
    p.columns.emplace_back("waiting_from", housing::WaitingFromDay(m));  // migration 0003
    // Migration 0004: the unique key that keeps one open application per
    // citizen when two creates race past the check above.
    const bool open = m.state() != helhed::common::v1::RESOURCE_STATE_ARCHIVED &&
                      (m.application_status() == hv1::APPLICATION_STATUS_ACTIVE ||
                       m.application_status() == hv1::APPLICATION_STATUS_OFFERED);
    p.columns.emplace_back("open_citizen", open ? store::Value(m.citizen_id()) : store::Value());
    return p;
  }
};

template <>
struct Kind<hv1::Tenancy> {
  static constexpr const char* kTable = "tenancies";
  static constexpr const char* kName = "tenancy";
  static std::vector<std::string> Immutable() { return {"unit_id", "citizen_id"}; }
  static std::vector<std::string> Outputs() {
    return {"unit_type", "application_id",  "offer_id",
            "move_out",  "move_out_reason", "tenancy_status"};
  }
  static void ClearOutputs(hv1::Tenancy& m) {
    m.clear_unit_type();
    m.clear_application_id();
    m.clear_offer_id();
    m.clear_move_out();
    m.clear_move_out_reason();
    m.set_tenancy_status(hv1::TENANCY_STATUS_CURRENT);
  }
  static void Validate(const hv1::Tenancy& m, absl::Time now, FieldViolations& v) {
    housing::ValidateTenancy(m, kName, calendar::Today(now), v);
  }
  static absl::StatusOr<Projection> Prepare(Connection&, const std::string&, hv1::Tenancy& m,
                                            bool) {
    if (m.has_move_out() && DateKey(m.move_out()) < DateKey(m.move_in())) {
      return InvalidField("tenancy.move_in",
                          i18n::Later("validation.housing.move_in_after_move_out"));
    }
    Projection p;
    p.parent_id = m.unit_id();
    p.citizen_id = m.citizen_id();
    p.status = m.tenancy_status();
    p.ref_id = absl::StrCat(static_cast<int>(m.unit_type()));
    return p;
  }
};

}  // namespace helhed::store

namespace helhed::housing {
namespace {

using google::protobuf::util::TimeUtil;
using store::Connection;
using store::Load;
using store::Rows;

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(t));
}

template <typename T>
absl::Status Save(Connection& c, const std::string& muni, T& m, int64_t version, absl::Time now) {
  HELHED_ASSIGN_OR_RETURN(store::Projection p, store::PrepareKind(c, muni, m, false, now));
  return store::Replace(c, muni, p, version, now, m);
}

absl::Status RequireEtag(const std::string& etag, FieldViolations& v) {
  if (etag.empty()) {
    v.Add("etag", i18n::Later("validation.etag.required"));
  }
  return v.ToStatus();
}

// The municipality's rule, its version (0: the default) .
absl::StatusOr<std::pair<v1::PriorityRule, int64_t>> LoadRule(Connection& c,
                                                              const std::string& muni) {
  HELHED_ASSIGN_OR_RETURN(
      Rows rows,
      c.Query("SELECT version, body FROM priority_rules WHERE municipality = ?", {muni}));
  if (rows.empty()) {
    v1::PriorityRule rule = DefaultPriorityRule();
    rule.set_etag(store::Etag(0));
    return std::make_pair(std::move(rule), int64_t{0});
  }
  v1::PriorityRule rule;
  if (!rule.ParseFromString(rows[0][1].AsString())) {
    return absl::DataLossError("stored priority rule is unreadable");
  }
  return std::make_pair(std::move(rule), rows[0].Int(0));
}

// ---------------------------------------------------------------------------
// Offers.

absl::StatusOr<std::pair<v1::Offer, int64_t>> LoadOffer(Connection& c, const std::string& muni,
                                                        const std::string& id, bool for_update) {
  HELHED_ASSIGN_OR_RETURN(
      Rows rows,
      c.Query(absl::StrCat("SELECT body, version FROM offers WHERE municipality = ? AND id = ?",
                           for_update ? store::ForUpdate(c) : ""),
              {muni, id}));
  if (rows.empty()) {
    return TextError(absl::StatusCode::kNotFound,
                     i18n::Later("housing.error.offer_not_found", {{"id", id}}));
  }
  v1::Offer m;
  if (!m.ParseFromString(rows[0][0].AsString())) {
    return absl::DataLossError("stored offer is unreadable");
  }
  return std::make_pair(std::move(m), rows[0].Int(1));
}

absl::StatusOr<bool> FindOfferByRequest(Connection& c, const std::string& muni,
                                        const std::string& request_id, v1::Offer* out) {
  HELHED_ASSIGN_OR_RETURN(
      Rows rows, c.Query("SELECT body FROM offers WHERE municipality = ? AND request_id = ?",
                         {muni, request_id}));
  if (rows.empty()) return false;
  if (!out->ParseFromString(rows[0][0].AsString())) {
    return absl::DataLossError("stored offer is unreadable");
  }
  return true;
}

// Writes the offer over `version`; the pending keys are set only while it
// is pending.
absl::Status SaveOffer(Connection& c, const std::string& muni, v1::Offer& m, int64_t version,
                       absl::Time now) {
  *m.mutable_update_time() = store::Ts(now);
  m.set_etag(store::Etag(version + 1));
  const bool pending = m.offer_state() == v1::OFFER_STATE_PENDING;
  HELHED_ASSIGN_OR_RETURN(
      int64_t n,
      c.Execute("UPDATE offers SET offer_state = ?, decline_reason = ?, pending_unit = ?,"
                " pending_application = ?, version = ?, update_time = ?, body = ? WHERE"
                " municipality = ? AND id = ? AND version = ?",
                {static_cast<int>(m.offer_state()), static_cast<int>(m.decline_reason()),
                 pending ? store::Value(m.unit_id()) : store::Value(),
                 pending ? store::Value(m.application_id()) : store::Value(), version + 1,
                 store::Micros(now), store::StoredBody(m), muni, m.id(), version}));
  if (n != 1) {
    return TextError(absl::StatusCode::kAborted, i18n::Later("common.store.concurrent_update"));
  }
  return absl::OkStatus();
}

absl::Status CheckNotPastDeadline(const v1::Offer& m, absl::Time now) {
  if (m.offer_state() == v1::OFFER_STATE_PENDING && TimeOf(m.deadline()) <= now) {
    return TextError(absl::StatusCode::kFailedPrecondition,
                     i18n::Later("housing.error.offer_expired",
                                 {{"deadline", TimeUtil::ToString(m.deadline())}}));
  }
  return absl::OkStatus();
}

// Moves a pending offer to DECLINED, EXPIRED or WITHDRAWN and frees its
// unit and application.
absl::Status CloseOffer(Connection& c, const std::string& muni, v1::Offer& m, int64_t version,
                        v1::OfferState to, absl::Time now, i18n::Language lang) {
  HELHED_RETURN_IF_ERROR(CheckOfferTransition(m.offer_state(), to, lang));
  m.set_offer_state(to);
  *m.mutable_decided_time() = store::Ts(now);
  HELHED_RETURN_IF_ERROR(SaveOffer(c, muni, m, version, now));
  HELHED_ASSIGN_OR_RETURN(auto unit, Load<v1::HousingUnit>(c, muni, m.unit_id(), true));
  if (unit.msg.unit_status() == v1::UNIT_STATUS_OFFERED) {
    unit.msg.set_unit_status(v1::UNIT_STATUS_AVAILABLE);
    HELHED_RETURN_IF_ERROR(Save(c, muni, unit.msg, unit.version, now));
  }
  HELHED_ASSIGN_OR_RETURN(auto app, Load<v1::Application>(c, muni, m.application_id(), true));
  if (app.msg.application_status() == v1::APPLICATION_STATUS_OFFERED) {
    app.msg.set_application_status(v1::APPLICATION_STATUS_ACTIVE);
    HELHED_RETURN_IF_ERROR(Save(c, muni, app.msg, app.version, now));
  }
  return absl::OkStatus();
}

// Ends a current tenancy on `move_out` and frees its unit.
absl::Status EndTenancyInTx(Connection& c, const std::string& muni, store::Loaded<v1::Tenancy>& t,
                            const google::type::Date& move_out, v1::MoveOutReason reason,
                            absl::Time now, v1::HousingUnit* unit_out) {
  t.msg.set_tenancy_status(v1::TENANCY_STATUS_ENDED);
  *t.msg.mutable_move_out() = move_out;
  t.msg.set_move_out_reason(reason);
  HELHED_RETURN_IF_ERROR(Save(c, muni, t.msg, t.version, now));
  HELHED_ASSIGN_OR_RETURN(auto unit, Load<v1::HousingUnit>(c, muni, t.msg.unit_id(), true));
  if (unit.msg.unit_status() == v1::UNIT_STATUS_OCCUPIED) {
    unit.msg.set_unit_status(v1::UNIT_STATUS_AVAILABLE);
    *unit.msg.mutable_vacant_since() = store::Ts(now);
    HELHED_RETURN_IF_ERROR(Save(c, muni, unit.msg, unit.version, now));
  }
  if (unit_out != nullptr) *unit_out = std::move(unit.msg);
  return absl::OkStatus();
}

// Locks a unit that must exist (else a bad `field`), be active and AVAILABLE.
absl::StatusOr<store::Loaded<v1::HousingUnit>> LockAvailableUnit(Connection& c,
                                                                 const std::string& muni,
                                                                 const std::string& id,
                                                                 const std::string& field) {
  auto unit = Load<v1::HousingUnit>(c, muni, id, true);
  if (unit.status().code() == absl::StatusCode::kNotFound) {
    return InvalidField(field, i18n::Later("validation.field.no_such", {{"kind", "unit"}}));
  }
  HELHED_RETURN_IF_ERROR(unit.status());
  const bool archived = unit->msg.state() == helhed::common::v1::RESOURCE_STATE_ARCHIVED;
  if (archived || unit->msg.unit_status() != v1::UNIT_STATUS_AVAILABLE) {
    return TextError(absl::StatusCode::kFailedPrecondition,
                     i18n::Later(UnitNotAvailableId(archived, unit->msg.unit_status())));
  }
  return unit;
}

// Starts a stay: the unit (already locked, AVAILABLE or OFFERED) becomes
// OCCUPIED.
absl::Status StartTenancy(Connection& c, const std::string& muni,
                          store::Loaded<v1::HousingUnit>& unit, v1::Tenancy& t,
                          const std::string& request_id, absl::Time now) {
  t.set_unit_type(unit.msg.unit_type());
  t.set_tenancy_status(v1::TENANCY_STATUS_CURRENT);
  HELHED_ASSIGN_OR_RETURN(store::Projection p, store::PrepareKind(c, muni, t, true, now));
  HELHED_RETURN_IF_ERROR(store::Insert(c, muni, p, request_id, now, t));
  unit.msg.set_unit_status(v1::UNIT_STATUS_OCCUPIED);
  unit.msg.clear_vacant_since();
  return Save(c, muni, unit.msg, unit.version, now);
}

}  // namespace

// ---------------------------------------------------------------------------
// Generic resource operations.

template <typename T>
absl::Status HousingStore::Create(const std::string& muni, const T& resource,
                                  const std::string& request_id, T* out) {
  absl::Status s = store::CreateResource(db_, Now(), muni, resource, request_id, out);
  if constexpr (std::is_same_v<T, v1::Application>) {
    // A retry with the same request id came back as OK above; what is left
    // is the unique key of migration 0004: a concurrent create for the same
    // citizen won.
    if (s.code() == absl::StatusCode::kAlreadyExists) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("housing.error.open_application"));
    }
  }
  return s;
}
template <typename T>
absl::Status HousingStore::Get(const std::string& muni, const std::string& id, T* out) {
  return store::GetResource(db_, muni, id, out);
}
template <typename T>
absl::Status HousingStore::Update(const std::string& muni, const T& patch,
                                  const google::protobuf::FieldMask& mask, T* out) {
  return store::UpdateResource(db_, Now(), muni, patch, mask, out);
}
template <typename T>
absl::Status HousingStore::Archive(const std::string& muni, const std::string& id,
                                   const std::string& etag, T* out) {
  return store::ArchiveResource(db_, Now(), muni, id, etag, out);
}
template <typename T>
absl::Status HousingStore::List(const std::string& muni, const store::ListFilter& filter,
                                const store::Page& page, google::protobuf::RepeatedPtrField<T>* out,
                                std::string* next) {
  return store::ListResources(db_, tokens_, muni, filter, page, out, next);
}

#define HELHED_HOUSING_INSTANTIATE(T)                                                             \
  template absl::Status HousingStore::Create<T>(const std::string&, const T&, const std::string&, \
                                                T*);                                              \
  template absl::Status HousingStore::Get<T>(const std::string&, const std::string&, T*);         \
  template absl::Status HousingStore::Update<T>(const std::string&, const T&,                     \
                                                const google::protobuf::FieldMask&, T*);          \
  template absl::Status HousingStore::Archive<T>(const std::string&, const std::string&,          \
                                                 const std::string&, T*);                         \
  template absl::Status HousingStore::List<T>(                                                    \
      const std::string&, const store::ListFilter&, const store::Page&,                           \
      google::protobuf::RepeatedPtrField<T>*, std::string*);
HELHED_HOUSING_INSTANTIATE(v1::HousingUnit)
HELHED_HOUSING_INSTANTIATE(v1::Application)
HELHED_HOUSING_INSTANTIATE(v1::Tenancy)
#undef HELHED_HOUSING_INSTANTIATE

absl::Status HousingStore::SetUnitAvailability(const std::string& muni, const std::string& id,
                                               const std::string& etag, bool available,
                                               i18n::Language lang, v1::HousingUnit* out) {
  FieldViolations v;
  Validator(v).Id("id", id, true);
  HELHED_RETURN_IF_ERROR(RequireEtag(etag, v));
  return db_->Transaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto unit, Load<v1::HousingUnit>(c, muni, id, true));
    if (unit.msg.etag() != etag) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("housing.error.unit_stale"));
    }
    if (unit.msg.state() == helhed::common::v1::RESOURCE_STATE_ARCHIVED) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("housing.error.unit_archived"));
    }
    HELHED_RETURN_IF_ERROR(CheckAvailabilityChange(unit.msg.unit_status(), available, lang));
    const auto to = available ? v1::UNIT_STATUS_AVAILABLE : v1::UNIT_STATUS_UNAVAILABLE;
    if (unit.msg.unit_status() != to) {
      unit.msg.set_unit_status(to);
      if (available) {
        *unit.msg.mutable_vacant_since() = store::Ts(Now());
      } else {
        unit.msg.clear_vacant_since();
      }
      HELHED_RETURN_IF_ERROR(Save(c, muni, unit.msg, unit.version, Now()));
    }
    *out = std::move(unit.msg);
    return absl::OkStatus();
  });
}

absl::Status HousingStore::WithdrawApplication(const std::string& muni, const std::string& id,
                                               const std::string& etag, v1::Application* out) {
  FieldViolations v;
  Validator(v).Id("id", id, true);
  HELHED_RETURN_IF_ERROR(RequireEtag(etag, v));
  return db_->Transaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto app, Load<v1::Application>(c, muni, id, true));
    if (app.msg.etag() != etag) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("housing.error.application_stale"));
    }
    if (app.msg.application_status() == v1::APPLICATION_STATUS_WITHDRAWN) {
      *out = std::move(app.msg);
      return absl::OkStatus();
    }
    if (app.msg.application_status() != v1::APPLICATION_STATUS_ACTIVE) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later(CannotWithdrawId(app.msg.application_status())));
    }
    app.msg.set_application_status(v1::APPLICATION_STATUS_WITHDRAWN);
    HELHED_RETURN_IF_ERROR(Save(c, muni, app.msg, app.version, Now()));
    *out = std::move(app.msg);
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------------------
// Priority and ranking.

absl::Status HousingStore::GetRule(const std::string& muni, v1::PriorityRule* out,
                                   bool* is_default) {
  return db_->Run([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto loaded, LoadRule(c, muni));
    *is_default = loaded.second == 0;
    *out = std::move(loaded.first);
    return absl::OkStatus();
  });
}

absl::Status HousingStore::UpdateRule(const std::string& muni, const v1::PriorityRule& rule,
                                      v1::PriorityRule* out) {
  FieldViolations v;
  ValidatePriorityRule(rule, "rule", v);
  if (rule.etag().empty()) {
    v.Add("rule.etag", i18n::Later("validation.etag.required"));
  }
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  absl::Status s = db_->Transaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto cur, LoadRule(c, muni));
    if (cur.first.etag() != rule.etag()) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("housing.error.rule_stale"));
    }
    v1::PriorityRule next = rule;
    const absl::Time now = Now();
    *next.mutable_update_time() = store::Ts(now);
    next.set_etag(store::Etag(cur.second + 1));
    if (cur.second == 0) {
      HELHED_RETURN_IF_ERROR(c.Execute("INSERT INTO priority_rules (municipality, version,"
                                       " update_time, body) VALUES (?, 1, ?, ?)",
                                       {muni, store::Micros(now), store::StoredBody(next)})
                                 .status());
    } else {
      HELHED_ASSIGN_OR_RETURN(
          int64_t n,
          c.Execute(
              "UPDATE priority_rules SET version = ?, update_time = ?, body = ? WHERE"
              " municipality = ? AND version = ?",
              {cur.second + 1, store::Micros(now), store::StoredBody(next), muni, cur.second}));
      if (n != 1)
        return TextError(absl::StatusCode::kAborted, i18n::Later("common.store.concurrent_update"));
    }
    *out = std::move(next);
    return absl::OkStatus();
  });
  if (s.code() == absl::StatusCode::kAlreadyExists) {
    return TextError(absl::StatusCode::kFailedPrecondition,
                     i18n::Later("housing.error.rule_stale"));
  }
  return s;
}

absl::Status HousingStore::Standing(const std::string& muni, const std::string& application_id,
                                    i18n::Language lang, v1::GetApplicationStandingResponse* out) {
  FieldViolations v;
  Validator(v).Id("application_id", application_id, true);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return db_->ReadTransaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto app, Load<v1::Application>(c, muni, application_id, false));
    HELHED_ASSIGN_OR_RETURN(auto rule, LoadRule(c, muni));
    HELHED_ASSIGN_OR_RETURN(auto active, active_apps_.Get(c, muni));
    const PriorityScorer scorer(rule.first, calendar::Today(Now()));
    *out->mutable_priority() = scorer.Explain(app.msg, lang);
    std::vector<v1::QueuePlace> queues = QueuePlaces(app.msg, *active, scorer);
    out->set_explanation(StandingText(lang, app.msg, out->priority(), queues));
    for (auto& q : queues) {
      *out->add_queues() = std::move(q);
    }
    return absl::OkStatus();
  });
}

absl::Status HousingStore::Rank(const std::string& muni, const std::string& unit_id, int limit,
                                const std::string& explain_application_id, i18n::Language lang,
                                v1::RankCandidatesResponse* out) {
  FieldViolations v;
  Validator check(v);
  check.Id("unit_id", unit_id, true);
  if (limit != 0) check.Range("limit", limit, 1, 100);
  check.Id("explain_application_id", explain_application_id, false);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  if (limit == 0) limit = 10;
  return db_->ReadTransaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto unit, Load<v1::HousingUnit>(c, muni, unit_id, false));
    if (unit.msg.state() == helhed::common::v1::RESOURCE_STATE_ARCHIVED) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("housing.error.unit_archived"));
    }
    std::optional<store::Loaded<v1::Application>> named;
    if (!explain_application_id.empty()) {
      auto loaded = Load<v1::Application>(c, muni, explain_application_id, false);
      if (loaded.status().code() == absl::StatusCode::kNotFound) {
        // Another municipality's application is not found either.
        return absl::NotFoundError(i18n::Message(lang, "housing.explain.not_found"));
      }
      HELHED_RETURN_IF_ERROR(loaded.status());
      named = std::move(*loaded);
    }
    HELHED_ASSIGN_OR_RETURN(auto rule, LoadRule(c, muni));
    HELHED_ASSIGN_OR_RETURN(auto active, active_apps_.Get(c, muni));
    const PriorityScorer scorer(rule.first, calendar::Today(Now()));
    Ranking r = RankCandidates(unit.msg, *active, scorer, limit, lang);
    if (named.has_value()) {
      *out->mutable_explanation() =
          ExplainCandidate(unit.msg, named->msg, *active, scorer, r, lang);
    }
    out->set_considered(r.considered);
    out->set_eligible(r.eligible);
    for (auto& cand : r.candidates) *out->add_candidates() = std::move(cand);
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------------------
// Offers.

absl::Status HousingStore::MakeOffer(const std::string& muni, const v1::MakeOfferRequest& req,
                                     i18n::Language lang, v1::Offer* out) {
  FieldViolations v;
  ValidateMakeOffer(req, Now(), v);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  absl::Status s = db_->Transaction([&](Connection& c) -> absl::Status {
    if (!req.idempotency_key().empty()) {
      HELHED_ASSIGN_OR_RETURN(bool found, FindOfferByRequest(c, muni, req.idempotency_key(), out));
      if (found) return absl::OkStatus();
    }
    // Lock order everywhere: offer, unit, application.
    auto unit = LockAvailableUnit(c, muni, req.unit_id(), "unit_id");
    HELHED_RETURN_IF_ERROR(unit.status());
    auto app = Load<v1::Application>(c, muni, req.application_id(), true);
    if (app.status().code() == absl::StatusCode::kNotFound) {
      return InvalidField("application_id",
                          i18n::Later("validation.field.no_such", {{"kind", "application"}}));
    }
    HELHED_RETURN_IF_ERROR(app.status());
    // The ranking's own rules (the application's state first), so an offer
    // is refused exactly when the ranking leaves the application out.
    std::vector<std::string> why = Ineligibility(lang, unit->msg, app->msg);
    if (!why.empty()) {
      return absl::FailedPreconditionError(
          i18n::Message(lang, "housing.offer.ineligible", {{"reasons", absl::StrJoin(why, "; ")}}));
    }
    HELHED_ASSIGN_OR_RETURN(auto rule, LoadRule(c, muni));
    const absl::Time now = Now();
    v1::Offer m;
    m.set_id(store::NewId());
    m.set_unit_id(req.unit_id());
    m.set_application_id(req.application_id());
    m.set_citizen_id(app->msg.citizen_id());
    m.set_offer_state(v1::OFFER_STATE_PENDING);
    *m.mutable_deadline() = req.deadline();
    m.set_priority(PriorityScorer(rule.first, calendar::Today(now)).Total(app->msg));
    *m.mutable_create_time() = store::Ts(now);
    *m.mutable_update_time() = store::Ts(now);
    m.set_etag(store::Etag(1));
    HELHED_RETURN_IF_ERROR(
        c.Execute(
             "INSERT INTO offers (id, municipality, unit_id, application_id, citizen_id,"
             " offer_state, decline_reason, pending_unit, pending_application, deadline,"
             " request_id, version, create_time, update_time, body)"
             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
             {m.id(), muni, m.unit_id(), m.application_id(), m.citizen_id(),
              static_cast<int>(m.offer_state()), static_cast<int>(m.decline_reason()), m.unit_id(),
              m.application_id(), TimeUtil::TimestampToMicroseconds(m.deadline()),
              req.idempotency_key().empty() ? store::Value() : store::Value(req.idempotency_key()),
              store::Micros(now), store::Micros(now), store::StoredBody(m)})
            .status());
    unit->msg.set_unit_status(v1::UNIT_STATUS_OFFERED);
    HELHED_RETURN_IF_ERROR(Save(c, muni, unit->msg, unit->version, now));
    app->msg.set_application_status(v1::APPLICATION_STATUS_OFFERED);
    HELHED_RETURN_IF_ERROR(Save(c, muni, app->msg, app->version, now));
    *out = std::move(m);
    return absl::OkStatus();
  });
  if (s.code() == absl::StatusCode::kAlreadyExists) {
    // A concurrent offer with the same request id won, or (only if the locks
    // above failed) a pending key is taken.
    bool found = false;
    if (!req.idempotency_key().empty()) {
      HELHED_RETURN_IF_ERROR(db_->ReadTransaction([&](Connection& c) -> absl::Status {
        HELHED_ASSIGN_OR_RETURN(found, FindOfferByRequest(c, muni, req.idempotency_key(), out));
        return absl::OkStatus();
      }));
    }
    if (found) return absl::OkStatus();
    return TextError(absl::StatusCode::kFailedPrecondition,
                     i18n::Later("housing.error.pending_offer"));
  }
  return s;
}

absl::Status HousingStore::AcceptOffer(const std::string& muni, const v1::AcceptOfferRequest& req,
                                       i18n::Language lang, v1::AcceptOfferResponse* out) {
  FieldViolations v;
  ValidateAcceptOffer(req, v);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return db_->Transaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto loaded, LoadOffer(c, muni, req.offer_id(), true));
    v1::Offer& m = loaded.first;
    // The etag, when given, must be the offer's current one (the proto),
    // also when the offer is accepted already: the etag read before an
    // accept is stale after it.
    if (!req.etag().empty() && m.etag() != req.etag()) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("housing.error.offer_stale"));
    }
    if (m.offer_state() == v1::OFFER_STATE_ACCEPTED) {
      // A retry of an accept that succeeded (without an etag, or with the
      // accepted offer's): the same answer, nothing written.
      HELHED_ASSIGN_OR_RETURN(auto t, Load<v1::Tenancy>(c, muni, m.tenancy_id(), false));
      *out->mutable_offer() = std::move(m);
      *out->mutable_tenancy() = std::move(t.msg);
      return absl::OkStatus();
    }
    HELHED_RETURN_IF_ERROR(CheckOfferTransition(m.offer_state(), v1::OFFER_STATE_ACCEPTED, lang));
    const absl::Time now = Now();
    HELHED_RETURN_IF_ERROR(CheckNotPastDeadline(m, now));
    HELHED_ASSIGN_OR_RETURN(auto unit, Load<v1::HousingUnit>(c, muni, m.unit_id(), true));
    HELHED_ASSIGN_OR_RETURN(auto app, Load<v1::Application>(c, muni, m.application_id(), true));
    if (unit.msg.unit_status() != v1::UNIT_STATUS_OFFERED ||
        app.msg.application_status() != v1::APPLICATION_STATUS_OFFERED) {
      return absl::InternalError("pending offer without an offered unit and application");
    }
    // A citizen moving on from a temporary place leaves it on move-in.
    google::type::Date move_in = req.move_in();
    if (!req.has_move_in()) {
      absl::CivilDay day = calendar::Today(now);
      if (IsValidDate(unit.msg.available_from())) {
        const auto& a = unit.msg.available_from();
        day = std::max(day, calendar::CivilDayOf(a));
      }
      move_in = calendar::DateOf(day);
    }
    store::ListFilter current;
    current.citizen_id = m.citizen_id();
    current.has_status = true;
    current.status = v1::TENANCY_STATUS_CURRENT;
    HELHED_ASSIGN_OR_RETURN(auto stays, store::SelectAll<v1::Tenancy>(c, muni, current));
    for (const auto& stay : stays) {
      if (!IsTemporary(stay.unit_type()) || stay.unit_id() == m.unit_id()) continue;
      HELHED_ASSIGN_OR_RETURN(auto locked, Load<v1::Tenancy>(c, muni, stay.id(), true));
      google::type::Date out_day = move_in;
      if (DateKey(out_day) < DateKey(locked.msg.move_in())) out_day = locked.msg.move_in();
      HELHED_RETURN_IF_ERROR(
          EndTenancyInTx(c, muni, locked, out_day, v1::MOVE_OUT_REASON_MOVED_ON, now, nullptr));
    }
    v1::Tenancy t;
    t.set_unit_id(m.unit_id());
    t.set_citizen_id(m.citizen_id());
    t.set_application_id(m.application_id());
    t.set_offer_id(m.id());
    *t.mutable_move_in() = move_in;
    HELHED_RETURN_IF_ERROR(StartTenancy(c, muni, unit, t, "", now));
    app.msg.set_application_status(v1::APPLICATION_STATUS_HOUSED);
    HELHED_RETURN_IF_ERROR(Save(c, muni, app.msg, app.version, now));
    m.set_offer_state(v1::OFFER_STATE_ACCEPTED);
    *m.mutable_decided_time() = store::Ts(now);
    m.set_tenancy_id(t.id());
    HELHED_RETURN_IF_ERROR(SaveOffer(c, muni, m, loaded.second, now));
    *out->mutable_offer() = std::move(m);
    *out->mutable_tenancy() = std::move(t);
    return absl::OkStatus();
  });
}

absl::Status HousingStore::DeclineOffer(const std::string& muni, const v1::DeclineOfferRequest& req,
                                        i18n::Language lang, v1::DeclineOfferResponse* out) {
  FieldViolations v;
  ValidateDeclineOffer(req, v);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  HELHED_RETURN_IF_ERROR(db_->Transaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto loaded, LoadOffer(c, muni, req.offer_id(), true));
    v1::Offer& m = loaded.first;
    if (!req.etag().empty() && m.etag() != req.etag()) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("housing.error.offer_stale"));
    }
    HELHED_RETURN_IF_ERROR(CheckOfferTransition(m.offer_state(), v1::OFFER_STATE_DECLINED, lang));
    HELHED_RETURN_IF_ERROR(CheckNotPastDeadline(m, Now()));
    m.set_decline_reason(req.reason());
    m.set_note(req.note());
    HELHED_RETURN_IF_ERROR(
        CloseOffer(c, muni, m, loaded.second, v1::OFFER_STATE_DECLINED, Now(), lang));
    *out->mutable_offer() = std::move(m);
    return absl::OkStatus();
  }));
  v1::RankCandidatesResponse next;
  if (Rank(muni, out->offer().unit_id(), 5, "", lang, &next).ok()) {
    *out->mutable_next_candidates() = std::move(*next.mutable_candidates());
  }
  return absl::OkStatus();
}

absl::Status HousingStore::WithdrawOffer(const std::string& muni,
                                         const v1::WithdrawOfferRequest& req, i18n::Language lang,
                                         v1::WithdrawOfferResponse* out) {
  FieldViolations v;
  ValidateWithdrawOffer(req, v);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  HELHED_RETURN_IF_ERROR(db_->Transaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto loaded, LoadOffer(c, muni, req.offer_id(), true));
    v1::Offer& m = loaded.first;
    if (!req.etag().empty() && m.etag() != req.etag()) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("housing.error.offer_stale"));
    }
    m.set_note(req.note());
    HELHED_RETURN_IF_ERROR(
        CloseOffer(c, muni, m, loaded.second, v1::OFFER_STATE_WITHDRAWN, Now(), lang));
    *out->mutable_offer() = std::move(m);
    return absl::OkStatus();
  }));
  v1::RankCandidatesResponse next;
  if (Rank(muni, out->offer().unit_id(), 5, "", lang, &next).ok()) {
    *out->mutable_next_candidates() = std::move(*next.mutable_candidates());
  }
  return absl::OkStatus();
}

absl::StatusOr<int> HousingStore::ExpireDue() {
  const absl::Time now = Now();
  Rows due;
  HELHED_RETURN_IF_ERROR(db_->Run([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(due, c.Query("SELECT municipality, id FROM offers WHERE"
                                         " offer_state = 1 AND deadline <= ? ORDER BY deadline"
                                         " LIMIT 1000",
                                         {store::Micros(now)}));
    return absl::OkStatus();
  }));
  int expired = 0;
  for (const auto& row : due) {
    const std::string muni = row.Str(0);
    const std::string id = row.Str(1);
    bool did = false;
    HELHED_RETURN_IF_ERROR(db_->Transaction([&](Connection& c) -> absl::Status {
      HELHED_ASSIGN_OR_RETURN(auto loaded, LoadOffer(c, muni, id, true));
      v1::Offer& m = loaded.first;
      if (m.offer_state() != v1::OFFER_STATE_PENDING || TimeOf(m.deadline()) > now) {
        return absl::OkStatus();  // answered meanwhile
      }
      did = true;
      // No caller reads this text; an error only reaches the log.
      return CloseOffer(c, muni, m, loaded.second, v1::OFFER_STATE_EXPIRED, now,
                        i18n::Language::kEnglish);
    }));
    if (did) ++expired;
  }
  return expired;
}

absl::Status HousingStore::GetOffer(const std::string& muni, const std::string& id,
                                    v1::Offer* out) {
  FieldViolations v;
  Validator(v).Id("offer_id", id, true);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return db_->Run([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto loaded, LoadOffer(c, muni, id, false));
    *out = std::move(loaded.first);
    return absl::OkStatus();
  });
}

absl::Status HousingStore::ListOffers(const std::string& muni, const v1::ListOffersRequest& req,
                                      const store::Page& page, v1::ListOffersResponse* out) {
  FieldViolations v;
  Validator check(v);
  check.Id("unit_id", req.unit_id(), false);
  check.Id("application_id", req.application_id(), false);
  if (!req.citizen_id().empty()) check.CitizenId("citizen_id", req.citizen_id());
  check.Enum("offer_state", req.offer_state(), v1::OfferState_IsValid, false);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  const std::string scope = absl::StrCat("offers|", req.unit_id(), "|", req.application_id(), "|",
                                         req.citizen_id(), "|", req.offer_state());
  HELHED_ASSIGN_OR_RETURN(int64_t after, tokens_->Decode(muni, scope, page.token));
  return db_->Run([&](Connection& c) -> absl::Status {
    std::string sql = "SELECT seq, body FROM offers WHERE municipality = ? AND seq > ?";
    store::Params params = {muni, after};
    if (!req.unit_id().empty()) {
      sql += " AND unit_id = ?";
      params.emplace_back(req.unit_id());
    }
    if (!req.application_id().empty()) {
      sql += " AND application_id = ?";
      params.emplace_back(req.application_id());
    }
    if (!req.citizen_id().empty()) {
      sql += " AND citizen_id = ?";
      params.emplace_back(req.citizen_id());
    }
    if (req.offer_state() != 0) {
      sql += " AND offer_state = ?";
      params.emplace_back(static_cast<int>(req.offer_state()));
    }
    sql += " ORDER BY seq LIMIT ?";
    params.emplace_back(page.size + 1);
    HELHED_ASSIGN_OR_RETURN(Rows rows, c.Query(sql, params));
    const bool more = static_cast<int>(rows.size()) > page.size;
    for (int i = 0; i < static_cast<int>(rows.size()) && i < page.size; ++i) {
      if (!out->add_offers()->ParseFromString(rows[i][1].AsString())) {
        return absl::DataLossError("stored offer is unreadable");
      }
    }
    if (more) {
      out->mutable_page()->set_next_page_token(
          tokens_->Encode(muni, scope, rows[page.size - 1].Int(0)));
    }
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------------------
// Tenancies.

absl::Status HousingStore::CreateTenancy(const std::string& muni, const v1::Tenancy& tenancy,
                                         const std::string& request_id, v1::Tenancy* out) {
  FieldViolations v;
  ValidateTenancy(tenancy, "tenancy", calendar::Today(Now()), v);
  Validator(v).RequestId("idempotency_key", request_id);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  v1::Tenancy t = tenancy;
  store::ClearBookkeeping(t);
  absl::Status s = db_->Transaction([&](Connection& c) -> absl::Status {
    if (!request_id.empty()) {
      HELHED_ASSIGN_OR_RETURN(bool found,
                              store::FindByRequest<v1::Tenancy>(c, muni, request_id, out));
      if (found) return absl::OkStatus();
    }
    auto unit = LockAvailableUnit(c, muni, t.unit_id(), "tenancy.unit_id");
    HELHED_RETURN_IF_ERROR(unit.status());
    v1::Tenancy fresh = t;
    HELHED_RETURN_IF_ERROR(StartTenancy(c, muni, *unit, fresh, request_id, Now()));
    *out = std::move(fresh);
    return absl::OkStatus();
  });
  if (s.code() == absl::StatusCode::kAlreadyExists && !request_id.empty()) {
    bool found = false;
    HELHED_RETURN_IF_ERROR(db_->ReadTransaction([&](Connection& c) -> absl::Status {
      HELHED_ASSIGN_OR_RETURN(found, store::FindByRequest<v1::Tenancy>(c, muni, request_id, out));
      return absl::OkStatus();
    }));
    if (found) return absl::OkStatus();
  }
  return s;
}

absl::Status HousingStore::EndTenancy(const std::string& muni, const v1::EndTenancyRequest& req,
                                      v1::EndTenancyResponse* out) {
  FieldViolations v;
  ValidateEndTenancy(req, calendar::Today(Now()), v);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return db_->Transaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto t, Load<v1::Tenancy>(c, muni, req.id(), true));
    if (t.msg.etag() != req.etag()) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("housing.error.tenancy_stale"));
    }
    if (t.msg.tenancy_status() != v1::TENANCY_STATUS_CURRENT) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("housing.error.tenancy_ended"));
    }
    if (DateKey(req.move_out()) < DateKey(t.msg.move_in())) {
      return InvalidField("move_out", i18n::Later("validation.housing.move_out_before_move_in"));
    }
    HELHED_RETURN_IF_ERROR(
        EndTenancyInTx(c, muni, t, req.move_out(), req.reason(), Now(), out->mutable_unit()));
    *out->mutable_tenancy() = std::move(t.msg);
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------------------
// Figures.

namespace {

// `waiting` of the stats (domain/stats.h, WaitingOf) summed in SQL over the
// column applications.waiting_from; nullopt when an open application has no
// value there yet (written before migration 0003).
absl::StatusOr<std::optional<std::map<int, WaitingDays>>> WaitingFromColumns(
    Connection& c, const std::string& muni, absl::Time now) {
  const int64_t today = TodayNumber(now);
  HELHED_ASSIGN_OR_RETURN(
      Rows rows,
      c.Query(absl::StrCat("SELECT ref_id, COUNT(*),"
                           " SUM(CASE WHEN waiting_from < ? THEN ? - waiting_from ELSE 0 END),"
                           " MAX(CASE WHEN waiting_from < ? THEN ? - waiting_from ELSE 0 END),"
                           " COUNT(*) - COUNT(waiting_from) FROM applications",
                           // Named on MySQL: read from the key alone.
                           store::ForceIndex(c, "applications_waiting"),
                           " WHERE municipality = ? AND state = ? AND status IN (?, ?)"
                           " GROUP BY ref_id"),
              {today, today, today, today, muni,
               static_cast<int>(helhed::common::v1::RESOURCE_STATE_ACTIVE),
               static_cast<int>(v1::APPLICATION_STATUS_ACTIVE),
               static_cast<int>(v1::APPLICATION_STATUS_OFFERED)}));
  std::map<int, WaitingDays> out;
  for (const auto& r : rows) {
    int situation = 0;
    if (r.Int(4) != 0 || !absl::SimpleAtoi(r.Str(0), &situation)) {
      return std::nullopt;
    }
    WaitingDays& d = out[situation];
    d.count += static_cast<int>(r.Int(1));
    d.sum += r.Int(2);
    d.max = std::max(d.max, static_cast<int>(r.Int(3)));
  }
  return out;
}

// `offers_*` and `decline_reasons` of the stats (domain/stats.h,
// OfferCountsOf) counted in SQL over the columns offer_state and
// decline_reason; only declined offers written before migration 0005 (no
// decline_reason yet) are read from their bodies.
absl::StatusOr<OfferCounts> OfferCountsFromColumns(Connection& c, const std::string& muni) {
  HELHED_ASSIGN_OR_RETURN(
      Rows rows, c.Query(absl::StrCat("SELECT offer_state, decline_reason, COUNT(*) FROM offers",
                                      // Named on MySQL: read from the key alone.
                                      store::ForceIndex(c, "offers_outcome"),
                                      " WHERE municipality = ? GROUP BY offer_state,"
                                      " decline_reason"),
                         {muni}));
  OfferCounts out;
  bool from_bodies = false;  // a declined offer from before 0005
  for (const auto& r : rows) {
    const int state = static_cast<int>(r.Int(0));
    const int count = static_cast<int>(r.Int(2));
    out.by_state[state] += count;
    if (state != v1::OFFER_STATE_DECLINED) continue;
    if (r.IsNull(1)) {
      from_bodies = true;
    } else {
      out.declined_by_reason[static_cast<int>(r.Int(1))] += count;
    }
  }
  if (from_bodies) {
    HELHED_ASSIGN_OR_RETURN(Rows bodies,
                            c.Query("SELECT body FROM offers WHERE municipality = ?"
                                    " AND offer_state = ? AND decline_reason IS NULL",
                                    {muni, static_cast<int>(v1::OFFER_STATE_DECLINED)}));
    for (const auto& b : bodies) {
      v1::Offer o;
      if (!o.ParseFromString(b[0].AsString())) {
        return absl::DataLossError("stored offer is unreadable");
      }
      ++out.declined_by_reason[o.decline_reason()];
    }
  }
  return out;
}

}  // namespace

absl::Status HousingStore::Stats(const std::string& muni, int temporary_days,
                                 v1::HousingStats* out) {
  FieldViolations v;
  if (temporary_days != 0) Validator(v).Range("temporary_days", temporary_days, 1, 3650);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  if (temporary_days == 0) temporary_days = 90;
  const absl::Time now = Now();
  return db_->ReadTransaction([&](Connection& c) -> absl::Status {
    store::ListFilter all;
    all.include_archived = true;
    HELHED_ASSIGN_OR_RETURN(auto units, store::SelectAll<v1::HousingUnit>(c, muni, all));
    // Waiting applications, summed in SQL from the column of migration 0003;
    // from the bodies while any open application predates it.
    HELHED_ASSIGN_OR_RETURN(auto waiting, WaitingFromColumns(c, muni, now));
    if (!waiting.has_value()) {
      HELHED_ASSIGN_OR_RETURN(auto apps, store::SelectAll<v1::Application>(c, muni, all));
      waiting = WaitingOf(apps, now);
    }
    HELHED_ASSIGN_OR_RETURN(auto tenancies, store::SelectAll<v1::Tenancy>(c, muni, all));
    HELHED_ASSIGN_OR_RETURN(OfferCounts offers, OfferCountsFromColumns(c, muni));
    *out = ComputeStatsFromCounts(units, *waiting, offers, tenancies, temporary_days, now);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<std::string>> HousingStore::Municipalities() {
  std::vector<std::string> out;
  HELHED_RETURN_IF_ERROR(db_->Run([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(
        Rows rows, c.Query("SELECT DISTINCT municipality FROM housing_units UNION SELECT DISTINCT"
                           " municipality FROM applications",
                           {}));
    for (const auto& r : rows) out.push_back(r.Str(0));
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace helhed::housing
