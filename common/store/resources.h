// Generic storage of API resources: one table per resource kind, the
// protobuf body as the record and a few projected columns for keys, filters
// and optimistic concurrency (see docs/DECISIONS.md). A service describes
// each kind once by specialising Kind<T>, then gets create (idempotent on a
// request id), get, update (field mask + etag), archive and paged, filtered
// lists, all scoped to a municipality.
//
// Kind<T> provides:
//   static constexpr const char* kTable;   // table name (a constant, never input)
//   static constexpr const char* kName;    // field path prefix, e.g. "plan"
//   static std::vector<std::string> Immutable();  // fields an update may not change
//   static std::vector<std::string> Outputs();    // output-only fields
//   static void ClearOutputs(T&);
//   static void Validate(const T&, FieldViolations&);
//   // Checks references (when check_refs) and returns the row's projection.
//   static absl::StatusOr<Projection> Prepare(Connection&, const std::string& muni, T&,
//                                             bool check_refs);
//   (Validate and Prepare may instead take the write's `now` last: see
//   ValidateKind below.)
// T must have id, state, create_time, update_time and etag fields.
//
// Each service's schema has, per kind, a table with the columns of
// services/plans/migrations/0001_init.*.sql, plus resource_tags and entries.
#ifndef HELHED_COMMON_STORE_RESOURCES_H_
#define HELHED_COMMON_STORE_RESOURCES_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/status/field_violations.h"
#include "common/status/status_macros.h"
#include "common/status/validation.h"
#include "common/store/database.h"
#include "common/store/paging.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_field.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/field_mask_util.h"
#include "google/protobuf/util/time_util.h"
#include "helhed/common/v1/common.pb.h"

namespace helhed::store {

// Filters of a List call, already validated. Empty/zero means "any".
struct ListFilter {
  std::string parent_id;
  std::string ref_id;
  std::string citizen_id;
  bool has_status = false;
  int64_t status = 0;
  int year = 0;
  std::string tag;  // e.g. "tg:3", "la:1", "sdg:10.2"
  bool restrict_ids = false;
  std::vector<std::string> ids;
  // Plans' initiative areas: those in the plan's (parent_id) focus of this
  // year; resolved into ids by the service before listing.
  int focus_year = 0;
  bool include_archived = false;
};

struct Page {
  int size = 50;
  std::string token;
};

// The page a List request asks for; INVALID_ARGUMENT on page.page_size.
inline absl::StatusOr<Page> PageOf(const helhed::common::v1::PageRequest& request) {
  HELHED_ASSIGN_OR_RETURN(int size, PageSize(request.page_size()));
  Page p;
  p.size = size;
  p.token = request.page_token();
  return p;
}

struct Projection {
  std::string parent_id;
  std::string ref_id;
  std::string citizen_id;
  int64_t status = 0;
  int start_year = 0;
  int end_year = 0;
  std::vector<std::string> tags;
  // Further projected columns of this kind's table (added by a later
  // migration of that service, e.g. for a report's SQL aggregates): column
  // name (a constant, never input) and value, written by every insert and
  // update of the resource (Insert and Replace), so they stay in step with
  // the body.
  std::vector<std::pair<const char*, Value>> columns;
};

template <typename T>
struct Loaded {
  T msg;
  int64_t version = 0;
  std::string citizen_id;
};

inline int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }
inline google::protobuf::Timestamp Ts(absl::Time t) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}
inline std::string Etag(int64_t version) { return absl::StrCat("v", version); }

inline const char* ForUpdate(const Connection& c) {
  return c.dialect() == Dialect::kMysql ? " FOR UPDATE" : "";
}

// The bytes stored for a message (a resource, an entry, any record body):
// `m` with its unknown fields dropped in place, at every depth, then
// serialized. Unknown fields (numbers this build's protos do not define)
// pass no validation and no size limit, so none may reach a store or the
// answer that echoes what was stored (docs/SECURITY.md, "Unknown fields").
// Every write of a body goes through here.
inline std::string StoredBody(google::protobuf::Message& m) {
  m.DiscardUnknownFields();
  return m.SerializeAsString();
}

template <typename T>
bool ParseBody(const std::string& body, T* out) {
  return out->ParseFromString(body);
}

template <typename T>
absl::Status Corrupt() {
  return absl::DataLossError(absl::StrCat("stored ", T::descriptor()->name(), " is unreadable"));
}

inline void AddTags(std::vector<std::string>& tags,
                    const google::protobuf::RepeatedField<int>& values, const char* prefix) {
  for (int v : values) {
    tags.push_back(absl::StrCat(prefix, v));
  }
}

template <typename T>
struct Kind;

// A kind whose rules depend on the day (e.g. "not in the future", a date
// stamped on write) takes the write's `now` -- the service's injected clock,
// never absl::Now() -- as an extra argument:
//   static void Validate(const T&, absl::Time now, FieldViolations&);
//   static absl::StatusOr<Projection> Prepare(Connection&, const std::string& muni, T&,
//                                             bool check_refs, absl::Time now);
// ValidateKind and PrepareKind call whichever form Kind<T> declares.
template <typename T, typename = void>
struct ValidatesAt : std::false_type {};
template <typename T>
struct ValidatesAt<
    T, std::void_t<decltype(Kind<T>::Validate(std::declval<const T&>(), std::declval<absl::Time>(),
                                              std::declval<FieldViolations&>()))>>
    : std::true_type {};

template <typename T, typename = void>
struct PreparesAt : std::false_type {};
template <typename T>
struct PreparesAt<T, std::void_t<decltype(Kind<T>::Prepare(
                         std::declval<Connection&>(), std::declval<const std::string&>(),
                         std::declval<T&>(), true, std::declval<absl::Time>()))>> : std::true_type {
};

template <typename T>
void ValidateKind(const T& m, absl::Time now, FieldViolations& v) {
  if constexpr (ValidatesAt<T>::value) {
    Kind<T>::Validate(m, now, v);
  } else {
    Kind<T>::Validate(m, v);
  }
}

template <typename T>
absl::StatusOr<Projection> PrepareKind(Connection& c, const std::string& muni, T& m,
                                       bool check_refs, absl::Time now) {
  if constexpr (PreparesAt<T>::value) {
    return Kind<T>::Prepare(c, muni, m, check_refs, now);
  } else {
    return Kind<T>::Prepare(c, muni, m, check_refs);
  }
}

// Loads one resource of the caller's municipality; NOT_FOUND otherwise.
template <typename T>
absl::StatusOr<Loaded<T>> Load(Connection& c, const std::string& muni, const std::string& id,
                               bool for_update) {
  static const std::string plain =
      absl::StrCat("SELECT version, citizen_id, body FROM ", Kind<T>::kTable,
                   " WHERE municipality = ? AND id = ?");
  static const std::string locking = plain + " FOR UPDATE";
  const bool lock = for_update && c.dialect() == Dialect::kMysql;
  const std::string& sql = lock ? locking : plain;
  HELHED_ASSIGN_OR_RETURN(Rows rows, c.Query(sql, {muni, id}));
  if (rows.empty()) {
    // One catalogue text per kind (common.not_found.<kind>), so that the
    // kind is a word of the caller's language.
    return TextError(absl::StatusCode::kNotFound,
                     i18n::Later(absl::StrCat("common.not_found.", Kind<T>::kName), {{"id", id}}));
  }
  Loaded<T> out;
  out.version = rows[0].Int(0);
  out.citizen_id = rows[0].Str(1);
  const store::Value& body = rows[0][2];
  if (!body.is_string() || !out.msg.ParseFromString(body.StringRef())) {
    return Corrupt<T>();
  }
  return out;
}

// A referenced resource that must exist and be active; a missing one is a
// bad `field` of the request.
template <typename T>
absl::StatusOr<Loaded<T>> Require(Connection& c, const std::string& muni, const std::string& id,
                                  const std::string& field) {
  auto loaded = Load<T>(c, muni, id, /*for_update=*/false);
  if (loaded.status().code() == absl::StatusCode::kNotFound) {
    return InvalidField(field, i18n::Later("validation.field.no_such", {{"kind", Kind<T>::kName}}));
  }
  if (loaded.ok() && loaded->msg.state() == helhed::common::v1::RESOURCE_STATE_ARCHIVED) {
    return TextError(absl::StatusCode::kFailedPrecondition,
                     i18n::Later(absl::StrCat("common.archived.", Kind<T>::kName), {{"id", id}}));
  }
  return loaded;
}

inline absl::Status WriteTags(Connection& c, const char* kind, const std::string& muni,
                              const std::string& id, const std::vector<std::string>& tags,
                              bool replace) {
  if (replace) {
    HELHED_RETURN_IF_ERROR(
        c.Execute("DELETE FROM resource_tags WHERE kind = ? AND resource_id = ?", {kind, id})
            .status());
  }
  std::set<std::string> unique(tags.begin(), tags.end());
  for (const auto& tag : unique) {
    HELHED_RETURN_IF_ERROR(
        c.Execute(
             "INSERT INTO resource_tags (kind, resource_id, municipality, tag) VALUES (?, ?, ?, ?)",
             {kind, id, muni, tag})
            .status());
  }
  return absl::OkStatus();
}

// `request_id` here and in the stores is the API's `idempotency_key` (the
// retry key of every create-like RPC). The tables keep their column name
// request_id: the v1 API renamed the field, the schema did not follow.
template <typename T>
absl::Status Insert(Connection& c, const std::string& muni, const Projection& p,
                    const std::string& request_id, absl::Time now, T& m) {
  m.set_id(NewId());
  m.set_state(helhed::common::v1::RESOURCE_STATE_ACTIVE);
  *m.mutable_create_time() = Ts(now);
  *m.mutable_update_time() = Ts(now);
  m.set_etag(Etag(1));
  static const std::string sql = absl::StrCat(
      "INSERT INTO ", Kind<T>::kTable,
      " (id, municipality, parent_id, ref_id, citizen_id, status, start_year, end_year, state,"
      " version, request_id, create_time, update_time, touch_time, body");
  Params params = {m.id(),
                   muni,
                   p.parent_id,
                   p.ref_id,
                   p.citizen_id,
                   p.status,
                   p.start_year,
                   p.end_year,
                   static_cast<int>(helhed::common::v1::RESOURCE_STATE_ACTIVE),
                   int64_t{1},
                   request_id.empty() ? Value() : Value(request_id),
                   Micros(now),
                   Micros(now),
                   Micros(now),
                   StoredBody(m)};
  std::string names;
  std::string marks;
  for (const auto& [column, value] : p.columns) {
    absl::StrAppend(&names, ", ", column);
    marks += ", ?";
    params.push_back(value);
  }
  HELHED_RETURN_IF_ERROR(
      c.Execute(absl::StrCat(sql, names, ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?",
                             marks, ")"),
                params)
          .status());
  return WriteTags(c, Kind<T>::kTable, muni, m.id(), p.tags, /*replace=*/false);
}

// Writes `m` over version `version` (which the caller read under lock).
template <typename T>
absl::Status Replace(Connection& c, const std::string& muni, const Projection& p, int64_t version,
                     absl::Time now, T& m) {
  *m.mutable_update_time() = Ts(now);
  m.set_etag(Etag(version + 1));
  static const std::string set = absl::StrCat(
      "UPDATE ", Kind<T>::kTable,
      " SET ref_id = ?, status = ?, start_year = ?, end_year = ?, state = ?, version = ?,"
      " update_time = ?, touch_time = ?, body = ?");
  Params params = {
      p.ref_id,    p.status,    p.start_year, p.end_year,   static_cast<int>(m.state()),
      version + 1, Micros(now), Micros(now),  StoredBody(m)};
  std::string more;
  for (const auto& [column, value] : p.columns) {
    absl::StrAppend(&more, ", ", column, " = ?");
    params.push_back(value);
  }
  params.emplace_back(muni);
  params.emplace_back(m.id());
  params.emplace_back(version);
  HELHED_ASSIGN_OR_RETURN(
      int64_t changed,
      c.Execute(absl::StrCat(set, more, " WHERE municipality = ? AND id = ? AND version = ?"),
                params));
  if (changed != 1) {
    // Retried by the transaction helper; reaches the caller when every
    // retry met another writer.
    return TextError(absl::StatusCode::kAborted, i18n::Later("common.store.concurrent_update"));
  }
  return WriteTags(c, Kind<T>::kTable, muni, m.id(), p.tags, /*replace=*/true);
}

template <typename T>
absl::StatusOr<bool> FindByRequest(Connection& c, const std::string& muni,
                                   const std::string& request_id, T* out) {
  static const std::string sql = absl::StrCat("SELECT body FROM ", Kind<T>::kTable,
                                              " WHERE municipality = ? AND request_id = ?");
  HELHED_ASSIGN_OR_RETURN(Rows rows, c.Query(sql, {muni, request_id}));
  if (rows.empty()) {
    return false;
  }
  if (!ParseBody(rows[0][0].AsString(), out)) {
    return Corrupt<T>();
  }
  return true;
}

// " FORCE INDEX (key)" on MySQL, "" on SQLite: for a query whose key the
// schema guarantees and which MariaDB's optimizer has been seen to pass over
// for a full scan (its estimates for a municipality's share of a table go
// wrong when rows of one municipality sit together). `key` is a constant.
inline std::string ForceIndex(const Connection& c, const char* key) {
  return c.dialect() == Dialect::kMysql ? absl::StrCat(" FORCE INDEX (", key, ")") : "";
}

// The key `<table>_list (municipality, state, seq, ...)` of a kind whose
// service's migrations add it (0002_national_scale: plans' citizen_plans,
// volunteers, guides, housing's applications): Kind<T>::kListKey where the
// specialization declares it, else nullptr. Naming a key a table lacks is an
// error on MySQL, so only the kinds whose schema has it declare it.
template <typename K, typename = void>
struct ListKeyOf {
  static constexpr const char* value = nullptr;
};
template <typename K>
struct ListKeyOf<K, std::void_t<decltype(K::kListKey)>> {
  static constexpr const char* value = K::kListKey;
};

// True when a list's only filters are the municipality and the resource
// state (an unfiltered List of active resources).
inline bool OnlyMunicipalityAndState(const ListFilter& f) {
  return f.parent_id.empty() && f.ref_id.empty() && f.citizen_id.empty() && !f.has_status &&
         f.year == 0 && f.tag.empty() && !f.restrict_ids && !f.include_archived;
}

// The index hint of Select on `c`: on MySQL, when the only filters are the
// municipality and the state and the kind has a list key (ListKeyOf), name
// it. MariaDB otherwise may read the primary key in seq order, expecting the
// municipality's rows to be spread evenly through the table; when they sit
// late in it (e.g. a municipality moved in after others) it reads all rows
// before them for one page (docs/PERFORMANCE.md, "At national scale"). With
// other filters, other keys are better and the optimizer is left to choose.
// SQLite: never a hint (its planner takes the key by itself).
inline std::string ListIndexHint(const Connection& c, const char* list_key, const ListFilter& f) {
  if (list_key == nullptr || !OnlyMunicipalityAndState(f)) {
    return "";
  }
  return ForceIndex(c, list_key);
}

// All matching rows after `after_seq`, at most `limit` (0: no limit).
template <typename T>
absl::Status Select(Connection& c, const std::string& muni, const ListFilter& f, int64_t after_seq,
                    int limit, std::vector<std::pair<int64_t, T>>* out) {
  std::string sql = absl::StrCat("SELECT seq, body FROM ", Kind<T>::kTable,
                                 ListIndexHint(c, ListKeyOf<Kind<T>>::value, f),
                                 " WHERE municipality = ? AND seq > ?");
  Params params = {muni, after_seq};
  if (!f.parent_id.empty()) {
    sql += " AND parent_id = ?";
    params.emplace_back(f.parent_id);
  }
  if (!f.ref_id.empty()) {
    sql += " AND ref_id = ?";
    params.emplace_back(f.ref_id);
  }
  if (!f.citizen_id.empty()) {
    sql += " AND citizen_id = ?";
    params.emplace_back(f.citizen_id);
  }
  if (f.has_status) {
    sql += " AND status = ?";
    params.emplace_back(f.status);
  }
  if (f.year != 0) {
    sql += " AND (start_year = 0 OR start_year <= ?) AND (end_year = 0 OR end_year >= ?)";
    params.emplace_back(f.year);
    params.emplace_back(f.year);
  }
  if (!f.include_archived) {
    sql += " AND state = ?";
    params.emplace_back(static_cast<int>(helhed::common::v1::RESOURCE_STATE_ACTIVE));
  }
  if (!f.tag.empty()) {
    sql +=
        " AND id IN (SELECT resource_id FROM resource_tags WHERE municipality = ? AND kind = ? AND "
        "tag = ?)";
    params.emplace_back(muni);
    params.emplace_back(Kind<T>::kTable);
    params.emplace_back(f.tag);
  }
  if (f.restrict_ids) {
    if (f.ids.empty()) {
      return absl::OkStatus();
    }
    sql += " AND id IN (?";
    for (size_t i = 1; i < f.ids.size(); ++i) {
      sql += ", ?";
    }
    sql += ")";
    for (const auto& id : f.ids) {
      params.emplace_back(id);
    }
  }
  sql += " ORDER BY seq";
  if (limit > 0) {
    sql += " LIMIT ?";
    params.emplace_back(limit);
  }
  HELHED_ASSIGN_OR_RETURN(Rows rows, c.Query(sql, params));
  for (const auto& r : rows) {
    T m;
    if (!ParseBody(r[1].AsString(), &m)) {
      return Corrupt<T>();
    }
    out->emplace_back(r.Int(0), std::move(m));
  }
  return absl::OkStatus();
}

template <typename T>
absl::StatusOr<std::vector<T>> SelectAll(Connection& c, const std::string& muni,
                                         const ListFilter& f) {
  std::vector<std::pair<int64_t, T>> rows;
  HELHED_RETURN_IF_ERROR(Select<T>(c, muni, f, 0, 0, &rows));
  std::vector<T> out;
  out.reserve(rows.size());
  for (auto& r : rows) {
    out.push_back(std::move(r.second));
  }
  return out;
}

template <typename T>
void ClearBookkeeping(T& m) {
  m.clear_id();
  m.clear_state();
  m.clear_create_time();
  m.clear_update_time();
  m.clear_etag();
  Kind<T>::ClearOutputs(m);
}

// Mask paths a caller may change: top-level fields that are neither
// bookkeeping, output-only nor immutable.
template <typename T>
absl::Status CheckMask(const google::protobuf::FieldMask& mask) {
  static const std::set<std::string> allowed = [] {
    std::set<std::string> s;
    const auto* d = T::descriptor();
    std::set<std::string> excluded = {"id", "state", "create_time", "update_time", "etag"};
    for (const auto& f : Kind<T>::Immutable()) excluded.insert(f);
    for (const auto& f : Kind<T>::Outputs()) excluded.insert(f);
    for (int i = 0; i < d->field_count(); ++i) {
      if (excluded.count(d->field(i)->name()) == 0) {
        s.insert(d->field(i)->name());
      }
    }
    return s;
  }();
  FieldViolations v;
  if (mask.paths_size() == 0) {
    v.Add("update_mask", i18n::Later("validation.mask.empty"));
  }
  // Item limit: one path per field that can be changed.
  if (!Validator(v).MaxItems("update_mask.paths", mask.paths_size(),
                             static_cast<int>(allowed.size()))) {
    return v.ToStatus();
  }
  for (int i = 0; i < mask.paths_size(); ++i) {
    if (allowed.count(mask.paths(i)) == 0) {
      // The path as sent, cut and without control characters (it travels
      // as a catalogue argument).
      std::string path = TruncateUtf8(mask.paths(i), 64);
      for (char& ch : path) {
        if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = '?';
      }
      v.Add(absl::StrCat("update_mask.paths[", i, "]"),
            i18n::Later("validation.mask.not_changeable",
                        {{"path", std::move(path)}, {"kind", Kind<T>::kName}}));
    }
  }
  return v.ToStatus();
}

// The scope of a list's page tokens: the kind and the filters.
inline std::string Scope(const char* kind, const ListFilter& f) {
  return absl::StrCat(kind, "|", f.parent_id, "|", f.ref_id, "|", f.citizen_id, "|", f.has_status,
                      ":", f.status, "|", f.year, "|", f.tag, "|", f.restrict_ids, ":",
                      absl::StrJoin(f.ids, ","), "|", f.focus_year, "|", f.include_archived);
}

// Dated entries (progress updates, measurements, assessments).
template <typename E>
absl::StatusOr<bool> FindEntry(Connection& c, const std::string& muni, const char* kind,
                               const std::string& request_id, E* out) {
  if (request_id.empty()) {
    return false;
  }
  HELHED_ASSIGN_OR_RETURN(
      Rows rows,
      c.Query("SELECT body FROM entries WHERE municipality = ? AND kind = ? AND request_id = ?",
              {muni, kind, request_id}));
  if (rows.empty()) {
    return false;
  }
  if (!out->ParseFromString(rows[0][0].AsString())) {
    return Corrupt<E>();
  }
  return true;
}

// `amount`, when not NULL, is written to the column `amount` of entries (a
// number projected from the entry for SQL aggregates, e.g. the hours of an
// hours entry; only in schemas whose migrations add that column).
template <typename E>
absl::Status InsertEntry(Connection& c, const std::string& muni, const char* kind,
                         const std::string& parent_id, int date_key, const std::string& request_id,
                         absl::Time now, E& e, const Value& amount = Value()) {
  e.set_id(NewId());
  *e.mutable_create_time() = Ts(now);
  Params params = {e.id(),      muni,         kind,
                   parent_id,   date_key,     request_id.empty() ? Value() : Value(request_id),
                   Micros(now), StoredBody(e)};
  if (amount.is_null()) {
    return c
        .Execute(
            "INSERT INTO entries (id, municipality, kind, parent_id, entry_date, request_id,"
            " create_time, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            params)
        .status();
  }
  params.push_back(amount);
  return c
      .Execute(
          "INSERT INTO entries (id, municipality, kind, parent_id, entry_date, request_id,"
          " create_time, body, amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          params)
      .status();
}

template <typename E>
absl::Status SelectEntries(Connection& c, const std::string& muni, const char* kind,
                           const std::string& parent_id, int64_t after_seq, int limit,
                           std::vector<std::pair<int64_t, E>>* out) {
  HELHED_ASSIGN_OR_RETURN(
      Rows rows, c.Query("SELECT seq, body FROM entries WHERE municipality = ? AND kind = ? AND"
                         " parent_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                         {muni, kind, parent_id, after_seq, limit}));
  for (const auto& r : rows) {
    E e;
    if (!e.ParseFromString(r[1].AsString())) {
      return Corrupt<E>();
    }
    out->emplace_back(r.Int(0), std::move(e));
  }
  return absl::OkStatus();
}

// Pages through entries of one parent resource P.
template <typename P, typename E>
absl::Status ListEntries(Database* db, const PageTokens* tokens, const std::string& muni,
                         const char* kind, const std::string& parent_id, const Page& page,
                         google::protobuf::RepeatedPtrField<E>* out, std::string* next) {
  const std::string scope = absl::StrCat("entries|", kind, "|", parent_id);
  HELHED_ASSIGN_OR_RETURN(int64_t after, tokens->Decode(muni, scope, page.token));
  return db->ReadTransaction([&](Connection& c) -> absl::Status {
    HELHED_RETURN_IF_ERROR(Load<P>(c, muni, parent_id, false).status());
    std::vector<std::pair<int64_t, E>> rows;
    HELHED_RETURN_IF_ERROR(SelectEntries<E>(c, muni, kind, parent_id, after, page.size + 1, &rows));
    const bool more = static_cast<int>(rows.size()) > page.size;
    if (more) {
      rows.resize(page.size);
    }
    for (auto& r : rows) {
      *out->Add() = std::move(r.second);
    }
    next->clear();
    if (more) {
      *next = tokens->Encode(muni, scope, rows.back().first);
    }
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------------------
// The operations every resource kind gets. `now` stamps the write.

// Validates, checks references (Kind<T>::Prepare) and inserts; a retry with
// the same idempotency key returns the first result, also when the two race.
template <typename T>
absl::Status CreateResource(Database* db, absl::Time now, const std::string& muni,
                            const T& resource, const std::string& request_id, T* out) {
  FieldViolations v;
  ValidateKind(resource, now, v);
  Validator(v).RequestId("idempotency_key", request_id);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  T m = resource;
  ClearBookkeeping(m);
  absl::Status status = db->Transaction([&](Connection& c) -> absl::Status {
    if (!request_id.empty()) {
      HELHED_ASSIGN_OR_RETURN(bool found, FindByRequest<T>(c, muni, request_id, out));
      if (found) {
        return absl::OkStatus();
      }
    }
    T fresh = m;
    HELHED_ASSIGN_OR_RETURN(Projection p, PrepareKind(c, muni, fresh, true, now));
    HELHED_RETURN_IF_ERROR(Insert<T>(c, muni, p, request_id, now, fresh));
    *out = std::move(fresh);
    return absl::OkStatus();
  });
  if (status.code() == absl::StatusCode::kAlreadyExists && !request_id.empty()) {
    // A concurrent create with the same request id won: return its result.
    bool found = false;
    HELHED_RETURN_IF_ERROR(db->ReadTransaction([&](Connection& c) -> absl::Status {
      HELHED_ASSIGN_OR_RETURN(found, FindByRequest<T>(c, muni, request_id, out));
      return absl::OkStatus();
    }));
    if (found) {
      return absl::OkStatus();
    }
  }
  return status;
}

template <typename T>
absl::Status GetResource(Database* db, const std::string& muni, const std::string& id, T* out) {
  FieldViolations v;
  Validator(v).Id("id", id, /*required=*/true);
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return db->Run([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto loaded, Load<T>(c, muni, id, false));
    *out = std::move(loaded.msg);
    return absl::OkStatus();
  });
}

// Applies the fields in `mask` from `patch` if patch.etag() is current.
template <typename T>
absl::Status UpdateResource(Database* db, absl::Time now, const std::string& muni, const T& patch,
                            const google::protobuf::FieldMask& mask, T* out) {
  FieldViolations v;
  Validator check(v);
  const std::string name = Kind<T>::kName;
  check.Id(name + ".id", patch.id(), /*required=*/true);
  if (patch.etag().empty()) {
    v.Add(name + ".etag", i18n::Later("validation.etag.required"));
  }
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  HELHED_RETURN_IF_ERROR(CheckMask<T>(mask));
  return db->Transaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto cur, Load<T>(c, muni, patch.id(), /*for_update=*/true));
    if (cur.msg.state() == helhed::common::v1::RESOURCE_STATE_ARCHIVED) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later(absl::StrCat("common.archived.", name), {{"id", patch.id()}}));
    }
    if (cur.msg.etag() != patch.etag()) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later(absl::StrCat("common.stale_etag.", name)));
    }
    T merged = cur.msg;
    google::protobuf::util::FieldMaskUtil::MergeOptions opts;
    opts.set_replace_message_fields(true);
    opts.set_replace_repeated_fields(true);
    google::protobuf::util::FieldMaskUtil::MergeMessageTo(patch, mask, opts, &merged);
    FieldViolations after;
    ValidateKind(merged, now, after);
    HELHED_RETURN_IF_ERROR(after.ToStatus());
    HELHED_ASSIGN_OR_RETURN(Projection p, PrepareKind(c, muni, merged, true, now));
    HELHED_RETURN_IF_ERROR(Replace<T>(c, muni, p, cur.version, now, merged));
    *out = std::move(merged);
    return absl::OkStatus();
  });
}

template <typename T>
absl::Status ArchiveResource(Database* db, absl::Time now, const std::string& muni,
                             const std::string& id, const std::string& etag, T* out) {
  FieldViolations v;
  Validator(v).Id("id", id, /*required=*/true);
  if (etag.empty()) {
    v.Add("etag", i18n::Later("validation.etag.required"));
  }
  HELHED_RETURN_IF_ERROR(v.ToStatus());
  return db->Transaction([&](Connection& c) -> absl::Status {
    HELHED_ASSIGN_OR_RETURN(auto cur, Load<T>(c, muni, id, /*for_update=*/true));
    if (cur.msg.etag() != etag) {
      return TextError(absl::StatusCode::kFailedPrecondition,
                       i18n::Later(absl::StrCat("common.stale_etag.", Kind<T>::kName)));
    }
    if (cur.msg.state() == helhed::common::v1::RESOURCE_STATE_ARCHIVED) {
      *out = std::move(cur.msg);
      return absl::OkStatus();
    }
    T m = cur.msg;
    m.set_state(helhed::common::v1::RESOURCE_STATE_ARCHIVED);
    HELHED_ASSIGN_OR_RETURN(Projection p, PrepareKind(c, muni, m, /*check_refs=*/false, now));
    HELHED_RETURN_IF_ERROR(Replace<T>(c, muni, p, cur.version, now, m));
    *out = std::move(m);
    return absl::OkStatus();
  });
}

// One page of the resources matching `filter`, in creation order.
template <typename T>
absl::Status ListResources(Database* db, const PageTokens* tokens, const std::string& muni,
                           const ListFilter& filter, const Page& page,
                           google::protobuf::RepeatedPtrField<T>* out, std::string* next) {
  const std::string scope = Scope(Kind<T>::kTable, filter);
  HELHED_ASSIGN_OR_RETURN(int64_t after, tokens->Decode(muni, scope, page.token));
  return db->Run([&](Connection& c) -> absl::Status {
    std::vector<std::pair<int64_t, T>> rows;
    HELHED_RETURN_IF_ERROR(Select<T>(c, muni, filter, after, page.size + 1, &rows));
    const bool more = static_cast<int>(rows.size()) > page.size;
    if (more) {
      rows.resize(page.size);
    }
    for (auto& r : rows) {
      *out->Add() = std::move(r.second);
    }
    next->clear();
    if (more) {
      *next = tokens->Encode(muni, scope, rows.back().first);
    }
    return absl::OkStatus();
  });
}

// Parsed resources of one kind per municipality, matching a filter, kept in
// memory between calls and revalidated on every call against a stamp of the
// table (row count, sum of versions, latest update), so any insert or
// update is seen at once. For hot read paths that scan a whole table (e.g.
// ranking every active volunteer). Thread-safe.
template <typename T>
class ResourceCache {
 public:
  explicit ResourceCache(ListFilter filter) : filter_(std::move(filter)) {}

  absl::StatusOr<std::shared_ptr<const std::vector<T>>> Get(Connection& c,
                                                            const std::string& muni) {
    // On MySQL with the key <table>_list (municipality, state, seq, version,
    // update_time), named: the stamp is then read from the key alone. Left
    // to itself, MariaDB has been seen to scan the whole table for it (20 ms
    // at 100,000 volunteers, on every call; docs/PERFORMANCE.md).
    static const std::string plain =
        absl::StrCat("SELECT COUNT(*), SUM(version), MAX(update_time) FROM ", Kind<T>::kTable,
                     " WHERE municipality = ?");
    constexpr const char* key = ListKeyOf<Kind<T>>::value;
    static const std::string forced =
        key == nullptr
            ? plain
            : absl::StrCat("SELECT COUNT(*), SUM(version), MAX(update_time) FROM ", Kind<T>::kTable,
                           " FORCE INDEX (", key, ") WHERE municipality = ?");
    const bool force = c.dialect() == Dialect::kMysql && key != nullptr;
    HELHED_ASSIGN_OR_RETURN(Rows rows, c.Query(force ? forced : plain, {muni}));
    const std::string stamp =
        rows.empty() ? "" : absl::StrCat(rows[0].Str(0), "/", rows[0].Str(1), "/", rows[0].Str(2));
    {
      absl::MutexLock lock(&mu_);
      auto it = entries_.find(muni);
      if (it != entries_.end() && it->second.first == stamp) {
        return it->second.second;
      }
    }
    HELHED_ASSIGN_OR_RETURN(auto list, SelectAll<T>(c, muni, filter_));
    auto shared = std::make_shared<const std::vector<T>>(std::move(list));
    absl::MutexLock lock(&mu_);
    entries_[muni] = {stamp, shared};
    return shared;
  }

 private:
  const ListFilter filter_;
  absl::Mutex mu_;
  std::map<std::string, std::pair<std::string, std::shared_ptr<const std::vector<T>>>> entries_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace helhed::store

#endif  // HELHED_COMMON_STORE_RESOURCES_H_
