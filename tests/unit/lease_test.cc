// The stats lease (common/store/lease.h), the once-per-deployment gauges on
// it (common/observability/deployment_gauges.h) and two real exporters on
// one database, on SQLite and MariaDB: exactly one replica holds the lease
// and exports the domain gauges; when it stops renewing, another takes over.
#include "common/store/lease.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/observability/deployment_gauges.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "prometheus/text_serializer.h"
#include "services/volunteers/stats_exporter.h"
#include "services/volunteers/volunteers_store.h"
#include "tests/support/test_store.h"

namespace helhed::store {
const std::vector<MigrationFile>& VolunteersMigrations();
}

namespace helhed {
namespace {

using helhed::testing::Backend;

std::string Scrape(prometheus::Registry& r) {
  return prometheus::TextSerializer().Serialize(r.Collect());
}

class LeaseTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    HELHED_SKIP_UNLESS_ENABLED(GetParam());
    auto url = helhed::testing::NewStoreUrl(GetParam());
    ASSERT_TRUE(url.ok()) << url.status();
    auto db = store::Database::Open(*url, store::StoreOptions());
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    // The real migration of a service (the table and its "stats" row).
    ASSERT_TRUE(db_->Migrate(store::VolunteersMigrations()).ok());
  }

  absl::Time Now() {
    absl::MutexLock l(&mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock l(&mu_);
    now_ += d;
  }
  store::Lease::Clock clock() {
    return [this] { return Now(); };
  }

  std::unique_ptr<store::Database> db_;
  absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_) = absl::FromUnixSeconds(1767225600);
};

TEST_P(LeaseTest, OneHolderUntilItStopsRenewing) {
  store::Lease a(*db_, "stats", absl::Seconds(45), clock());
  store::Lease b(*db_, "stats", absl::Seconds(45), clock());
  EXPECT_NE(a.holder(), b.holder());
  ASSERT_EQ(a.Renew().value_or(false), true);
  EXPECT_EQ(b.Renew().value_or(true), false);
  // a renews within the ttl: it keeps it, period after period.
  for (int i = 0; i < 5; ++i) {
    Advance(absl::Seconds(15));
    EXPECT_EQ(a.Renew().value_or(false), true);
    EXPECT_EQ(b.Renew().value_or(true), false);
  }
  // a stops renewing: b gets it once the ttl has passed, not before.
  Advance(absl::Seconds(44));
  EXPECT_EQ(b.Renew().value_or(true), false);
  Advance(absl::Seconds(2));
  EXPECT_EQ(b.Renew().value_or(false), true);
  EXPECT_EQ(a.Renew().value_or(true), false);
  // A release hands it over at once.
  ASSERT_TRUE(b.Release().ok());
  EXPECT_EQ(a.Renew().value_or(false), true);
  // Releasing a lease one does not hold changes nothing.
  ASSERT_TRUE(b.Release().ok());
  EXPECT_EQ(b.Renew().value_or(true), false);
}

TEST_P(LeaseTest, ALeaseNoMigrationCreatedIsTakenByTheFirst) {
  store::Lease a(*db_, "other", absl::Seconds(45), clock());
  store::Lease b(*db_, "other", absl::Seconds(45), clock());
  EXPECT_EQ(b.Renew().value_or(false), true);
  EXPECT_EQ(a.Renew().value_or(true), false);
}

TEST_P(LeaseTest, RacingReplicasGetExactlyOneHolder) {
  constexpr int kReplicas = 4;
  std::vector<std::unique_ptr<store::Lease>> leases;
  for (int i = 0; i < kReplicas; ++i) {
    leases.push_back(std::make_unique<store::Lease>(*db_, "stats", absl::Seconds(45), clock()));
  }
  std::atomic<int> held{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (auto& l : leases) {
    threads.emplace_back([&, lease = l.get()] {
      absl::StatusOr<bool> r = lease->Renew();
      if (!r.ok()) {
        failed++;
      } else if (*r) {
        held++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(held.load(), 1);
}

TEST_P(LeaseTest, OnlyTheHolderExportsAndALostLeaseRemovesItsSeries) {
  prometheus::Registry ra, rb;
  auto& fa = prometheus::BuildGauge().Name("helhed_test_figure").Help("x").Register(ra);
  auto& fb = prometheus::BuildGauge().Name("helhed_test_figure").Help("x").Register(rb);
  observability::DeploymentGauges a(ra, *db_, "test", absl::Seconds(15), clock());
  observability::DeploymentGauges b(rb, *db_, "test", absl::Seconds(15), clock());
  // Before the first refresh neither claims to lead.
  EXPECT_NE(Scrape(ra).find("helhed_test_stats_leader 0"), std::string::npos) << Scrape(ra);

  ASSERT_TRUE(a.Acquire());
  ASSERT_FALSE(b.Acquire());
  a.Set(fa, {{"municipality", "730"}}, 3);
  b.Set(fb, {{"municipality", "730"}}, 3);  // ignored: not the holder
  EXPECT_NE(Scrape(ra).find("helhed_test_figure{municipality=\"730\"} 3"), std::string::npos);
  EXPECT_NE(Scrape(ra).find("helhed_test_stats_leader 1"), std::string::npos);
  EXPECT_EQ(Scrape(rb).find("helhed_test_figure{"), std::string::npos) << Scrape(rb);
  EXPECT_NE(Scrape(rb).find("helhed_test_stats_leader 0"), std::string::npos);

  // a stops renewing (hung, partitioned): after three periods b takes over,
  // and a, when it next refreshes, finds it lost the lease and removes its
  // series, so that no stale value remains next to b's.
  Advance(absl::Seconds(46));
  ASSERT_TRUE(b.Acquire());
  b.Set(fb, {{"municipality", "730"}}, 4);
  ASSERT_FALSE(a.Acquire());
  EXPECT_EQ(Scrape(ra).find("helhed_test_figure{"), std::string::npos) << Scrape(ra);
  EXPECT_NE(Scrape(ra).find("helhed_test_stats_leader 0"), std::string::npos);
  EXPECT_NE(Scrape(rb).find("helhed_test_figure{municipality=\"730\"} 4"), std::string::npos);
  EXPECT_NE(Scrape(rb).find("helhed_test_stats_leader 1"), std::string::npos);

  // b shuts down: it releases, its series go, a takes over at once.
  b.Release();
  EXPECT_EQ(Scrape(rb).find("helhed_test_figure{"), std::string::npos);
  EXPECT_NE(Scrape(rb).find("helhed_test_stats_leader 0"), std::string::npos);
  EXPECT_TRUE(a.Acquire());
}

// Two real exporters (two replicas of volunteers) on one database.
TEST_P(LeaseTest, TwoExportersOneDatabaseOneExports) {
  store::PageTokens tokens("test-key");
  volunteers::VolunteersStore store(db_.get(), &tokens, [] { return absl::Now(); });
  volunteers::v1::Volunteer v;
  v.set_display_name("Anne");
  v.set_home_postcode("8900");
  v.set_status(volunteers::v1::VOLUNTEER_STATUS_ACTIVE);
  v.set_consent_given(true);
  volunteers::v1::Volunteer out;
  ASSERT_TRUE(store.Create("730", v, "", &out).ok());

  prometheus::Registry ra, rb;
  auto a = std::make_unique<volunteers::StatsExporter>(store, *db_, ra, absl::Hours(1));
  auto b = std::make_unique<volunteers::StatsExporter>(store, *db_, rb, absl::Hours(1));
  a->Refresh();
  b->Refresh();
  const std::string sa = Scrape(ra), sb = Scrape(rb);
  const std::string series = "helhed_volunteers_active_volunteers{municipality=\"730\"}";
  const bool a_exports = sa.find(series) != std::string::npos;
  const bool b_exports = sb.find(series) != std::string::npos;
  EXPECT_NE(a_exports, b_exports) << sa << "\n----\n" << sb;
  EXPECT_NE(
      sa.find(a_exports ? "helhed_volunteers_stats_leader 1" : "helhed_volunteers_stats_leader 0"),
      std::string::npos);
  EXPECT_NE(
      sb.find(b_exports ? "helhed_volunteers_stats_leader 1" : "helhed_volunteers_stats_leader 0"),
      std::string::npos);
  EXPECT_NE((a_exports ? sa : sb).find("helhed_volunteers_time_given_month_seconds{"),
            std::string::npos);

  // The one exporting shuts down (a rolling update): the other takes over
  // at its next refresh.
  auto [holder, other, other_registry] = a_exports ? std::tie(a, b, rb) : std::tie(b, a, ra);
  holder->Stop();
  other->Refresh();
  EXPECT_NE(Scrape(other_registry).find(series), std::string::npos);
  EXPECT_NE(Scrape(other_registry).find("helhed_volunteers_stats_leader 1"), std::string::npos);
  other->Stop();
}

INSTANTIATE_TEST_SUITE_P(Backends, LeaseTest, ::testing::ValuesIn(helhed::testing::AllBackends()),
                         [](const auto& p) { return helhed::testing::BackendName(p.param); });

}  // namespace
}  // namespace helhed
