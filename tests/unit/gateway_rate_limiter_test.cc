// Tests of services/gateway/auth/rate_limiter: per-subject token buckets on
// a simulated clock.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/gateway/auth/rate_limiter.h"

namespace helhed::gateway {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1750000000);

int AllowedNow(RateLimiter& limiter, const std::string& subject, absl::Time now, int tries) {
  int allowed = 0;
  for (int i = 0; i < tries; ++i) allowed += limiter.Allow(subject, now) ? 1 : 0;
  return allowed;
}

TEST(RateLimiterTest, BurstThenRefusal) {
  RateLimiter limiter(/*per_second=*/2, /*burst=*/5);
  EXPECT_EQ(AllowedNow(limiter, "alice", kStart, 5), 5);
  EXPECT_FALSE(limiter.Allow("alice", kStart));
  EXPECT_FALSE(limiter.Allow("alice", kStart + absl::Milliseconds(100)));
}

TEST(RateLimiterTest, RefillsOverTime) {
  RateLimiter limiter(/*per_second=*/2, /*burst=*/5);
  EXPECT_EQ(AllowedNow(limiter, "alice", kStart, 10), 5);
  // Half a second buys one call.
  EXPECT_EQ(AllowedNow(limiter, "alice", kStart + absl::Milliseconds(500), 3), 1);
  // Two more seconds buy four more.
  EXPECT_EQ(AllowedNow(limiter, "alice", kStart + absl::Milliseconds(2500), 10), 4);
  // A long pause refills no more than the burst.
  EXPECT_EQ(AllowedNow(limiter, "alice", kStart + absl::Hours(1), 10), 5);
}

TEST(RateLimiterTest, SteadyRate) {
  RateLimiter limiter(/*per_second=*/10, /*burst=*/1);
  int allowed = 0;
  // 100 calls a second for 10 seconds: about 10 a second get through.
  for (int i = 0; i < 1000; ++i) {
    allowed += limiter.Allow("bob", kStart + absl::Milliseconds(10 * i)) ? 1 : 0;
  }
  EXPECT_GE(allowed, 99);
  EXPECT_LE(allowed, 101);
}

TEST(RateLimiterTest, ClockGoingBackRefillsNothing) {
  RateLimiter limiter(/*per_second=*/1, /*burst=*/2);
  EXPECT_EQ(AllowedNow(limiter, "alice", kStart, 3), 2);
  EXPECT_FALSE(limiter.Allow("alice", kStart - absl::Hours(1)));
  EXPECT_FALSE(limiter.Allow("alice", kStart));
  EXPECT_TRUE(limiter.Allow("alice", kStart + absl::Seconds(1)));
}

TEST(RateLimiterTest, SubjectsAreIndependent) {
  RateLimiter limiter(/*per_second=*/1, /*burst=*/3);
  EXPECT_EQ(AllowedNow(limiter, "alice", kStart, 10), 3);
  EXPECT_EQ(AllowedNow(limiter, "bob", kStart, 10), 3);
  EXPECT_FALSE(limiter.Allow("alice", kStart));
}

TEST(RateLimiterTest, DisabledLimiterAllowsEverything) {
  RateLimiter zero(/*per_second=*/0, /*burst=*/1);
  EXPECT_EQ(AllowedNow(zero, "alice", kStart, 10000), 10000);
  RateLimiter negative(/*per_second=*/-1, /*burst=*/0);
  EXPECT_EQ(AllowedNow(negative, "alice", kStart, 100), 100);
}

TEST(RateLimiterTest, BurstBelowOneStillAllowsOne) {
  RateLimiter limiter(/*per_second=*/1, /*burst=*/0);
  EXPECT_TRUE(limiter.Allow("alice", kStart));
  EXPECT_FALSE(limiter.Allow("alice", kStart));
}

TEST(RateLimiterTest, MemoryIsBounded) {
  // Very slow refill: an exhausted bucket stays exhausted for the test.
  RateLimiter limiter(/*per_second=*/0.001, /*burst=*/1, /*max_subjects=*/10);
  absl::Time now = kStart;
  EXPECT_TRUE(limiter.Allow("busy", now));
  EXPECT_TRUE(limiter.Allow("idle", now));
  EXPECT_FALSE(limiter.Allow("idle", now));
  // Many other subjects come and go while "busy" keeps calling: "busy" is
  // recently used, so it keeps its (empty) bucket through every sweep.
  for (int i = 0; i < 1000; ++i) {
    now += absl::Milliseconds(1);
    EXPECT_TRUE(limiter.Allow(absl::StrCat("s", i), now));
    EXPECT_FALSE(limiter.Allow("busy", now)) << i;
  }
  // "idle" was least recently used and has been forgotten, so it starts
  // with a full bucket again: only a bounded number of buckets is kept.
  EXPECT_TRUE(limiter.Allow("idle", now));
}

TEST(RateLimiterTest, FullBucketsAreDroppedFirst) {
  // Fast refill: every bucket is full again after a second, so sweeping
  // only forgets subjects that have nothing left to remember.
  RateLimiter limiter(/*per_second=*/100, /*burst=*/2, /*max_subjects=*/4);
  EXPECT_EQ(AllowedNow(limiter, "alice", kStart, 5), 2);
  for (int i = 0; i < 100; ++i) {
    EXPECT_TRUE(limiter.Allow(absl::StrCat("s", i), kStart + absl::Seconds(1)));
  }
  EXPECT_EQ(AllowedNow(limiter, "alice", kStart + absl::Seconds(1), 5), 2);
}

}  // namespace
}  // namespace helhed::gateway
