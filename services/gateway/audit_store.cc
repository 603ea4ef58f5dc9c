#include "services/gateway/audit_store.h"

#include <algorithm>
#include <cstddef>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status/field_violations.h"
#include "common/status/status_macros.h"
#include "common/status/validation.h"
#include "google/protobuf/util/time_util.h"

namespace helhed::gateway {
namespace {

using google::protobuf::util::TimeUtil;
using store::Connection;
using store::Rows;

// "/helhed.housing.v1.HousingService/GetApplication" -> "housing".
std::string ServiceOf(const std::string& method) {
  for (const char* name : {"plans", "volunteers", "guides", "housing", "gateway"}) {
    if (absl::StartsWith(method, absl::StrCat("/helhed.", name, "."))) return name;
  }
  return "other";
}

}  // namespace

AuditStore::AuditStore(store::Database* db, const store::PageTokens* tokens, AuditOptions options,
                       prometheus::Registry* registry)
    : db_(db), tokens_(tokens), options_(options) {
  if (registry != nullptr) {
    batch_calls_ = &prometheus::BuildHistogram()
                        .Name("helhed_gateway_audit_batch_calls")
                        .Help("Calls whose audit events one transaction committed (group commit).")
                        .Register(*registry)
                        .Add({}, prometheus::Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64});
  }
  committer_ = std::thread([this] { CommitLoop(); });
}

AuditStore::~AuditStore() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    queued_.SignalAll();
  }
  committer_.join();
}

absl::Status AuditStore::Record(const v1::AuditEvent& event,
                                const std::vector<std::string>& citizens) {
  if (citizens.empty()) return absl::OkStatus();
  const absl::Time deadline = absl::Now() + options_.timeout;
  std::vector<std::string> ids;
  ids.reserve(citizens.size());
  for (size_t i = 0; i < citizens.size(); ++i) ids.push_back(store::NewId());
  auto pending = std::make_shared<Pending>(
      Pending{&event, &citizens, std::move(ids), absl::OkStatus(), State::kQueued, false});
  Pending& me = *pending;
  absl::MutexLock lock(&mu_);
  if (stopping_) return absl::UnavailableError("the audit trail is closing");
  queue_.push_back(pending);
  queued_.Signal();
  while (!me.done) {
    if (me.state == State::kCommitting) {
      committed_.Wait(&mu_);  // begun in time: its outcome is the answer
      continue;
    }
    if (committed_.WaitWithDeadline(&mu_, deadline) && !me.done && me.state != State::kCommitting) {
      // Not begun in time: never written.
      if (me.state == State::kQueued) {
        queue_.erase(std::find(queue_.begin(), queue_.end(), pending));
      }
      me.state = State::kAbandoned;
      return absl::UnavailableError("the audit trail could not be written in time");
    }
  }
  return me.status;
}

void AuditStore::CommitLoop() {
  mu_.Lock();
  while (true) {
    while (queue_.empty() && !stopping_) queued_.Wait(&mu_);
    if (queue_.empty()) break;
    std::vector<PendingPtr> batch;
    const size_t n = std::min<size_t>(queue_.size(), std::max(1, options_.max_batch));
    batch.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    for (const PendingPtr& p : batch) p->state = State::kTaken;
    mu_.Unlock();
    absl::Status s = Commit(batch);
    std::vector<absl::Status> statuses(batch.size(), s);
    if (!s.ok() && batch.size() > 1) {
      for (size_t i = 0; i < batch.size(); ++i) {
        {
          absl::MutexLock lock(&mu_);
          if (batch[i]->state == State::kAbandoned) continue;
          batch[i]->state = State::kTaken;
        }
        statuses[i] = Commit({batch[i]});
      }
    }
    if (batch_calls_ != nullptr) batch_calls_->Observe(static_cast<double>(batch.size()));
    mu_.Lock();
    for (size_t i = 0; i < batch.size(); ++i) {
      if (batch[i]->state == State::kAbandoned) continue;  // its caller has gone
      batch[i]->status = statuses[i];
      batch[i]->done = true;
    }
    committed_.SignalAll();
  }
  mu_.Unlock();
}

absl::Status AuditStore::Commit(const std::vector<PendingPtr>& batch) {
  return db_->Transaction([&](Connection& c) -> absl::Status {
    // From here on a call's events are written or its caller is told why
    // not; one that gave up waiting is left out.
    std::vector<const Pending*> live;
    {
      absl::MutexLock lock(&mu_);
      for (const PendingPtr& p : batch) {
        if (p->state == State::kAbandoned) continue;
        p->state = State::kCommitting;
        live.push_back(p.get());
      }
    }
    for (const Pending* p : live) {
      for (size_t i = 0; i < p->citizens->size(); ++i) {
        const std::string& citizen = (*p->citizens)[i];
        v1::AuditEvent e = *p->event;
        e.set_id(p->ids[i]);
        e.set_citizen_id(citizen);
        HELHED_RETURN_IF_ERROR(
            c.Execute("INSERT INTO audit_events (id, municipality, citizen_id, subject,"
                      " event_time, body) VALUES (?, ?, ?, ?, ?, ?)",
                      {e.id(), e.municipality_code(), citizen, e.subject(),
                       TimeUtil::TimestampToMicroseconds(e.time()), e.SerializeAsString()})
                .status());
      }
    }
    return absl::OkStatus();
  });
}

absl::Status AuditStore::List(const std::string& muni, const v1::ListAuditEventsRequest& req,
                              const store::Page& page, v1::ListAuditEventsResponse* out) {
  FieldViolations v;
  Validator check(v);
  if (!req.citizen_id().empty()) check.CitizenId("citizen_id", req.citizen_id());
  if (!req.subject().empty()) check.Line("subject", req.subject(), 128);
  if (req.citizen_id().empty() && req.subject().empty() && !req.has_from_time() &&
      !req.has_to_time()) {
    v.Add("citizen_id", i18n::Later("validation.audit.selector"));
  }
  auto valid = [](const google::protobuf::Timestamp& t) {
    return t.seconds() >= TimeUtil::kTimestampMinSeconds &&
           t.seconds() <= TimeUtil::kTimestampMaxSeconds && t.nanos() >= 0 &&
           t.nanos() < 1000000000;
  };
  if (req.has_from_time() && !valid(req.from_time())) {
    v.Add("from_time", i18n::Later("validation.time.invalid"));
  }
  if (req.has_to_time() && !valid(req.to_time())) {
    v.Add("to_time", i18n::Later("validation.time.invalid"));
  }
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  const int64_t from =
      req.has_from_time() ? TimeUtil::TimestampToMicroseconds(req.from_time()) : INT64_MIN;
  const int64_t to =
      req.has_to_time() ? TimeUtil::TimestampToMicroseconds(req.to_time()) : INT64_MAX;
  const std::string scope =
      absl::StrCat("audit|", req.citizen_id(), "|", req.subject(), "|", from, "|", to);
  HELHED_ASSIGN_OR_RETURN(int64_t after, tokens_->Decode(muni, scope, page.token));
  return db_->Run([&](Connection& c) -> absl::Status {
    std::string sql =
        "SELECT seq, body FROM audit_events WHERE municipality = ? AND seq > ? AND"
        " event_time >= ? AND event_time <= ?";
    store::Params params = {muni, after, from, to};
    if (!req.citizen_id().empty()) {
      sql += " AND citizen_id = ?";
      params.emplace_back(req.citizen_id());
    }
    if (!req.subject().empty()) {
      sql += " AND subject = ?";
      params.emplace_back(req.subject());
    }
    sql += " ORDER BY seq LIMIT ?";
    params.emplace_back(page.size + 1);
    HELHED_ASSIGN_OR_RETURN(Rows rows, c.Query(sql, params));
    const bool more = static_cast<int>(rows.size()) > page.size;
    for (int i = 0; i < static_cast<int>(rows.size()) && i < page.size; ++i) {
      if (!out->add_events()->ParseFromString(rows[i][1].AsString())) {
        return absl::DataLossError("stored audit event is unreadable");
      }
    }
    if (more) {
      out->mutable_page()->set_next_page_token(
          tokens_->Encode(muni, scope, rows[page.size - 1].Int(0)));
    }
    return absl::OkStatus();
  });
}

absl::Status AuditStore::AccessLog(const std::string& muni, const std::string& citizen_id,
                                   const store::Page& page, v1::GetCitizenAccessLogResponse* out) {
  FieldViolations v;
  Validator(v).CitizenId("citizen_id", citizen_id);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  const std::string scope = absl::StrCat("access|", citizen_id);
  HELHED_ASSIGN_OR_RETURN(int64_t after, tokens_->Decode(muni, scope, page.token));
  return db_->Run([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(Rows rows,
                            c.Query("SELECT seq, body FROM audit_events WHERE municipality = ? AND"
                                    " citizen_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                                    {muni, citizen_id, after, page.size + 1}));
    const bool more = static_cast<int>(rows.size()) > page.size;
    for (int i = 0; i < static_cast<int>(rows.size()) && i < page.size; ++i) {
      v1::AuditEvent e;
      if (!e.ParseFromString(rows[i][1].AsString())) {
        return absl::DataLossError("stored audit event is unreadable");
      }
      auto* entry = out->add_entries();
      *entry->mutable_time() = e.time();
      *entry->mutable_roles() = e.roles();
      entry->set_purpose(e.purpose());
      entry->set_service(ServiceOf(e.method()));
      entry->set_outcome(e.outcome());
      entry->set_organisation_unit(e.organisation_unit());
    }
    if (more) {
      out->mutable_page()->set_next_page_token(
          tokens_->Encode(muni, scope, rows[page.size - 1].Int(0)));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<int64_t> AuditStore::Purge(absl::Time before) {
  int64_t n = 0;
  HELHED_RETURN_IF_ERROR(db_->Transaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(n, c.Execute("DELETE FROM audit_events WHERE event_time < ?",
                                         {absl::ToUnixMicros(before)}));
    return absl::OkStatus();
  }));
  return n;
}

}  // namespace helhed::gateway
