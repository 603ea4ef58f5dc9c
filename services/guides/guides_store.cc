#include "services/guides/guides_store.h"

#include <algorithm>
#include <chrono>
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
#include "services/guides/domain/lifecycle.h"
#include "services/guides/domain/matching.h"
#include "services/guides/domain/validation.h"

namespace helhed::store {

namespace gv1 = ::helhed::guides::v1;

// ---------------------------------------------------------------------------
// Per-kind rules of the guide service.

// The earliest valid_until of a guide's trainings (valid dates only), in
// days since 1970-01-01; kNoTrainingExpiry when none has one. Projected into
// guides.training_expiry (migration 0003) so that the coordinator's figures
// parse only the guides with a training about to expire.
constexpr int64_t kNoTrainingExpiry = 2147483647;
inline int64_t TrainingExpiry(const gv1::Guide& m) {
  int64_t out = kNoTrainingExpiry;
  for (const auto& t : m.trainings()) {
    if (!IsValidDate(t.valid_until())) continue;
    out = std::min<int64_t>(out, calendar::DayNumber(calendar::CivilDayOf(t.valid_until())));
  }
  return out;
}

template <>
struct Kind<gv1::Guide> {
  static constexpr const char* kTable = "guides";
  static constexpr const char* kListKey = "guides_list";  // migration 0002
  static constexpr const char* kName = "guide";
  static std::vector<std::string> Immutable() { return {}; }
  static std::vector<std::string> Outputs() { return {}; }
  static void ClearOutputs(gv1::Guide&) {}
  static void Validate(const gv1::Guide& m, FieldViolations& v) {
    guides::ValidateGuide(m, kName, v);
  }
  static absl::StatusOr<Projection> Prepare(Connection&, const std::string&, gv1::Guide& m, bool) {
    Projection p;
    p.status = m.status();
    // Migration 0003: what GetCoordinatorStats reports of every guide.
    p.columns.emplace_back("display_name", m.display_name());
    p.columns.emplace_back("capacity", static_cast<int64_t>(m.capacity()));
    p.columns.emplace_back("training_expiry", TrainingExpiry(m));
    for (const auto& e : m.experiences()) {
      p.tags.push_back(absl::StrCat("exp:", e.tag()));
    }
    for (int s : m.settings()) {
      p.tags.push_back(absl::StrCat("set:", s));
    }
    return p;
  }
};

template <>
struct Kind<gv1::GuidanceRequest> {
  static constexpr const char* kTable = "guidance_requests";
  static constexpr const char* kName = "guidance_request";
  static std::vector<std::string> Immutable() { return {"citizen_id"}; }
  static std::vector<std::string> Outputs() { return {"request_state"}; }
  static void ClearOutputs(gv1::GuidanceRequest& m) {
    m.set_request_state(gv1::REQUEST_STATE_OPEN);
  }
  static void Validate(const gv1::GuidanceRequest& m, FieldViolations& v) {
    guides::ValidateGuidanceRequest(m, kName, v);
  }
  static absl::StatusOr<Projection> Prepare(Connection&, const std::string&,
                                            gv1::GuidanceRequest& m, bool check_refs) {
    if (check_refs && m.request_state() != gv1::REQUEST_STATE_OPEN) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("guides.error.request_not_open_change"));
    }
    Projection p;
    p.citizen_id = m.citizen_id();
    p.status = m.request_state();
    p.tags.push_back(absl::StrCat("urg:", m.urgency()));
    return p;
  }
};

template <>
struct Kind<gv1::GroupSession> {
  static constexpr const char* kTable = "group_sessions";
  static constexpr const char* kName = "group_session";
  static std::vector<std::string> Immutable() { return {}; }
  static std::vector<std::string> Outputs() { return {}; }
  static void ClearOutputs(gv1::GroupSession&) {}
  static void Validate(const gv1::GroupSession& m, FieldViolations& v) {
    guides::ValidateGroupSession(m, kName, v);
  }
  static absl::StatusOr<Projection> Prepare(Connection& c, const std::string& muni,
                                            gv1::GroupSession& m, bool check_refs) {
    if (check_refs) {
      for (int i = 0; i < m.guide_ids_size(); ++i) {
        HELHED_RETURN_IF_ERROR(Require<gv1::Guide>(c, muni, m.guide_ids(i),
                                                   absl::StrCat("group_session.guide_ids[", i, "]"))
                                   .status());
      }
    }
    Projection p;
    p.status = m.kind();
    p.tags.push_back(absl::StrCat("aud:", m.audience()));
    for (const auto& g : m.guide_ids()) {
      p.tags.push_back(absl::StrCat("guide:", g));
    }
    return p;
  }
};

}  // namespace helhed::store

namespace helhed::guides {
namespace {

using google::protobuf::util::TimeUtil;
using store::Connection;
using store::Load;
using store::Rows;

constexpr char kMeeting[] = "meeting";

// The Danish date at `now`.
google::type::Date Today(absl::Time now) { return calendar::DateOf(calendar::Today(now)); }

// Matches using a slot, per guide.
absl::StatusOr<std::map<std::string, int>> Loads(Connection& c, const std::string& muni,
                                                 const std::string& only_guide) {
  Rows rows;
  if (only_guide.empty()) {
    HELHED_ASSIGN_OR_RETURN(rows, c.Query("SELECT guide_id, COUNT(*) FROM matches WHERE"
                                          " municipality = ? AND match_state IN (1, 2, 3)"
                                          " GROUP BY guide_id",
                                          {muni}));
  } else {
    HELHED_ASSIGN_OR_RETURN(rows, c.Query("SELECT guide_id, COUNT(*) FROM matches WHERE"
                                          " municipality = ? AND guide_id = ? AND"
                                          " match_state IN (1, 2, 3) GROUP BY guide_id",
                                          {muni, only_guide}));
  }
  std::map<std::string, int> out;
  for (const auto& r : rows) {
    out[r.Str(0)] = static_cast<int>(r.Int(1));
  }
  return out;
}

absl::Status DeclinedPairs(Connection& c, const std::string& muni, MatchInputs& in) {
  HELHED_ASSIGN_OR_RETURN(Rows rows, c.Query("SELECT guidance_request_id, guide_id FROM matches"
                                             " WHERE municipality = ? AND match_state = 5",
                                             {muni}));
  for (const auto& r : rows) {
    in.declined_pairs.insert({r.Str(0), r.Str(1)});
  }
  return absl::OkStatus();
}

absl::StatusOr<std::pair<v1::Match, int64_t>> LoadMatch(Connection& c, const std::string& muni,
                                                        const std::string& id, bool for_update) {
  HELHED_ASSIGN_OR_RETURN(
      Rows rows,
      c.Query(absl::StrCat("SELECT body, version FROM matches WHERE municipality = ? AND id = ?",
                           for_update ? store::ForUpdate(c) : ""),
              {muni, id}));
  if (rows.empty()) {
    return TextError(absl::StatusCode::kNotFound,
                     i18n::Later("guides.error.match_not_found", {{"id", id}}));
  }
  v1::Match m;
  if (!m.ParseFromString(rows[0][0].AsString())) {
    return absl::DataLossError("stored match is unreadable");
  }
  return std::make_pair(std::move(m), rows[0].Int(1));
}

absl::Status SaveMatch(Connection& c, const std::string& muni, v1::Match& m, int64_t version,
                       absl::Time now) {
  *m.mutable_update_time() = store::Ts(now);
  m.set_etag(store::Etag(version + 1));
  HELHED_ASSIGN_OR_RETURN(
      int64_t n, c.Execute("UPDATE matches SET match_state = ?, version = ?, update_time = ?,"
                           " body = ? WHERE municipality = ? AND id = ? AND version = ?",
                           {static_cast<int>(m.match_state()), version + 1, store::Micros(now),
                            store::StoredBody(m), muni, m.id(), version}));
  if (n != 1) {
    return TextError(absl::StatusCode::kAborted, i18n::Later("common.store.concurrent_update"));
  }
  return absl::OkStatus();
}

// Moves the match's request to `state`.
absl::Status SetRequestState(Connection& c, const std::string& muni, const std::string& id,
                             v1::RequestState state, absl::Time now) {
  HELHED_ASSIGN_OR_RETURN(auto req, Load<v1::GuidanceRequest>(c, muni, id, true));
  v1::GuidanceRequest r = req.msg;
  r.set_request_state(state);
  HELHED_ASSIGN_OR_RETURN(store::Projection p,
                          store::Kind<v1::GuidanceRequest>::Prepare(c, muni, r, false));
  return store::Replace(c, muni, p, req.version, now, r);
}

}  // namespace

// ---------------------------------------------------------------------------
// Generic resource operations.

template <typename T>
absl::Status GuidesStore::Create(const std::string& muni, const T& resource,
                                 const std::string& request_id, T* out) {
  return store::CreateResource(db_, Now(), muni, resource, request_id, out);
}
template <typename T>
absl::Status GuidesStore::Get(const std::string& muni, const std::string& id, T* out) {
  return store::GetResource(db_, muni, id, out);
}
template <typename T>
absl::Status GuidesStore::Update(const std::string& muni, const T& patch,
                                 const google::protobuf::FieldMask& mask, T* out) {
  return store::UpdateResource(db_, Now(), muni, patch, mask, out);
}
template <typename T>
absl::Status GuidesStore::Archive(const std::string& muni, const std::string& id,
                                  const std::string& etag, T* out) {
  return store::ArchiveResource(db_, Now(), muni, id, etag, out);
}
template <typename T>
absl::Status GuidesStore::List(const std::string& muni, const store::ListFilter& filter,
                               const store::Page& page, google::protobuf::RepeatedPtrField<T>* out,
                               std::string* next) {
  return store::ListResources(db_, tokens_, muni, filter, page, out, next);
}

#define HELHED_GUIDES_INSTANTIATE(T)                                                             \
  template absl::Status GuidesStore::Create<T>(const std::string&, const T&, const std::string&, \
                                               T*);                                              \
  template absl::Status GuidesStore::Get<T>(const std::string&, const std::string&, T*);         \
  template absl::Status GuidesStore::Update<T>(const std::string&, const T&,                     \
                                               const google::protobuf::FieldMask&, T*);          \
  template absl::Status GuidesStore::Archive<T>(const std::string&, const std::string&,          \
                                                const std::string&, T*);                         \
  template absl::Status GuidesStore::List<T>(                                                    \
      const std::string&, const store::ListFilter&, const store::Page&,                          \
      google::protobuf::RepeatedPtrField<T>*, std::string*);
HELHED_GUIDES_INSTANTIATE(v1::Guide)
HELHED_GUIDES_INSTANTIATE(v1::GuidanceRequest)
HELHED_GUIDES_INSTANTIATE(v1::GroupSession)
#undef HELHED_GUIDES_INSTANTIATE

// ---------------------------------------------------------------------------
// Ranking and matches.

absl::Status GuidesStore::Rank(const std::string& muni, const std::string& request_id, int limit,
                               const std::string& explain_guide_id, i18n::Language language,
                               v1::RankGuidesResponse* out) {
  FieldViolations v;
  Validator check(v);
  check.Id("guidance_request_id", request_id, true);
  if (limit != 0) {
    check.Range("limit", limit, 1, 100);
  }
  check.Id("explain_guide_id", explain_guide_id, false);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  if (limit == 0) {
    limit = 10;
  }
  return db_->ReadTransaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto req, Load<v1::GuidanceRequest>(c, muni, request_id, false));
    if (req.msg.request_state() != v1::REQUEST_STATE_OPEN) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("guides.error.candidates_not_open"));
    }
    HELHED_ASSIGN_OR_RETURN(auto states, RankingInput(c, muni));
    MatchInputs in;
    in.today = Today(Now());
    HELHED_RETURN_IF_ERROR(DeclinedPairs(c, muni, in));
    out->set_considered(static_cast<int>(states->size()));
    for (auto& cand : guides::Rank(req.msg, *states, in, limit, language)) {
      *out->add_candidates() = std::move(cand);
    }
    if (!explain_guide_id.empty()) {
      // Any guide of the municipality, also one the ranking does not consider
      // (paused, archived): the explanation says which rule.
      auto who = Load<v1::Guide>(c, muni, explain_guide_id, false);
      if (who.status().code() == absl::StatusCode::kNotFound) {
        return absl::NotFoundError(
            i18n::Message(language, "guides.explain.not_found", {{"id", explain_guide_id}}));
      }
      HELHED_RETURN_IF_ERROR(who.status());
      HELHED_ASSIGN_OR_RETURN(auto loads, Loads(c, muni, explain_guide_id));
      auto load = loads.find(explain_guide_id);
      const GuideState state{who->msg, load == loads.end() ? 0 : load->second};
      *out->mutable_explanation() = Explain(req.msg, *states, state, in, limit, language);
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::shared_ptr<const std::vector<GuideState>>> GuidesStore::RankingInput(
    Connection& c, const std::string& muni) {
  HELHED_ASSIGN_OR_RETURN(auto guides, active_guides_.Get(c, muni));
  HELHED_ASSIGN_OR_RETURN(Rows stamp, c.Query("SELECT COUNT(*), SUM(version) FROM matches WHERE"
                                              " municipality = ?",
                                              {muni}));
  const std::string matches_stamp =
      stamp.empty() ? "" : absl::StrCat(stamp[0].Str(0), "/", stamp[0].Str(1));
  {
    absl::MutexLock lock(&states_mu_);
    auto it = states_.find(muni);
    if (it != states_.end() && it->second.guides == guides &&
        it->second.matches_stamp == matches_stamp) {
      return it->second.states;
    }
  }
  HELHED_ASSIGN_OR_RETURN(auto loads, Loads(c, muni, ""));
  auto states = std::make_shared<std::vector<GuideState>>();
  states->reserve(guides->size());
  for (const auto& g : *guides) {
    auto it = loads.find(g.id());
    states->push_back({g, it == loads.end() ? 0 : it->second});
  }
  std::shared_ptr<const std::vector<GuideState>> shared = std::move(states);
  absl::MutexLock lock(&states_mu_);
  states_[muni] = StatesEntry{guides, matches_stamp, shared};
  return shared;
}

absl::Status GuidesStore::ProposeInTx(Connection& c, const std::string& muni,
                                      const std::string& request_id, const std::string& guide_id,
                                      const std::string& etag, i18n::Language language,
                                      v1::Match* out) {
  HELHED_ASSIGN_OR_RETURN(auto req, Load<v1::GuidanceRequest>(c, muni, request_id, true));
  if (req.msg.etag() != etag) {
    return TextError(absl::StatusCode::kFailedPrecondition,
                     i18n::Later("guides.error.request_stale"));
  }
  if (req.msg.state() != helhed::common::v1::RESOURCE_STATE_ACTIVE ||
      req.msg.request_state() != v1::REQUEST_STATE_OPEN) {
    return TextError(absl::StatusCode::kFailedPrecondition,
                     i18n::Later("guides.error.request_not_open"));
  }
  // The guide's row lock serialises every proposal for this guide, so the
  // load counted here cannot change before the insert.
  auto guide = Load<v1::Guide>(c, muni, guide_id, true);
  if (guide.status().code() == absl::StatusCode::kNotFound) {
    return InvalidField("guide_id", i18n::Later("validation.field.no_such", {{"kind", "guide"}}));
  }
  HELHED_RETURN_IF_ERROR(guide.status());
  HELHED_ASSIGN_OR_RETURN(auto loads, Loads(c, muni, guide_id));
  GuideState state{guide->msg, loads.count(guide_id) ? loads[guide_id] : 0};
  MatchInputs in;
  in.today = Today(Now());
  HELHED_RETURN_IF_ERROR(DeclinedPairs(c, muni, in));
  std::vector<std::string> why = Violations(req.msg, state, in, language);
  if (!why.empty()) {
    return absl::FailedPreconditionError(i18n::Message(language, "guides.propose.cannot_take",
                                                       {{"reasons", absl::StrJoin(why, "; ")}}));
  }
  const absl::Time now = Now();
  // Stored with the match, read by anyone later: in Danish.
  v1::Candidate scored = Score(req.msg, state, i18n::Language::kDanish);
  v1::Match m;
  m.set_id(store::NewId());
  m.set_guidance_request_id(request_id);
  m.set_guide_id(guide_id);
  m.set_match_state(v1::MATCH_STATE_PROPOSED);
  m.set_score(scored.score());
  *m.mutable_factors() = scored.factors();
  *m.mutable_proposed_time() = store::Ts(now);
  *m.mutable_create_time() = store::Ts(now);
  *m.mutable_update_time() = store::Ts(now);
  m.set_etag(store::Etag(1));
  HELHED_RETURN_IF_ERROR(
      c.Execute("INSERT INTO matches (id, municipality, guidance_request_id, guide_id, match_state,"
                " version, create_time, update_time, body) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)",
                {m.id(), muni, request_id, guide_id, static_cast<int>(m.match_state()),
                 store::Micros(now), store::Micros(now), store::StoredBody(m)})
          .status());
  HELHED_RETURN_IF_ERROR(SetRequestState(c, muni, request_id, v1::REQUEST_STATE_MATCHED, now));
  *out = std::move(m);
  return absl::OkStatus();
}

absl::Status GuidesStore::Propose(const std::string& muni, const v1::ProposeMatchRequest& req,
                                  i18n::Language language, v1::Match* out) {
  FieldViolations v;
  Validator check(v);
  check.Id("guidance_request_id", req.guidance_request_id(), true);
  check.Id("guide_id", req.guide_id(), true);
  if (req.etag().empty()) {
    v.Add("etag", i18n::Later("validation.etag.request_required"));
  }
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return db_->Transaction([&](Connection& c) {
    return ProposeInTx(c, muni, req.guidance_request_id(), req.guide_id(), req.etag(), language,
                       out);
  });
}

absl::Status GuidesStore::Advance(const std::string& muni, const std::string& match_id,
                                  const std::string& etag, v1::MatchState to, v1::Match* out) {
  FieldViolations v;
  Validator(v).Id("match_id", match_id, true);
  if (etag.empty()) {
    v.Add("etag", i18n::Later("validation.etag.required"));
  }
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return db_->Transaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto loaded, LoadMatch(c, muni, match_id, true));
    v1::Match m = loaded.first;
    if (m.etag() != etag) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("guides.error.match_stale"));
    }
    HELHED_RETURN_IF_ERROR(CheckMatchTransition(m.match_state(), to));
    m.set_match_state(to);
    if (to == v1::MATCH_STATE_ACTIVE) {
      *m.mutable_active_time() = store::Ts(Now());
    }
    HELHED_RETURN_IF_ERROR(SaveMatch(c, muni, m, loaded.second, Now()));
    *out = std::move(m);
    return absl::OkStatus();
  });
}

absl::Status GuidesStore::Decline(const std::string& muni, const v1::DeclineMatchRequest& req,
                                  v1::Match* out) {
  FieldViolations v;
  Validator check(v);
  check.Id("match_id", req.match_id(), true);
  check.Title("reason", req.reason(), 500);
  if (req.etag().empty()) {
    v.Add("etag", i18n::Later("validation.etag.required"));
  }
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return db_->Transaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto loaded, LoadMatch(c, muni, req.match_id(), true));
    v1::Match m = loaded.first;
    if (m.etag() != req.etag()) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("guides.error.match_stale"));
    }
    HELHED_RETURN_IF_ERROR(CheckMatchTransition(m.match_state(), v1::MATCH_STATE_DECLINED));
    m.set_match_state(v1::MATCH_STATE_DECLINED);
    m.set_decline_reason(req.reason());
    *m.mutable_ended_time() = store::Ts(Now());
    HELHED_RETURN_IF_ERROR(SaveMatch(c, muni, m, loaded.second, Now()));
    HELHED_RETURN_IF_ERROR(
        SetRequestState(c, muni, m.guidance_request_id(), v1::REQUEST_STATE_OPEN, Now()));
    *out = std::move(m);
    return absl::OkStatus();
  });
}

absl::Status GuidesStore::End(const std::string& muni, const v1::EndMatchRequest& req,
                              v1::Match* out) {
  FieldViolations v;
  Validator check(v);
  check.Id("match_id", req.match_id(), true);
  check.Enum("outcome", req.outcome(), v1::MatchOutcome_IsValid, true);
  if (req.has_citizen_evaluation()) {
    ValidateMatchEvaluation(req.citizen_evaluation(), "citizen_evaluation", v);
  }
  if (req.has_guide_evaluation()) {
    ValidateMatchEvaluation(req.guide_evaluation(), "guide_evaluation", v);
  }
  if (req.etag().empty()) {
    v.Add("etag", i18n::Later("validation.etag.required"));
  }
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return db_->Transaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto loaded, LoadMatch(c, muni, req.match_id(), true));
    v1::Match m = loaded.first;
    if (m.etag() != req.etag()) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("guides.error.match_stale"));
    }
    HELHED_RETURN_IF_ERROR(CheckMatchTransition(m.match_state(), v1::MATCH_STATE_ENDED));
    m.set_match_state(v1::MATCH_STATE_ENDED);
    m.set_outcome(req.outcome());
    if (req.has_citizen_evaluation()) *m.mutable_citizen_evaluation() = req.citizen_evaluation();
    if (req.has_guide_evaluation()) *m.mutable_guide_evaluation() = req.guide_evaluation();
    *m.mutable_ended_time() = store::Ts(Now());
    HELHED_RETURN_IF_ERROR(SaveMatch(c, muni, m, loaded.second, Now()));
    HELHED_RETURN_IF_ERROR(
        SetRequestState(c, muni, m.guidance_request_id(), v1::REQUEST_STATE_CLOSED, Now()));
    *out = std::move(m);
    return absl::OkStatus();
  });
}

absl::Status GuidesStore::GetMatch(const std::string& muni, const std::string& match_id,
                                   v1::Match* out) {
  FieldViolations v;
  Validator(v).Id("match_id", match_id, true);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return db_->Run([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto loaded, LoadMatch(c, muni, match_id, false));
    *out = std::move(loaded.first);
    return absl::OkStatus();
  });
}

absl::Status GuidesStore::ListMatches(const std::string& muni, const v1::ListMatchesRequest& req,
                                      const store::Page& page, v1::ListMatchesResponse* out) {
  FieldViolations v;
  Validator check(v);
  check.Id("guide_id", req.guide_id(), false);
  check.Id("guidance_request_id", req.guidance_request_id(), false);
  check.Enum("match_state", req.match_state(), v1::MatchState_IsValid, false);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  const std::string scope = absl::StrCat("matches|", req.guide_id(), "|", req.guidance_request_id(),
                                         "|", req.match_state());
  HELHED_ASSIGN_OR_RETURN(int64_t after, tokens_->Decode(muni, scope, page.token));
  return db_->Run([&](Connection& c) -> absl::Status {
    std::string sql = "SELECT seq, body FROM matches WHERE municipality = ? AND seq > ?";
    store::Params params = {muni, after};
    if (!req.guide_id().empty()) {
      sql += " AND guide_id = ?";
      params.emplace_back(req.guide_id());
    }
    if (!req.guidance_request_id().empty()) {
      sql += " AND guidance_request_id = ?";
      params.emplace_back(req.guidance_request_id());
    }
    if (req.match_state() != 0) {
      sql += " AND match_state = ?";
      params.emplace_back(static_cast<int>(req.match_state()));
    }
    sql += " ORDER BY seq LIMIT ?";
    params.emplace_back(page.size + 1);
    HELHED_ASSIGN_OR_RETURN(Rows rows, c.Query(sql, params));
    const bool more = static_cast<int>(rows.size()) > page.size;
    for (int i = 0; i < static_cast<int>(rows.size()) && i < page.size; ++i) {
      out->add_matches()->ParseFromString(rows[i][1].AsString());
    }
    if (more) {
      out->mutable_page()->set_next_page_token(
          tokens_->Encode(muni, scope, rows[page.size - 1].Int(0)));
    }
    return absl::OkStatus();
  });
}

absl::Status GuidesStore::LogMeeting(const std::string& muni, const v1::LogMeetingRequest& req,
                                     v1::Meeting* out) {
  FieldViolations v;
  Validator check(v);
  check.Id("match_id", req.match_id(), true);
  check.RequestId("idempotency_key", req.idempotency_key());
  ValidateMeeting(req.meeting(), "meeting", v);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return db_->Transaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto loaded, LoadMatch(c, muni, req.match_id(), true));
    HELHED_ASSIGN_OR_RETURN(bool found,
                            store::FindEntry(c, muni, kMeeting, req.idempotency_key(), out));
    if (found) {
      return absl::OkStatus();
    }
    const auto s = loaded.first.match_state();
    if (s != v1::MATCH_STATE_ACCEPTED && s != v1::MATCH_STATE_ACTIVE) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later("guides.error.meeting_match_state"));
    }
    v1::Meeting m = req.meeting();
    m.set_match_id(req.match_id());
    HELHED_RETURN_IF_ERROR(store::InsertEntry(c, muni, kMeeting, req.match_id(), DateKey(m.date()),
                                              req.idempotency_key(), Now(), m));
    *out = std::move(m);
    return absl::OkStatus();
  });
}

absl::Status GuidesStore::ListMeetings(const std::string& muni, const std::string& match_id,
                                       const store::Page& page, v1::ListMeetingsResponse* out) {
  FieldViolations v;
  Validator(v).Id("match_id", match_id, true);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  const std::string scope = absl::StrCat("entries|meeting|", match_id);
  HELHED_ASSIGN_OR_RETURN(int64_t after, tokens_->Decode(muni, scope, page.token));
  return db_->Run([&](Connection& c) -> absl::Status {
    HELHED_RETURN_IF_ERROR(LoadMatch(c, muni, match_id, false).status());
    std::vector<std::pair<int64_t, v1::Meeting>> rows;
    HELHED_RETURN_IF_ERROR(
        store::SelectEntries(c, muni, kMeeting, match_id, after, page.size + 1, &rows));
    const bool more = static_cast<int>(rows.size()) > page.size;
    if (more) rows.resize(page.size);
    for (auto& r : rows) *out->add_meetings() = std::move(r.second);
    if (more)
      out->mutable_page()->set_next_page_token(tokens_->Encode(muni, scope, rows.back().first));
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------------------
// Batch assignment.

absl::Status GuidesStore::AssignBatch(const std::string& muni, bool dry_run,
                                      i18n::Language language, v1::AssignBatchResponse* out) {
  std::vector<v1::GuidanceRequest> open;
  std::vector<GuideState> states;
  MatchInputs in;
  in.today = Today(Now());
  HELHED_RETURN_IF_ERROR(db_->ReadTransaction([&](Connection& c) -> absl::Status {
    store::ListFilter f;
    f.has_status = true;
    f.status = v1::REQUEST_STATE_OPEN;
    HELHED_ASSIGN_OR_RETURN(open, store::SelectAll<v1::GuidanceRequest>(c, muni, f));
    HELHED_ASSIGN_OR_RETURN(auto guides, active_guides_.Get(c, muni));
    HELHED_ASSIGN_OR_RETURN(auto loads, Loads(c, muni, ""));
    for (const auto& g : *guides) {
      auto it = loads.find(g.id());
      states.push_back({g, it == loads.end() ? 0 : it->second});
    }
    return DeclinedPairs(c, muni, in);
  }));
  const auto t0 = std::chrono::steady_clock::now();
  BatchResult exact = AssignExact(open, states, in);
  const auto t1 = std::chrono::steady_clock::now();
  BatchResult greedy = AssignGreedy(open, states, in);
  *out->mutable_compute_time() = TimeUtil::NanosecondsToDuration(
      std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
  out->set_total_score(exact.total_score);
  out->set_greedy_total_score(greedy.total_score);
  out->set_greedy_assigned(static_cast<int>(greedy.assignments.size()));
  std::set<int> assigned;
  for (const auto& [ri, gi] : exact.assignments) {
    auto* a = out->add_assignments();
    a->set_guidance_request_id(open[ri].id());
    a->set_guide_id(states[gi].guide.id());
    a->set_score(Score(open[ri], states[gi], language).score());
    a->set_urgency(open[ri].urgency());
    assigned.insert(ri);
  }
  for (size_t i = 0; i < open.size(); ++i) {
    if (!assigned.count(static_cast<int>(i)))
      out->add_unassigned_guidance_request_ids(open[i].id());
  }
  if (dry_run) {
    return absl::OkStatus();
  }
  for (const auto& assignment : exact.assignments) {
    const auto& request = open[assignment.first];
    const auto& guide = states[assignment.second].guide;
    v1::Match m;
    absl::Status s = db_->Transaction([&](Connection& c) {
      return ProposeInTx(c, muni, request.id(), guide.id(), request.etag(), language, &m);
    });
    if (s.ok()) {
      *out->add_proposals() = std::move(m);
    } else if (s.code() != absl::StatusCode::kFailedPrecondition) {
      return s;  // changed meanwhile (FAILED_PRECONDITION) is skipped; others stop
    }
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// The coordinator's figures.

absl::Status GuidesStore::Stats(const std::string& muni, int training_within_days,
                                v1::CoordinatorStats* out) {
  FieldViolations v;
  if (training_within_days != 0) {
    Validator(v).Range("training_within_days", training_within_days, 1, 365);
  }
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  if (training_within_days == 0) {
    training_within_days = 60;
  }
  const absl::Time now = Now();
  return db_->ReadTransaction([&](Connection& c) -> absl::Status {
    store::ListFilter all;
    all.include_archived = true;
    HELHED_ASSIGN_OR_RETURN(auto requests, store::SelectAll<v1::GuidanceRequest>(c, muni, all));
    std::map<std::string, absl::Time> created;
    int64_t longest = 0;
    int open_count = 0;
    for (const auto& r : requests) {
      const absl::Time t = absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(r.create_time()));
      created[r.id()] = t;
      if (r.request_state() == v1::REQUEST_STATE_OPEN &&
          r.state() == helhed::common::v1::RESOURCE_STATE_ACTIVE) {
        ++open_count;
        longest = std::max<int64_t>(longest, absl::ToInt64Hours(now - t) / 24);
      }
    }
    out->set_open_requests(open_count);
    out->set_longest_wait_days(static_cast<int>(longest));
    HELHED_ASSIGN_OR_RETURN(Rows rows,
                            c.Query("SELECT body FROM matches WHERE municipality = ?", {muni}));
    std::map<std::string, int> reasons;
    std::map<std::string, int> load;
    double days_to_active = 0;
    int activated = 0;
    for (const auto& row : rows) {
      v1::Match m;
      if (!m.ParseFromString(row[0].AsString())) continue;
      if (m.match_state() == v1::MATCH_STATE_DECLINED) {
        out->set_declined(out->declined() + 1);
        reasons[m.decline_reason()]++;
      }
      if (UsesCapacity(m.match_state())) load[m.guide_id()]++;
      if (m.match_state() == v1::MATCH_STATE_ACTIVE)
        out->set_active_matches(out->active_matches() + 1);
      if (m.has_active_time() && created.count(m.guidance_request_id())) {
        const absl::Time t =
            absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(m.active_time()));
        days_to_active += absl::ToDoubleHours(t - created[m.guidance_request_id()]) / 24;
        ++activated;
      }
    }
    out->set_mean_days_to_active(activated == 0 ? 0 : days_to_active / activated);
    for (const auto& [reason, n] : reasons) {
      auto* d = out->add_decline_reasons();
      d->set_reason(reason);
      d->set_count(n);
    }
    const absl::CivilDay today = calendar::Today(now);
    // Every active guide from the columns of migration 0003, in seq order;
    // the body only of a guide with a training expiring within the window.
    // While any guide predates the migration, every guide's body.
    const int64_t horizon = calendar::DayNumber(today) + static_cast<int64_t>(training_within_days);
    HELHED_ASSIGN_OR_RETURN(
        Rows projected,
        c.Query(absl::StrCat("SELECT id, display_name, capacity, CASE WHEN training_expiry <= ?"
                             " THEN body ELSE NULL END, training_expiry IS NULL FROM guides",
                             store::ForceIndex(c, "guides_list"),
                             " WHERE municipality = ? AND state = ? ORDER BY seq"),
                {horizon, muni, static_cast<int>(helhed::common::v1::RESOURCE_STATE_ACTIVE)}));
    bool legacy = false;
    for (const auto& r : projected) {
      legacy = legacy || r.Int(4) != 0;
    }
    std::vector<v1::Guide> guides;
    if (legacy) {
      HELHED_ASSIGN_OR_RETURN(guides, store::SelectAll<v1::Guide>(c, muni, store::ListFilter()));
    } else {
      guides.resize(projected.size());
      for (size_t i = 0; i < projected.size(); ++i) {
        const auto& r = projected[i];
        v1::Guide& g = guides[i];
        if (!r.IsNull(3) && !g.ParseFromString(r[3].AsString())) {
          return absl::DataLossError("stored guide is unreadable");
        }
        g.set_id(r.Str(0));
        g.set_display_name(r.Str(1));
        g.set_capacity(static_cast<int32_t>(r.Int(2)));
      }
    }
    for (const auto& g : guides) {
      auto* l = out->add_guide_loads();
      l->set_guide_id(g.id());
      l->set_display_name(g.display_name());
      l->set_active_matches(load[g.id()]);
      l->set_capacity(g.capacity());
      for (const auto& t : g.trainings()) {
        if (!IsValidDate(t.valid_until())) continue;
        const int left =
            static_cast<int>(calendar::DaysBetween(today, calendar::CivilDayOf(t.valid_until())));
        if (left <= training_within_days) {
          auto* e = out->add_expiring_trainings();
          e->set_guide_id(g.id());
          e->set_display_name(g.display_name());
          e->set_course(t.course());
          *e->mutable_valid_until() = t.valid_until();
          e->set_days_left(left);
        }
      }
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<std::string>> GuidesStore::Municipalities() {
  std::vector<std::string> out;
  HELHED_RETURN_IF_ERROR(db_->Run([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(Rows rows,
                            c.Query("SELECT DISTINCT municipality FROM guides UNION SELECT DISTINCT"
                                    " municipality FROM guidance_requests",
                                    {}));
    for (const auto& r : rows) out.push_back(r.Str(0));
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace helhed::guides
