// The gateway's audit trail on SQLite and MariaDB: group commit of
// concurrent calls' events, each call answered only once its own events are
// durable, and one call's failure never another's.
#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "services/gateway/audit_store.h"
#include "tests/support/test_store.h"

namespace helhed::store {
const std::vector<MigrationFile>& GatewayMigrations();
}

namespace helhed::gateway {
namespace {

using helhed::testing::Backend;

class AuditStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    HELHED_SKIP_UNLESS_ENABLED(GetParam());
    auto url = helhed::testing::NewStoreUrl(GetParam());
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
    auto db = store::Database::Open(url_, store::StoreOptions());
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Migrate(store::GatewayMigrations()).ok());
  }

  static v1::AuditEvent Event(const std::string& subject) {
    v1::AuditEvent e;
    e.set_subject(subject);
    e.set_municipality_code("730");
    e.set_method("/helhed.plans.v1.CitizenPlansService/ListCitizenPlans");
    e.set_outcome("OK");
    e.mutable_time()->set_seconds(absl::ToUnixSeconds(absl::Now()));
    return e;
  }

  // Rows per citizen id, read by a connection of its own.
  std::map<std::string, int64_t> RowsPerCitizen() {
    auto db = store::Database::Open(url_, store::StoreOptions());
    EXPECT_TRUE(db.ok()) << db.status();
    std::map<std::string, int64_t> out;
    EXPECT_TRUE((*db)
                    ->Run([&](store::Connection& c) -> absl::Status {
                      auto rows = c.Query(
                          "SELECT citizen_id, COUNT(*) FROM audit_events GROUP BY citizen_id", {});
                      if (!rows.ok()) return rows.status();
                      for (const auto& r : *rows) out[r.Str(0)] = r.Int(1);
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  }

  // Holds the audit table against writers from another connection until
  // `release` is notified; `held` is notified once it does.
  std::thread HoldWrites(absl::Notification* held, absl::Notification* release) {
    return std::thread([this, held, release] {
      auto db = store::Database::Open(url_, store::StoreOptions());
      ASSERT_TRUE(db.ok()) << db.status();
      const bool sqlite = (*db)->dialect() == store::Dialect::kSqlite;
      absl::Status s = (*db)->Run([&](store::Connection& c) -> absl::Status {
        absl::Status locked =
            c.ExecuteScript(sqlite ? "BEGIN IMMEDIATE" : "LOCK TABLES audit_events WRITE");
        held->Notify();
        release->WaitForNotification();
        if (!locked.ok()) return locked;
        return c.ExecuteScript(sqlite ? "COMMIT" : "UNLOCK TABLES");
      });
      EXPECT_TRUE(s.ok()) << s;
    });
  }

  // Starts `n` Record calls of two citizens each ("c-<i>-a", "c-<i>-b";
  // "poison" in place of call `poison`'s second) while the table is held:
  // the first call commits alone and the others queue behind it. Returns
  // each call's status.
  std::vector<absl::Status> RecordWhileHeld(AuditStore& audit, int n, int poison = -1) {
    absl::Notification held;
    absl::Notification release;
    std::thread holder = HoldWrites(&held, &release);
    held.WaitForNotification();
    std::vector<absl::Status> statuses(n);
    std::vector<std::thread> calls;
    for (int i = 0; i < n; ++i) {
      calls.emplace_back([&, i] {
        const std::vector<std::string> citizens = {
            absl::StrCat("c-", i, "-a"), i == poison ? "poison" : absl::StrCat("c-", i, "-b")};
        statuses[i] = audit.Record(Event(absl::StrCat("s-", i)), citizens);
      });
      // The first call is the one committing (and waiting for the table).
      if (i == 0) absl::SleepFor(absl::Milliseconds(100));
    }
    absl::SleepFor(absl::Milliseconds(400));  // the others queue meanwhile
    release.Notify();
    holder.join();
    for (auto& t : calls) t.join();
    return statuses;
  }

  std::string url_;
  std::unique_ptr<store::Database> db_;
  store::PageTokens tokens_{"test-key"};
};

TEST_P(AuditStoreTest, ConcurrentCallsAreCommittedTogetherAndAllDurable) {
  prometheus::Registry registry;
  AuditStore audit(db_.get(), &tokens_, AuditOptions(), &registry);
  constexpr int kCalls = 24;
  const std::vector<absl::Status> statuses = RecordWhileHeld(audit, kCalls);
  for (int i = 0; i < kCalls; ++i) EXPECT_TRUE(statuses[i].ok()) << i << ": " << statuses[i];

  const std::map<std::string, int64_t> rows = RowsPerCitizen();
  EXPECT_EQ(rows.size(), 2u * kCalls);
  for (int i = 0; i < kCalls; ++i) {
    EXPECT_EQ(rows.count(absl::StrCat("c-", i, "-a")), 1u) << i;
    EXPECT_EQ(rows.count(absl::StrCat("c-", i, "-b")), 1u) << i;
  }
  for (const auto& [citizen, count] : rows) EXPECT_EQ(count, 1) << citizen;
  // Each event is its call's: the subject of the call that named the citizen.
  v1::ListAuditEventsRequest req;
  req.set_subject("s-7");
  v1::ListAuditEventsResponse listed;
  ASSERT_TRUE(audit.List("730", req, store::Page{10, ""}, &listed).ok());
  ASSERT_EQ(listed.events_size(), 2);
  EXPECT_EQ(listed.events(0).citizen_id(), "c-7-a");
  EXPECT_EQ(listed.events(1).citizen_id(), "c-7-b");

  // Fewer transactions than calls: the ones that queued went in together.
  const auto families = registry.Collect();
  ASSERT_EQ(families.size(), 1u);
  const auto& h = families[0].metric.at(0).histogram;
  EXPECT_EQ(h.sample_sum, kCalls);
  EXPECT_LT(h.sample_count, static_cast<uint64_t>(kCalls));
  EXPECT_GE(h.sample_count, 2u);
}

TEST_P(AuditStoreTest, OneCallsFailureIsNotAnothers) {
  // Refuses an insert for the citizen id "poison" (NULL into NOT NULL).
  const bool sqlite = db_->dialect() == store::Dialect::kSqlite;
  ASSERT_TRUE(db_->Run([&](store::Connection& c) {
                   return c.ExecuteScript(
                       sqlite ? "CREATE TRIGGER audit_poison BEFORE INSERT ON audit_events"
                                " WHEN NEW.citizen_id = 'poison' BEGIN SELECT RAISE(ABORT,"
                                " 'refused'); END"
                              : "CREATE TRIGGER audit_poison BEFORE INSERT ON audit_events FOR"
                                " EACH ROW SET NEW.citizen_id = IF(NEW.citizen_id = 'poison',"
                                " NULL, NEW.citizen_id)");
                 })
                  .ok());
  prometheus::Registry registry;
  AuditStore audit(db_.get(), &tokens_, AuditOptions(), &registry);
  constexpr int kCalls = 12;
  constexpr int kPoison = 5;
  const std::vector<absl::Status> statuses = RecordWhileHeld(audit, kCalls, kPoison);
  for (int i = 0; i < kCalls; ++i) {
    EXPECT_EQ(statuses[i].ok(), i != kPoison) << i << ": " << statuses[i];
  }
  const std::map<std::string, int64_t> rows = RowsPerCitizen();
  EXPECT_EQ(rows.size(), 2u * (kCalls - 1));
  // Nothing of the refused call: not even its first citizen.
  EXPECT_EQ(rows.count(absl::StrCat("c-", kPoison, "-a")), 0u);
  EXPECT_EQ(rows.count("poison"), 0u);
  EXPECT_EQ(rows.count("c-4-b"), 1u);
}

TEST_P(AuditStoreTest, BatchOfOneIsATransactionPerCall) {
  prometheus::Registry registry;
  AuditOptions options;
  options.max_batch = 1;
  AuditStore audit(db_.get(), &tokens_, options, &registry);
  constexpr int kCalls = 6;
  const std::vector<absl::Status> statuses = RecordWhileHeld(audit, kCalls);
  for (int i = 0; i < kCalls; ++i) EXPECT_TRUE(statuses[i].ok()) << i << ": " << statuses[i];
  EXPECT_EQ(RowsPerCitizen().size(), 2u * kCalls);
  const auto& h = registry.Collect().at(0).metric.at(0).histogram;
  EXPECT_EQ(h.sample_count, static_cast<uint64_t>(kCalls));
}

TEST_P(AuditStoreTest, NoCitizensWritesNothing) {
  AuditStore audit(db_.get(), &tokens_);
  ASSERT_TRUE(audit.Record(Event("s"), {}).ok());
  EXPECT_TRUE(RowsPerCitizen().empty());
}

INSTANTIATE_TEST_SUITE_P(Stores, AuditStoreTest,
                         ::testing::ValuesIn(helhed::testing::AllBackends()),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                           return helhed::testing::BackendName(p.param);
                         });

}  // namespace
}  // namespace helhed::gateway
