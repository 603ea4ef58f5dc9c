#include "services/volunteers/volunteers_store.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/calendar/calendar.h"
#include "common/i18n/catalogue.h"
#include "common/status/field_violations.h"
#include "common/status/status_macros.h"
#include "common/status/validation.h"
#include "google/protobuf/util/time_util.h"
#include "services/volunteers/domain/lifecycle.h"
#include "services/volunteers/domain/matching.h"
#include "services/volunteers/domain/validation.h"

namespace helhed::store {

namespace vv1 = ::helhed::volunteers::v1;

// ---------------------------------------------------------------------------
// Per-kind rules of the volunteer service.

template <>
struct Kind<vv1::Organisation> {
  static constexpr const char* kTable = "organisations";
  static constexpr const char* kName = "organisation";
  static std::vector<std::string> Immutable() { return {}; }
  static std::vector<std::string> Outputs() { return {}; }
  static void ClearOutputs(vv1::Organisation&) {}
  static void Validate(const vv1::Organisation& m, FieldViolations& v) {
    volunteers::ValidateOrganisation(m, kName, v);
  }
  static absl::StatusOr<Projection> Prepare(Connection&, const std::string&, vv1::Organisation& m,
                                            bool) {
    Projection p;
    p.status = m.kind();
    for (const auto& pc : m.postcodes()) {
      p.tags.push_back(absl::StrCat("pc:", pc));
    }
    return p;
  }
};

template <>
struct Kind<vv1::Volunteer> {
  static constexpr const char* kTable = "volunteers";
  static constexpr const char* kListKey = "volunteers_list";  // migration 0002
  static constexpr const char* kName = "volunteer";
  static std::vector<std::string> Immutable() { return {}; }
  static std::vector<std::string> Outputs() { return {}; }
  static void ClearOutputs(vv1::Volunteer&) {}
  static void Validate(const vv1::Volunteer& m, FieldViolations& v) {
    volunteers::ValidateVolunteer(m, kName, v);
  }
  static absl::StatusOr<Projection> Prepare(Connection&, const std::string&, vv1::Volunteer& m,
                                            bool) {
    Projection p;
    p.status = m.status();
    p.ref_id = m.home_postcode();
    p.columns.emplace_back("consent", m.consent_given() ? 1 : 0);  // migration 0003
    p.tags.push_back(absl::StrCat("pc:", m.home_postcode()));
    for (const auto& t : m.interests()) {
      p.tags.push_back(absl::StrCat("int:", t));
    }
    for (const auto& l : m.languages()) {
      p.tags.push_back(absl::StrCat("lang:", l));
    }
    return p;
  }
};

template <>
struct Kind<vv1::Activity> {
  static constexpr const char* kTable = "activities";
  static constexpr const char* kName = "activity";
  static std::vector<std::string> Immutable() { return {"organisation_id"}; }
  static std::vector<std::string> Outputs() { return {}; }
  static void ClearOutputs(vv1::Activity&) {}
  static void Validate(const vv1::Activity& m, FieldViolations& v) {
    volunteers::ValidateActivity(m, kName, v);
  }
  static absl::StatusOr<Projection> Prepare(Connection& c, const std::string& muni,
                                            vv1::Activity& m, bool check_refs) {
    if (check_refs) {
      HELHED_RETURN_IF_ERROR(
          Require<vv1::Organisation>(c, muni, m.organisation_id(), "activity.organisation_id")
              .status());
    }
    Projection p;
    p.parent_id = m.organisation_id();
    p.tags.push_back(absl::StrCat("pc:", m.place().postcode()));
    for (const auto& t : m.interests()) {
      p.tags.push_back(absl::StrCat("int:", t));
    }
    return p;
  }
};

template <>
struct Kind<vv1::AccompanimentRequest> {
  static constexpr const char* kTable = "accompaniment_requests";
  static constexpr const char* kName = "accompaniment_request";
  static std::vector<std::string> Immutable() { return {"citizen_id"}; }
  static std::vector<std::string> Outputs() {
    return {"request_state", "volunteer_id", "hours", "cancel_reason"};
  }
  static void ClearOutputs(vv1::AccompanimentRequest& m) {
    m.set_request_state(vv1::REQUEST_STATE_REQUESTED);
    m.clear_volunteer_id();
    m.clear_hours();
    m.clear_cancel_reason();
  }
  static void Validate(const vv1::AccompanimentRequest& m, FieldViolations& v) {
    volunteers::ValidateAccompanimentRequest(m, kName, v);
  }
  static absl::StatusOr<Projection> Prepare(Connection& c, const std::string& muni,
                                            vv1::AccompanimentRequest& m, bool check_refs) {
    if (check_refs) {
      // Creates and updates: only while no volunteer holds it.
      if (m.request_state() != vv1::REQUEST_STATE_REQUESTED) {
        return TextError(absl::StatusCode::kFailedPrecondition,
                         i18n::Later("volunteers.error.request_not_changeable"));
      }
      if (!m.activity_id().empty()) {
        HELHED_RETURN_IF_ERROR(
            Require<vv1::Activity>(c, muni, m.activity_id(), "accompaniment_request.activity_id")
                .status());
      }
    }
    Projection p;
    p.parent_id = m.activity_id();
    p.ref_id = m.volunteer_id();
    p.citizen_id = m.citizen_id();
    p.status = m.request_state();
    p.columns.emplace_back(  // migration 0003
        "window_start",
        google::protobuf::util::TimeUtil::TimestampToMicroseconds(m.window_start()));
    return p;
  }
};

}  // namespace helhed::store

namespace helhed::volunteers {
namespace {

using google::protobuf::util::TimeUtil;
using helhed::common::v1::RESOURCE_STATE_ACTIVE;
using helhed::common::v1::RESOURCE_STATE_ARCHIVED;
using store::Connection;
using store::ForUpdate;
using store::Load;
using store::Rows;

constexpr char kHours[] = "hours";
constexpr char kEvaluation[] = "evaluation";

absl::Time ToTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(t));
}

// Danish local time (common/calendar).
const absl::TimeZone& LocalZone() { return calendar::Zone(); }

// The Danish date of an instant.
google::type::Date LocalDate(absl::Time t) { return calendar::DateOf(calendar::DayOf(t)); }

bool Has(const google::protobuf::RepeatedPtrField<std::string>& list, const std::string& x) {
  return std::find(list.begin(), list.end(), x) != list.end();
}

// Completed accompaniments of `citizen_id`, by volunteer.
absl::StatusOr<std::map<std::string, int>> Familiar(Connection& c, const std::string& muni,
                                                    const std::string& citizen_id) {
  store::ListFilter f;
  f.citizen_id = citizen_id;
  f.has_status = true;
  f.status = v1::REQUEST_STATE_COMPLETED;
  f.include_archived = true;
  HELHED_ASSIGN_OR_RETURN(auto done, store::SelectAll<v1::AccompanimentRequest>(c, muni, f));
  std::map<std::string, int> out;
  for (const auto& r : done) {
    out[r.volunteer_id()]++;
  }
  return out;
}

// Hours logged per volunteer since `since` (by entry date).
absl::StatusOr<std::map<std::string, double>> RecentHours(Connection& c, const std::string& muni,
                                                          absl::Time since,
                                                          const std::string& only_volunteer) {
  const int since_key = DateKey(LocalDate(since));
  std::map<std::string, double> out;
  Rows rows;
  if (only_volunteer.empty()) {
    HELHED_ASSIGN_OR_RETURN(rows,
                            c.Query("SELECT parent_id, body FROM entries WHERE municipality = ?"
                                    " AND kind = ? AND entry_date >= ?",
                                    {muni, kHours, since_key}));
  } else {
    HELHED_ASSIGN_OR_RETURN(rows,
                            c.Query("SELECT parent_id, body FROM entries WHERE municipality = ?"
                                    " AND kind = ? AND parent_id = ? AND entry_date >= ?",
                                    {muni, kHours, only_volunteer, since_key}));
  }
  for (const auto& r : rows) {
    v1::HoursEntry e;
    if (e.ParseFromString(r[1].AsString())) {
      out[r.Str(0)] += e.hours();
    }
  }
  return out;
}

absl::StatusOr<MatchContext> Context(Connection& c, const std::string& muni,
                                     const v1::AccompanimentRequest& req, absl::Time now,
                                     const std::string& only_volunteer) {
  MatchContext ctx;
  ctx.request = req;
  if (!req.activity_id().empty()) {
    auto act = Load<v1::Activity>(c, muni, req.activity_id(), false);
    if (act.ok()) {
      ctx.has_activity = true;
      ctx.activity = act->msg;
    }
  }
  HELHED_ASSIGN_OR_RETURN(ctx.familiar, Familiar(c, muni, req.citizen_id()));
  HELHED_ASSIGN_OR_RETURN(ctx.recent_hours,
                          RecentHours(c, muni, now - absl::Hours(24 * 28), only_volunteer));
  const int64_t start = TimeUtil::TimestampToMicroseconds(req.window_start());
  const int64_t end = TimeUtil::TimestampToMicroseconds(req.window_end());
  HELHED_ASSIGN_OR_RETURN(Rows booked,
                          c.Query("SELECT volunteer_id FROM bookings WHERE municipality = ? AND"
                                  " start_us < ? AND end_us > ? AND accompaniment_id <> ?",
                                  {muni, end, start, req.id()}));
  for (const auto& r : booked) {
    ctx.booked.insert(r.Str(0));
  }
  return ctx;
}

}  // namespace

// ---------------------------------------------------------------------------
// Generic resource operations.

template <typename T>
absl::Status VolunteersStore::Create(const std::string& muni, const T& resource,
                                     const std::string& request_id, T* out) {
  return store::CreateResource(db_, Now(), muni, resource, request_id, out);
}
template <typename T>
absl::Status VolunteersStore::Get(const std::string& muni, const std::string& id, T* out) {
  return store::GetResource(db_, muni, id, out);
}
template <typename T>
absl::Status VolunteersStore::Update(const std::string& muni, const T& patch,
                                     const google::protobuf::FieldMask& mask, T* out) {
  return store::UpdateResource(db_, Now(), muni, patch, mask, out);
}
template <typename T>
absl::Status VolunteersStore::Archive(const std::string& muni, const std::string& id,
                                      const std::string& etag, T* out) {
  return store::ArchiveResource(db_, Now(), muni, id, etag, out);
}
template <typename T>
absl::Status VolunteersStore::List(const std::string& muni, const store::ListFilter& filter,
                                   const store::Page& page,
                                   google::protobuf::RepeatedPtrField<T>* out, std::string* next) {
  return store::ListResources(db_, tokens_, muni, filter, page, out, next);
}

#define HELHED_VOLUNTEERS_INSTANTIATE(T)                                                     \
  template absl::Status VolunteersStore::Create<T>(const std::string&, const T&,             \
                                                   const std::string&, T*);                  \
  template absl::Status VolunteersStore::Get<T>(const std::string&, const std::string&, T*); \
  template absl::Status VolunteersStore::Update<T>(const std::string&, const T&,             \
                                                   const google::protobuf::FieldMask&, T*);  \
  template absl::Status VolunteersStore::Archive<T>(const std::string&, const std::string&,  \
                                                    const std::string&, T*);                 \
  template absl::Status VolunteersStore::List<T>(                                            \
      const std::string&, const store::ListFilter&, const store::Page&,                      \
      google::protobuf::RepeatedPtrField<T>*, std::string*);
HELHED_VOLUNTEERS_INSTANTIATE(v1::Organisation)
HELHED_VOLUNTEERS_INSTANTIATE(v1::Volunteer)
HELHED_VOLUNTEERS_INSTANTIATE(v1::Activity)
HELHED_VOLUNTEERS_INSTANTIATE(v1::AccompanimentRequest)
#undef HELHED_VOLUNTEERS_INSTANTIATE

// ---------------------------------------------------------------------------
// Sign-ups.

absl::Status VolunteersStore::SignUp(const std::string& muni, const v1::SignUpRequest& req,
                                     v1::SignUpResponse* out) {
  FieldViolations v;
  Validator check(v);
  check.Id("activity_id", req.activity_id(), true);
  check.Id("volunteer_id", req.volunteer_id(), true);
  check.RequestId("idempotency_key", req.idempotency_key());
  if (!req.has_occurrence_start()) {
    v.Add("occurrence_start", i18n::Later("validation.field.required"));
  }
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  const absl::Time start = ToTime(req.occurrence_start());
  const int64_t start_us = absl::ToUnixMicros(start);
  return db_->Transaction([&](Connection& c) -> absl::Status {
    // The activity's row lock serialises sign-ups for it: the count below
    // cannot go stale before the insert.
    HELHED_ASSIGN_OR_RETURN(auto act, Load<v1::Activity>(c, muni, req.activity_id(), true));
    auto places_left = [&]() -> absl::StatusOr<int> {
      HELHED_ASSIGN_OR_RETURN(
          Rows n, c.Query("SELECT COUNT(*) FROM sign_ups WHERE municipality = ? AND activity_id = ?"
                          " AND occurrence_start = ? AND active = 1",
                          {muni, req.activity_id(), start_us}));
      return act.msg.capacity() - static_cast<int>(n[0].Int(0));
    };
    if (!req.idempotency_key().empty()) {
      HELHED_ASSIGN_OR_RETURN(
          Rows prior, c.Query("SELECT body FROM sign_ups WHERE municipality = ? AND request_id = ?",
                              {muni, req.idempotency_key()}));
      if (!prior.empty() && out->mutable_sign_up()->ParseFromString(prior[0][0].AsString())) {
        HELHED_ASSIGN_OR_RETURN(int left, places_left());
        out->set_places_left(left);
        return absl::OkStatus();
      }
    }
    if (act.msg.state() == RESOURCE_STATE_ARCHIVED) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("volunteers.error.activity_archived"));
    }
    auto vol = Load<v1::Volunteer>(c, muni, req.volunteer_id(), false);
    if (vol.status().code() == absl::StatusCode::kNotFound) {
      return InvalidField("volunteer_id",
                          i18n::Later("validation.field.no_such", {{"kind", "volunteer"}}));
    }
    HELHED_RETURN_IF_ERROR(vol.status());
    if (vol->msg.state() != RESOURCE_STATE_ACTIVE ||
        vol->msg.status() != v1::VOLUNTEER_STATUS_ACTIVE || !vol->msg.consent_given()) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("volunteers.error.volunteer_not_active"));
    }
    if (!IsOccurrence(act.msg, start)) {
      return InvalidField("occurrence_start", i18n::Later("validation.volunteers.not_occurrence"));
    }
    if (start < Now()) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("volunteers.error.occurrence_begun"));
    }
    std::vector<std::string> skills;
    for (const auto& s : act.msg.required_skills()) {
      if (!Has(vol->msg.skills(), s)) skills.push_back(s);
    }
    std::vector<std::string> trainings;
    for (const auto& course : act.msg.required_trainings()) {
      bool taken = false;
      for (const auto& t : vol->msg.trainings()) taken |= t.course() == course;
      if (!taken) trainings.push_back(course);
    }
    if (!skills.empty() || !trainings.empty()) {
      const char* id = trainings.empty() ? "volunteers.error.lacks_skills"
                       : skills.empty()  ? "volunteers.error.lacks_trainings"
                                         : "volunteers.error.lacks_skills_trainings";
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later(id, {{"skills", absl::StrJoin(skills, ", ")},
                                        {"trainings", absl::StrJoin(trainings, ", ")}}));
    }
    HELHED_ASSIGN_OR_RETURN(
        Rows mine, c.Query("SELECT id FROM sign_ups WHERE municipality = ? AND activity_id = ? AND"
                           " occurrence_start = ? AND volunteer_id = ? AND active = 1",
                           {muni, req.activity_id(), start_us, req.volunteer_id()}));
    if (!mine.empty()) {
      return TextError(absl::StatusCode::kAlreadyExists,
                       i18n::Later("volunteers.error.already_signed_up"));
    }
    HELHED_ASSIGN_OR_RETURN(int left, places_left());
    if (left <= 0) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("volunteers.error.occurrence_full"));
    }
    v1::SignUp s;
    s.set_id(store::NewId());
    s.set_activity_id(req.activity_id());
    s.set_volunteer_id(req.volunteer_id());
    *s.mutable_occurrence_start() = req.occurrence_start();
    s.set_sign_up_state(v1::SIGN_UP_STATE_ACTIVE);
    *s.mutable_create_time() = store::Ts(Now());
    HELHED_RETURN_IF_ERROR(
        c.Execute(
             "INSERT INTO sign_ups (id, municipality, activity_id, volunteer_id,"
             " occurrence_start, active, request_id, create_time, body)"
             " VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)",
             {s.id(), muni, s.activity_id(), s.volunteer_id(), start_us,
              req.idempotency_key().empty() ? store::Value() : store::Value(req.idempotency_key()),
              store::Micros(Now()), store::StoredBody(s)})
            .status());
    *out->mutable_sign_up() = std::move(s);
    out->set_places_left(left - 1);
    return absl::OkStatus();
  });
}

absl::Status VolunteersStore::CancelSignUp(const std::string& muni, const std::string& id,
                                           v1::SignUp* out) {
  FieldViolations v;
  Validator(v).Id("sign_up_id", id, true);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return db_->Transaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(
        Rows rows,
        c.Query("SELECT body FROM sign_ups WHERE municipality = ? AND id = ?", {muni, id}));
    if (rows.empty() || !out->ParseFromString(rows[0][0].AsString())) {
      return TextError(absl::StatusCode::kNotFound,
                       i18n::Later("volunteers.error.sign_up_not_found"));
    }
    if (out->sign_up_state() == v1::SIGN_UP_STATE_CANCELLED) {
      return absl::OkStatus();
    }
    out->set_sign_up_state(v1::SIGN_UP_STATE_CANCELLED);
    return c
        .Execute("UPDATE sign_ups SET active = 0, body = ? WHERE municipality = ? AND id = ?",
                 {store::StoredBody(*out), muni, id})
        .status();
  });
}

absl::Status VolunteersStore::ListSignUps(const std::string& muni,
                                          const v1::ListSignUpsRequest& req,
                                          const store::Page& page, v1::ListSignUpsResponse* out) {
  FieldViolations v;
  Validator check(v);
  check.Id("activity_id", req.activity_id(), false);
  check.Id("volunteer_id", req.volunteer_id(), false);
  if (req.activity_id().empty() == req.volunteer_id().empty()) {
    v.Add("activity_id", i18n::Later("validation.field.exactly_one_of",
                                     {{"first", "activity_id"}, {"second", "volunteer_id"}}));
  }
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  const bool by_activity = !req.activity_id().empty();
  const std::string scope = absl::StrCat("sign_ups|", req.activity_id(), "|", req.volunteer_id(),
                                         "|", req.include_cancelled());
  HELHED_ASSIGN_OR_RETURN(int64_t after, tokens_->Decode(muni, scope, page.token));
  return db_->Run([&](Connection& c) -> absl::Status {
    const std::string sql =
        absl::StrCat("SELECT seq, body FROM sign_ups WHERE municipality = ? AND ",
                     by_activity ? "activity_id" : "volunteer_id", " = ? AND seq > ?",
                     req.include_cancelled() ? "" : " AND active = 1", " ORDER BY seq LIMIT ?");
    HELHED_ASSIGN_OR_RETURN(
        Rows rows, c.Query(sql, {muni, by_activity ? req.activity_id() : req.volunteer_id(), after,
                                 page.size + 1}));
    const bool more = static_cast<int>(rows.size()) > page.size;
    for (int i = 0; i < static_cast<int>(rows.size()) && i < page.size; ++i) {
      out->add_sign_ups()->ParseFromString(rows[i][1].AsString());
    }
    if (more) {
      out->mutable_page()->set_next_page_token(
          tokens_->Encode(muni, scope, rows[page.size - 1].Int(0)));
    }
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------------------
// Matching and the lifecycle.

absl::Status VolunteersStore::RankCandidates(const std::string& muni,
                                             const std::string& accompaniment_id, int limit,
                                             const std::string& explain_volunteer_id,
                                             i18n::Language language,
                                             v1::RankCandidatesResponse* out) {
  FieldViolations v;
  Validator check(v);
  check.Id("accompaniment_id", accompaniment_id, true);
  if (limit != 0) {
    check.Range("limit", limit, 1, 100);
  }
  check.Id("explain_volunteer_id", explain_volunteer_id, false);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  if (limit == 0) {
    limit = 10;
  }
  return db_->ReadTransaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto req,
                            Load<v1::AccompanimentRequest>(c, muni, accompaniment_id, false));
    if (req.msg.request_state() != v1::REQUEST_STATE_REQUESTED) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("volunteers.error.candidates_matched"));
    }
    HELHED_ASSIGN_OR_RETURN(MatchContext ctx, Context(c, muni, req.msg, Now(), ""));
    HELHED_ASSIGN_OR_RETURN(auto volunteers, active_volunteers_.Get(c, muni));
    out->set_considered(static_cast<int>(volunteers->size()));
    for (auto& cand : Rank(*volunteers, ctx, limit, language)) {
      *out->add_candidates() = std::move(cand);
    }
    if (!explain_volunteer_id.empty()) {
      // Any volunteer of the municipality, also one the ranking does not
      // consider (paused, archived): the explanation says which rule.
      auto who = Load<v1::Volunteer>(c, muni, explain_volunteer_id, false);
      if (who.status().code() == absl::StatusCode::kNotFound) {
        return absl::NotFoundError(i18n::Message(language, "volunteers.explain.not_found",
                                                 {{"id", explain_volunteer_id}}));
      }
      HELHED_RETURN_IF_ERROR(who.status());
      *out->mutable_explanation() = Explain(*volunteers, who->msg, ctx, limit, language);
    }
    return absl::OkStatus();
  });
}

absl::Status VolunteersStore::Match(const std::string& muni, const v1::MatchRequestRequest& req,
                                    i18n::Language language, v1::AccompanimentRequest* out) {
  FieldViolations v;
  Validator check(v);
  check.Id("accompaniment_id", req.accompaniment_id(), true);
  check.Id("volunteer_id", req.volunteer_id(), true);
  if (req.etag().empty()) {
    v.Add("etag", i18n::Later("validation.etag.required"));
  }
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return db_->Transaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto cur,
                            Load<v1::AccompanimentRequest>(c, muni, req.accompaniment_id(), true));
    if (cur.msg.etag() != req.etag()) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("volunteers.error.request_stale"));
    }
    HELHED_RETURN_IF_ERROR(CheckTransition(cur.msg.request_state(), v1::REQUEST_STATE_MATCHED));
    // The volunteer's row lock serialises all bookings of this volunteer.
    auto vol = Load<v1::Volunteer>(c, muni, req.volunteer_id(), true);
    if (vol.status().code() == absl::StatusCode::kNotFound) {
      return InvalidField("volunteer_id",
                          i18n::Later("validation.field.no_such", {{"kind", "volunteer"}}));
    }
    HELHED_RETURN_IF_ERROR(vol.status());
    HELHED_ASSIGN_OR_RETURN(MatchContext ctx, Context(c, muni, cur.msg, Now(), req.volunteer_id()));
    std::vector<std::string> why = Ineligibility(vol->msg, ctx, language);
    if (!why.empty()) {
      return absl::FailedPreconditionError(i18n::Message(language, "volunteers.match.cannot_take",
                                                         {{"reasons", absl::StrJoin(why, "; ")}}));
    }
    HELHED_RETURN_IF_ERROR(
        c.Execute("INSERT INTO bookings (accompaniment_id, municipality, volunteer_id, start_us,"
                  " end_us) VALUES (?, ?, ?, ?, ?)",
                  {cur.msg.id(), muni, req.volunteer_id(),
                   TimeUtil::TimestampToMicroseconds(cur.msg.window_start()),
                   TimeUtil::TimestampToMicroseconds(cur.msg.window_end())})
            .status());
    v1::AccompanimentRequest m = cur.msg;
    m.set_request_state(v1::REQUEST_STATE_MATCHED);
    m.set_volunteer_id(req.volunteer_id());
    HELHED_ASSIGN_OR_RETURN(store::Projection p,
                            store::Kind<v1::AccompanimentRequest>::Prepare(c, muni, m, false));
    HELHED_RETURN_IF_ERROR(store::Replace(c, muni, p, cur.version, Now(), m));
    *out = std::move(m);
    return absl::OkStatus();
  });
}

absl::Status VolunteersStore::Transition(const std::string& muni,
                                         const std::string& accompaniment_id,
                                         const std::string& etag, v1::RequestState to,
                                         const std::string& reason, v1::AccompanimentRequest* out) {
  FieldViolations v;
  Validator check(v);
  check.Id("accompaniment_id", accompaniment_id, true);
  if (etag.empty()) {
    v.Add("etag", i18n::Later("validation.etag.required"));
  }
  if (to == v1::REQUEST_STATE_CANCELLED) {
    check.Title("reason", reason, 500);
  }
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return db_->Transaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto cur,
                            Load<v1::AccompanimentRequest>(c, muni, accompaniment_id, true));
    if (cur.msg.etag() != etag) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("volunteers.error.request_stale"));
    }
    HELHED_RETURN_IF_ERROR(CheckTransition(cur.msg.request_state(), to));
    if (!HoldsBooking(to)) {
      HELHED_RETURN_IF_ERROR(
          c.Execute("DELETE FROM bookings WHERE municipality = ? AND accompaniment_id = ?",
                    {muni, accompaniment_id})
              .status());
    }
    v1::AccompanimentRequest m = cur.msg;
    m.set_request_state(to);
    if (to == v1::REQUEST_STATE_CANCELLED) {
      m.set_cancel_reason(reason);
    }
    HELHED_ASSIGN_OR_RETURN(store::Projection p,
                            store::Kind<v1::AccompanimentRequest>::Prepare(c, muni, m, false));
    HELHED_RETURN_IF_ERROR(store::Replace(c, muni, p, cur.version, Now(), m));
    *out = std::move(m);
    return absl::OkStatus();
  });
}

absl::Status VolunteersStore::Complete(const std::string& muni,
                                       const v1::CompleteRequestRequest& req,
                                       v1::AccompanimentRequest* out) {
  FieldViolations v;
  Validator check(v);
  check.Id("accompaniment_id", req.accompaniment_id(), true);
  if (req.etag().empty()) {
    v.Add("etag", i18n::Later("validation.etag.required"));
  }
  if (!(req.hours() >= 0.25 && req.hours() <= 24)) {
    v.Add("hours", i18n::Later("validation.number.hours"));
  }
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return db_->Transaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto cur,
                            Load<v1::AccompanimentRequest>(c, muni, req.accompaniment_id(), true));
    if (cur.msg.etag() != req.etag()) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("volunteers.error.request_stale"));
    }
    HELHED_RETURN_IF_ERROR(CheckTransition(cur.msg.request_state(), v1::REQUEST_STATE_COMPLETED));
    const absl::Time now = Now();
    v1::HoursEntry e;
    e.set_volunteer_id(cur.msg.volunteer_id());
    *e.mutable_date() = LocalDate(ToTime(cur.msg.window_start()));
    e.set_hours(req.hours());
    e.set_accompaniment_request_id(cur.msg.id());
    e.set_activity_id(cur.msg.activity_id());
    HELHED_RETURN_IF_ERROR(store::InsertEntry(c, muni, kHours, cur.msg.volunteer_id(),
                                              DateKey(e.date()), "", now, e, e.hours()));
    v1::AccompanimentRequest m = cur.msg;
    m.set_request_state(v1::REQUEST_STATE_COMPLETED);
    m.set_hours(req.hours());
    HELHED_ASSIGN_OR_RETURN(store::Projection p,
                            store::Kind<v1::AccompanimentRequest>::Prepare(c, muni, m, false));
    HELHED_RETURN_IF_ERROR(store::Replace(c, muni, p, cur.version, now, m));
    *out = std::move(m);
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------------------
// Hours and evaluations.

absl::Status VolunteersStore::LogHours(const std::string& muni, const v1::LogHoursRequest& req,
                                       v1::HoursEntry* out) {
  FieldViolations v;
  Validator check(v);
  check.Id("volunteer_id", req.volunteer_id(), true);
  check.RequestId("idempotency_key", req.idempotency_key());
  ValidateHoursEntry(req.entry(), "entry", v);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return db_->Transaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto vol, Load<v1::Volunteer>(c, muni, req.volunteer_id(), true));
    HELHED_ASSIGN_OR_RETURN(bool found,
                            store::FindEntry(c, muni, kHours, req.idempotency_key(), out));
    if (found) {
      return absl::OkStatus();
    }
    v1::HoursEntry e = req.entry();
    e.set_volunteer_id(vol.msg.id());
    HELHED_RETURN_IF_ERROR(store::InsertEntry(c, muni, kHours, vol.msg.id(), DateKey(e.date()),
                                              req.idempotency_key(), Now(), e, e.hours()));
    *out = std::move(e);
    return absl::OkStatus();
  });
}

absl::Status VolunteersStore::ListHours(const std::string& muni, const std::string& volunteer_id,
                                        const store::Page& page, v1::ListHoursResponse* out) {
  FieldViolations v;
  Validator(v).Id("volunteer_id", volunteer_id, true);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return store::ListEntries<v1::Volunteer>(db_, tokens_, muni, kHours, volunteer_id, page,
                                           out->mutable_entries(),
                                           out->mutable_page()->mutable_next_page_token());
}

absl::Status VolunteersStore::AddEvaluation(const std::string& muni,
                                            const v1::AddEvaluationRequest& req,
                                            v1::Evaluation* out) {
  FieldViolations v;
  Validator check(v);
  check.Id("accompaniment_id", req.accompaniment_id(), false);
  check.Id("sign_up_id", req.sign_up_id(), false);
  if (req.accompaniment_id().empty() == req.sign_up_id().empty()) {
    v.Add("accompaniment_id",
          i18n::Later("validation.field.exactly_one_of",
                      {{"first", "accompaniment_id"}, {"second", "sign_up_id"}}));
  }
  ValidateEvaluation(req.evaluation(), "evaluation", v);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return db_->Transaction([&](Connection& c) -> absl::Status {
    // The evaluated thing, locked so that two evaluations of one side race
    // to one winner.
    std::string target;
    if (!req.accompaniment_id().empty()) {
      HELHED_ASSIGN_OR_RETURN(
          auto cur, Load<v1::AccompanimentRequest>(c, muni, req.accompaniment_id(), true));
      if (cur.msg.request_state() != v1::REQUEST_STATE_COMPLETED) {
        return TextError(absl::StatusCode::kFailedPrecondition,
                         i18n::Later("volunteers.error.evaluate_not_completed"));
      }
      target = cur.msg.id();
    } else {
      HELHED_ASSIGN_OR_RETURN(
          Rows rows,
          c.Query(absl::StrCat("SELECT body, occurrence_start, active FROM sign_ups WHERE"
                               " municipality = ? AND id = ?",
                               ForUpdate(c)),
                  {muni, req.sign_up_id()}));
      if (rows.empty()) {
        return TextError(absl::StatusCode::kNotFound,
                         i18n::Later("volunteers.error.sign_up_not_found"));
      }
      v1::SignUp sign_up;
      if (!sign_up.ParseFromString(rows[0][0].AsString())) {
        return absl::DataLossError("stored sign-up is unreadable");
      }
      if (rows[0].Int(2) != 1) {
        return TextError(absl::StatusCode::kFailedPrecondition,
                         i18n::Later("volunteers.error.sign_up_cancelled"));
      }
      if (absl::FromUnixMicros(rows[0].Int(1)) > Now()) {
        return TextError(absl::StatusCode::kFailedPrecondition,
                         i18n::Later("volunteers.error.occurrence_not_yet"));
      }
      target = sign_up.id();
    }
    std::vector<std::pair<int64_t, v1::Evaluation>> prior;
    HELHED_RETURN_IF_ERROR(store::SelectEntries(c, muni, kEvaluation, target, 0, 10, &prior));
    for (const auto& [seq, e] : prior) {
      if (e.side() == req.evaluation().side()) {
        if (e.score() == req.evaluation().score() && e.note() == req.evaluation().note()) {
          *out = e;  // a retry of the same evaluation
          return absl::OkStatus();
        }
        return TextError(absl::StatusCode::kAlreadyExists,
                         i18n::Later("volunteers.error.already_evaluated"));
      }
    }
    v1::Evaluation e = req.evaluation();
    e.set_accompaniment_id(req.accompaniment_id());
    e.set_sign_up_id(req.sign_up_id());
    HELHED_RETURN_IF_ERROR(store::InsertEntry(c, muni, kEvaluation, target,
                                              DateKey(LocalDate(Now())), "", Now(), e,
                                              static_cast<int64_t>(e.score())));
    *out = std::move(e);
    return absl::OkStatus();
  });
}

absl::Status VolunteersStore::ListEvaluations(const std::string& muni,
                                              const v1::ListEvaluationsRequest& req,
                                              const store::Page& page,
                                              v1::ListEvaluationsResponse* out) {
  FieldViolations v;
  Validator check(v);
  check.Id("accompaniment_id", req.accompaniment_id(), false);
  check.Id("sign_up_id", req.sign_up_id(), false);
  if (req.accompaniment_id().empty() == req.sign_up_id().empty()) {
    v.Add("accompaniment_id",
          i18n::Later("validation.field.exactly_one_of",
                      {{"first", "accompaniment_id"}, {"second", "sign_up_id"}}));
  }
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  if (!req.accompaniment_id().empty()) {
    return store::ListEntries<v1::AccompanimentRequest>(
        db_, tokens_, muni, kEvaluation, req.accompaniment_id(), page, out->mutable_evaluations(),
        out->mutable_page()->mutable_next_page_token());
  }
  const std::string scope = absl::StrCat("entries|", kEvaluation, "|", req.sign_up_id());
  HELHED_ASSIGN_OR_RETURN(int64_t after, tokens_->Decode(muni, scope, page.token));
  return db_->Run([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(Rows found, c.Query("SELECT id FROM sign_ups WHERE municipality = ?"
                                                " AND id = ?",
                                                {muni, req.sign_up_id()}));
    if (found.empty()) {
      return TextError(absl::StatusCode::kNotFound,
                       i18n::Later("volunteers.error.sign_up_not_found"));
    }
    std::vector<std::pair<int64_t, v1::Evaluation>> rows;
    HELHED_RETURN_IF_ERROR(
        store::SelectEntries(c, muni, kEvaluation, req.sign_up_id(), after, page.size + 1, &rows));
    const bool more = static_cast<int>(rows.size()) > page.size;
    if (more) {
      rows.resize(page.size);
    }
    for (auto& r : rows) {
      *out->add_evaluations() = std::move(r.second);
    }
    if (more) {
      out->mutable_page()->set_next_page_token(tokens_->Encode(muni, scope, rows.back().first));
    }
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------------------
// What the coordinator needs to see.

absl::Status VolunteersStore::ListExpiringRecordChecks(const std::string& muni, int within_days,
                                                       v1::ListExpiringRecordChecksResponse* out) {
  FieldViolations v;
  if (within_days != 0) {
    Validator(v).Range("within_days", within_days, 1, 365);
  }
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  if (within_days == 0) {
    within_days = 30;
  }
  std::vector<v1::Volunteer> all;
  HELHED_RETURN_IF_ERROR(db_->Run([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(all, store::SelectAll<v1::Volunteer>(c, muni, store::ListFilter()));
    return absl::OkStatus();
  }));
  const absl::CivilDay today = calendar::Today(Now());
  for (const auto& vol : all) {
    if (vol.status() == v1::VOLUNTEER_STATUS_LEFT || !vol.has_record_check() ||
        vol.record_check().status() != v1::RECORD_CHECK_STATUS_VALID ||
        !IsValidDate(vol.record_check().expiry_date())) {
      continue;
    }
    const auto& d = vol.record_check().expiry_date();
    const int days_left = static_cast<int>(calendar::DaysBetween(today, calendar::CivilDayOf(d)));
    if (days_left <= within_days) {
      auto* e = out->add_checks();
      e->set_volunteer_id(vol.id());
      e->set_display_name(vol.display_name());
      *e->mutable_expiry_date() = d;
      e->set_days_left(days_left);
    }
  }
  std::sort(out->mutable_checks()->begin(), out->mutable_checks()->end(),
            [](const auto& a, const auto& b) { return a.days_left() < b.days_left(); });
  return absl::OkStatus();
}

absl::Status VolunteersStore::ListInactiveVolunteers(const std::string& muni, int inactive_days,
                                                     v1::ListInactiveVolunteersResponse* out) {
  FieldViolations v;
  if (inactive_days != 0) {
    Validator(v).Range("inactive_days", inactive_days, 1, 3650);
  }
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  if (inactive_days == 0) {
    inactive_days = 60;
  }
  std::vector<v1::Volunteer> active;
  std::map<std::string, int64_t> last;  // volunteer -> micros
  HELHED_RETURN_IF_ERROR(db_->ReadTransaction([&](Connection& c) -> absl::Status {
    store::ListFilter f;
    f.has_status = true;
    f.status = v1::VOLUNTEER_STATUS_ACTIVE;
    HELHED_ASSIGN_OR_RETURN(active, store::SelectAll<v1::Volunteer>(c, muni, f));
    const char* queries[] = {
        "SELECT volunteer_id, MAX(create_time) FROM sign_ups WHERE municipality = ? GROUP BY "
        "volunteer_id",
        "SELECT parent_id, MAX(create_time) FROM entries WHERE municipality = ? AND kind = 'hours'"
        " GROUP BY parent_id",
        "SELECT ref_id, MAX(update_time) FROM accompaniment_requests WHERE municipality = ? AND"
        " ref_id <> '' GROUP BY ref_id"};
    for (const char* q : queries) {
      HELHED_ASSIGN_OR_RETURN(Rows rows, c.Query(q, {muni}));
      for (const auto& r : rows) {
        int64_t& l = last[r.Str(0)];
        l = std::max(l, r.Int(1));
      }
    }
    return absl::OkStatus();
  }));
  const int64_t cutoff = absl::ToUnixMicros(Now() - absl::Hours(24) * inactive_days);
  for (const auto& vol : active) {
    auto it = last.find(vol.id());
    const int64_t since =
        it != last.end() ? it->second : TimeUtil::TimestampToMicroseconds(vol.create_time());
    if (since > cutoff) {
      continue;
    }
    auto* e = out->add_volunteers();
    e->set_volunteer_id(vol.id());
    e->set_display_name(vol.display_name());
    if (it != last.end()) {
      *e->mutable_last_activity_time() = TimeUtil::MicrosecondsToTimestamp(it->second);
    }
  }
  return absl::OkStatus();
}

namespace {

// GetMonthlyStats from the bodies: every active volunteer, hours entry of
// the month and completed accompaniment of the municipality parsed. For
// rows written before migration 0003, which lack the projected columns.
absl::Status MonthlyStatsFromBodies(Connection& c, const std::string& muni, int year, int month,
                                    v1::MonthlyStats* out) {
  store::ListFilter f;
  f.has_status = true;
  f.status = v1::VOLUNTEER_STATUS_ACTIVE;
  HELHED_ASSIGN_OR_RETURN(auto active, store::SelectAll<v1::Volunteer>(c, muni, f));
  int n = 0;
  for (const auto& vol : active) n += vol.consent_given();
  out->set_active_volunteers(n);
  const int first = year * 10000 + month * 100 + 1;
  const int last = year * 10000 + month * 100 + 31;
  HELHED_ASSIGN_OR_RETURN(Rows hours,
                          c.Query("SELECT body FROM entries WHERE municipality = ? AND kind = ? AND"
                                  " entry_date BETWEEN ? AND ?",
                                  {muni, kHours, first, last}));
  double total = 0;
  for (const auto& r : hours) {
    v1::HoursEntry e;
    if (e.ParseFromString(r[0].AsString())) total += e.hours();
  }
  out->set_hours_given(total);
  // Completed accompaniments in the month, and whether each volunteer had
  // accompanied that citizen before.
  store::ListFilter done;
  done.has_status = true;
  done.status = v1::REQUEST_STATE_COMPLETED;
  done.include_archived = true;
  HELHED_ASSIGN_OR_RETURN(auto completed,
                          store::SelectAll<v1::AccompanimentRequest>(c, muni, done));
  std::sort(completed.begin(), completed.end(), [](const auto& a, const auto& b) {
    return TimeUtil::TimestampToMicroseconds(a.window_start()) <
           TimeUtil::TimestampToMicroseconds(b.window_start());
  });
  std::set<std::pair<std::string, std::string>> seen;
  int in_month = 0;
  int familiar = 0;
  int evaluations = 0;
  double score_sum = 0;
  for (const auto& r : completed) {
    const auto pair = std::make_pair(r.citizen_id(), r.volunteer_id());
    const bool known = seen.count(pair) > 0;
    seen.insert(pair);
    const int key = DateKey(LocalDate(ToTime(r.window_start())));
    if (key < first || key > last) {
      continue;
    }
    ++in_month;
    familiar += known;
    std::vector<std::pair<int64_t, v1::Evaluation>> evals;
    HELHED_RETURN_IF_ERROR(store::SelectEntries(c, muni, kEvaluation, r.id(), 0, 10, &evals));
    for (const auto& [seq, e] : evals) {
      ++evaluations;
      score_sum += e.score();
    }
  }
  out->set_accompaniments_completed(in_month);
  out->set_continuity_share(in_month == 0 ? 0.0 : static_cast<double>(familiar) / in_month);
  out->set_evaluations(evaluations);
  out->set_average_evaluation(evaluations == 0 ? 0.0 : score_sum / evaluations);
  return absl::OkStatus();
}

// GetMonthlyStats from the columns of migration 0003, aggregated in SQL:
// the same figures as MonthlyStatsFromBodies without reading a body. False
// (and `out` untouched) when a row it needs predates the migration.
absl::StatusOr<bool> MonthlyStatsFromColumns(Connection& c, const std::string& muni, int year,
                                             int month, v1::MonthlyStats* out) {
  const int active_state = static_cast<int>(RESOURCE_STATE_ACTIVE);
  const int active_status = static_cast<int>(v1::VOLUNTEER_STATUS_ACTIVE);
  const int completed = static_cast<int>(v1::REQUEST_STATE_COMPLETED);
  // The keys of migration 0003 are named on MySQL: MariaDB has been seen to
  // scan the whole table instead (docs/PERFORMANCE.md, "At national scale").
  const std::string by_consent = store::ForceIndex(c, "volunteers_consent");
  const std::string by_window = store::ForceIndex(c, "accompaniment_requests_window");
  const std::string by_amount = store::ForceIndex(c, "entries_amount");
  // Rows without the projections: fall back to the bodies.
  HELHED_ASSIGN_OR_RETURN(
      Rows legacy,
      c.Query(absl::StrCat("SELECT (SELECT COUNT(*) FROM volunteers", by_consent,
                           " WHERE municipality = ? AND status = ? AND state = ? AND consent IS"
                           " NULL) + (SELECT COUNT(*) FROM accompaniment_requests",
                           by_window,
                           " WHERE municipality = ? AND status = ? AND window_start IS NULL)"),
              {muni, active_status, active_state, muni, completed}));
  if (legacy.empty() || legacy[0].Int(0) != 0) {
    return false;
  }
  // The month in Danish local time, as LocalDate reads a window's start.
  const absl::CivilMonth m(year, month);
  const int64_t from =
      absl::ToUnixMicros(absl::FromCivil(absl::CivilDay(m.year(), m.month(), 1), LocalZone()));
  const absl::CivilMonth next = m + 1;
  const int64_t to = absl::ToUnixMicros(
      absl::FromCivil(absl::CivilDay(next.year(), next.month(), 1), LocalZone()));
  const int first = year * 10000 + month * 100 + 1;
  const int last = year * 10000 + month * 100 + 31;

  HELHED_ASSIGN_OR_RETURN(
      Rows hours,
      c.Query(absl::StrCat("SELECT COUNT(*) - COUNT(amount), SUM(amount) FROM entries", by_amount,
                           " WHERE municipality = ? AND kind = ? AND entry_date BETWEEN ? AND ?"),
              {muni, kHours, first, last}));
  if (hours.empty() || hours[0].Int(0) != 0) {
    return false;
  }
  // Evaluations of the accompaniments completed in the month (each side
  // evaluates once, so at most two an accompaniment).
  HELHED_ASSIGN_OR_RETURN(
      Rows evals,
      c.Query(absl::StrCat("SELECT COUNT(*) - COUNT(amount), COUNT(*), SUM(amount) FROM entries"
                           " WHERE municipality = ? AND kind = ? AND parent_id IN (SELECT id FROM"
                           " accompaniment_requests",
                           by_window,
                           " WHERE municipality = ? AND status = ? AND window_start >= ? AND"
                           " window_start < ?)"),
              {muni, kEvaluation, muni, completed, from, to}));
  if (evals.empty() || evals[0].Int(0) != 0) {
    return false;
  }
  HELHED_ASSIGN_OR_RETURN(
      Rows active, c.Query(absl::StrCat("SELECT COUNT(*) FROM volunteers", by_consent,
                                        " WHERE municipality = ? AND status = ? AND state = ? AND"
                                        " consent = 1"),
                           {muni, active_status, active_state}));
  // Completed in the month, and how many of them by a volunteer who had
  // completed an accompaniment of that citizen with an earlier window (the
  // same window: the earlier row).
  HELHED_ASSIGN_OR_RETURN(
      Rows done,
      c.Query(absl::StrCat(
                  "SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM"
                  " accompaniment_requests p WHERE p.municipality = r.municipality AND"
                  " p.citizen_id = r.citizen_id AND p.status = r.status AND p.ref_id = r.ref_id"
                  " AND (p.window_start < r.window_start OR (p.window_start = r.window_start AND"
                  " p.seq < r.seq))) THEN 1 ELSE 0 END), 0) FROM accompaniment_requests r",
                  by_window,
                  " WHERE r.municipality = ? AND r.status = ? AND r.window_start >= ? AND"
                  " r.window_start < ?"),
              {muni, completed, from, to}));
  out->set_active_volunteers(active.empty() ? 0 : static_cast<int>(active[0].Int(0)));
  out->set_hours_given(hours[0].Double(1));
  const int in_month = done.empty() ? 0 : static_cast<int>(done[0].Int(0));
  const int familiar = done.empty() ? 0 : static_cast<int>(done[0].Int(1));
  out->set_accompaniments_completed(in_month);
  out->set_continuity_share(in_month == 0 ? 0.0 : static_cast<double>(familiar) / in_month);
  const int evaluations = static_cast<int>(evals[0].Int(1));
  out->set_evaluations(evaluations);
  out->set_average_evaluation(evaluations == 0 ? 0.0 : evals[0].Double(2) / evaluations);
  return true;
}

}  // namespace

absl::Status VolunteersStore::GetMonthlyStats(const std::string& muni, int year, int month,
                                              v1::MonthlyStats* out) {
  FieldViolations v;
  Validator check(v);
  check.Year("year", year, true);
  check.Range("month", month, 1, 12);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return db_->ReadTransaction([&](Connection& c) -> absl::Status {
    v1::MonthlyStats stats;
    stats.set_year(year);
    stats.set_month(month);
    HELHED_ASSIGN_OR_RETURN(bool done, MonthlyStatsFromColumns(c, muni, year, month, &stats));
    if (!done) {
      HELHED_RETURN_IF_ERROR(MonthlyStatsFromBodies(c, muni, year, month, &stats));
    }
    *out = std::move(stats);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<std::string>> VolunteersStore::Municipalities() {
  std::vector<std::string> out;
  HELHED_RETURN_IF_ERROR(db_->Run([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(Rows rows, c.Query("SELECT DISTINCT municipality FROM volunteers", {}));
    for (const auto& r : rows) out.push_back(r.Str(0));
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace helhed::volunteers
