#include "common/store/lease.h"

#include <cstdint>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status/status_macros.h"

namespace helhed::store {
namespace {

std::string RandomHolder() {
  std::random_device rd;
  std::mt19937_64 rng((static_cast<uint64_t>(rd()) << 32) ^ rd());
  return absl::StrFormat("%016x%016x", rng(), rng());
}

}  // namespace

Lease::Lease(Database& db, std::string name, absl::Duration ttl, Clock clock, std::string holder)
    : db_(db),
      name_(std::move(name)),
      ttl_(ttl),
      clock_(std::move(clock)),
      holder_(holder.empty() ? RandomHolder() : std::move(holder)) {}

absl::StatusOr<bool> Lease::Renew() {
  bool held = false;
  absl::Status status = db_.Transaction([&](Connection& c) -> absl::Status {
    held = false;
    const absl::Time t = clock_();
    const int64_t now = absl::ToUnixMicros(t);
    const int64_t until = absl::ToUnixMicros(t + ttl_);
    const char* select = c.dialect() == Dialect::kMysql
                             ? "SELECT holder, expires_at FROM helhed_leases WHERE name = ? "
                               "FOR UPDATE"
                             : "SELECT holder, expires_at FROM helhed_leases WHERE name = ?";
    HELHED_ASSIGN_OR_RETURN(Rows rows, c.Query(select, {name_}));
    if (rows.empty()) {
      // A lease no migration created: the first to insert it holds it (a
      // racing insert fails with ALREADY_EXISTS and is "not held").
      absl::StatusOr<int64_t> n =
          c.Execute("INSERT INTO helhed_leases (name, holder, expires_at) VALUES (?, ?, ?)",
                    {name_, holder_, until});
      if (absl::IsAlreadyExists(n.status())) return absl::OkStatus();
      HELHED_RETURN_IF_ERROR(n.status());
      held = true;
      return absl::OkStatus();
    }
    if (rows[0].Str(0) != holder_ && rows[0].Int(1) > now) {
      return absl::OkStatus();  // another process holds it
    }
    HELHED_RETURN_IF_ERROR(
        c.Execute("UPDATE helhed_leases SET holder = ?, expires_at = ? WHERE name = ?",
                  {holder_, until, name_})
            .status());
    held = true;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return held;
}

absl::Status Lease::Release() {
  return db_.Transaction([&](Connection& c) -> absl::Status {
    return c
        .Execute(
            "UPDATE helhed_leases SET holder = '', expires_at = 0 WHERE name = ? AND holder = ?",
            {name_, holder_})
        .status();
  });
}

}  // namespace helhed::store
