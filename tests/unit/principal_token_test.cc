// Tests of common/auth/principal_token: signing and verifying the principal
// the gateway sends to a service.
#include "common/auth/principal_token.h"

#include <chrono>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "grpcpp/test/client_context_test_peer.h"
#include "gtest/gtest.h"

namespace helhed::auth {
namespace {

using helhed::common::v1::ROLE_CASEWORKER;

const absl::Time kNow = absl::FromUnixSeconds(1790000000);

PrincipalKey Key(char fill = 'k') { return *PrincipalKey::FromBytes(std::string(32, fill)); }

Principal Caseworker() {
  Principal p;
  p.set_subject("user-42");
  p.set_municipality_code("730");
  p.add_roles(ROLE_CASEWORKER);
  return p;
}

absl::StatusCode VerifyCode(const std::string& token, absl::string_view audience = "plans",
                            absl::Time now = kNow) {
  return Key().Verify(token, audience, now).status().code();
}

TEST(PrincipalTokenTest, SignedVerifies) {
  const std::string token = Key().Sign(Caseworker(), "plans", kNow + absl::Seconds(30));
  auto p = Key().Verify(token, "plans", kNow);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->subject(), "user-42");
  EXPECT_EQ(p->municipality_code(), "730");
  EXPECT_EQ(p->roles_size(), 1);
  // The principal part is the plain encoded principal.
  EXPECT_EQ(std::string(token.substr(0, token.find('.'))), EncodePrincipal(Caseworker()));
}

TEST(PrincipalTokenTest, KeyMustBeLongEnough) {
  EXPECT_EQ(PrincipalKey::FromBytes(std::string(31, 'k')).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(PrincipalKey::FromFile("/nonexistent/principal.key").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(PrincipalTokenTest, UnsignedOrMalformedIsRefused) {
  EXPECT_EQ(VerifyCode(EncodePrincipal(Caseworker())), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifyCode(""), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifyCode("a.b.c.d"), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifyCode("a.b.c.d.e"), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifyCode(std::string(10000, 'a')), absl::StatusCode::kUnauthenticated);
}

TEST(PrincipalTokenTest, TamperedPartsAreRefused) {
  const std::string token = Key().Sign(Caseworker(), "plans", kNow + absl::Seconds(30));
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  ASSERT_EQ(parts.size(), 4u);

  // More roles, another municipality: a different principal, same MAC.
  Principal more = Caseworker();
  more.set_municipality_code("101");
  more.add_roles(helhed::common::v1::ROLE_AUDITOR);
  EXPECT_EQ(VerifyCode(absl::StrJoin({EncodePrincipal(more), parts[1], parts[2], parts[3]}, ".")),
            absl::StatusCode::kUnauthenticated);
  // Another audience added.
  EXPECT_EQ(
      VerifyCode(absl::StrJoin({parts[0], std::string("plans+housing"), parts[2], parts[3]}, ".")),
      absl::StatusCode::kUnauthenticated);
  // A later expiry.
  EXPECT_EQ(
      VerifyCode(absl::StrJoin(
          {parts[0], parts[1], std::to_string(absl::ToUnixMillis(kNow + absl::Hours(9))), parts[3]},
          ".")),
      absl::StatusCode::kUnauthenticated);
  // One MAC character changed.
  std::string mac = parts[3];
  mac[5] = mac[5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(VerifyCode(absl::StrJoin({parts[0], parts[1], parts[2], mac}, ".")),
            absl::StatusCode::kUnauthenticated);
}

TEST(PrincipalTokenTest, WrongKeyIsRefused) {
  const std::string token = Key('x').Sign(Caseworker(), "plans", kNow + absl::Seconds(30));
  auto p = Key().Verify(token, "plans", kNow);
  EXPECT_EQ(p.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(p.status().message(), "principal signature does not verify");
}

TEST(PrincipalTokenTest, WrongAudienceIsRefused) {
  const std::string token = Key().Sign(Caseworker(), "housing", kNow + absl::Seconds(30));
  auto p = Key().Verify(token, "plans", kNow);
  EXPECT_EQ(p.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(p.status().message(), "principal is meant for another service");
  EXPECT_TRUE(Key().Verify(token, "housing", kNow).ok());
  // A prefix of an audience is not that audience.
  EXPECT_FALSE(Key().Verify(token, "housin", kNow).ok());
}

TEST(PrincipalTokenTest, AudienceListNamesSeveralServices) {
  const std::string token =
      Key().Sign(Caseworker(), "plans+volunteers+guides+housing", kNow + absl::Seconds(30));
  for (const char* aud : {"plans", "volunteers", "guides", "housing"}) {
    EXPECT_TRUE(Key().Verify(token, aud, kNow).ok()) << aud;
  }
  EXPECT_FALSE(Key().Verify(token, "gateway", kNow).ok());
  EXPECT_TRUE(IsAudienceList("plans+housing"));
  EXPECT_FALSE(IsAudienceList("plans++housing"));
  EXPECT_FALSE(IsAudienceList("helhed.plans.v1.PlansService"));
  EXPECT_FALSE(IsAudienceList(""));
}

TEST(PrincipalTokenTest, ExpiredIsRefused) {
  const absl::Time expiry = kNow + absl::Seconds(30);
  const std::string token = Key().Sign(Caseworker(), "plans", expiry);
  EXPECT_TRUE(Key().Verify(token, "plans", expiry).ok());
  // Clock leeway between the gateway and the service.
  EXPECT_TRUE(Key().Verify(token, "plans", expiry + kPrincipalClockLeeway).ok());
  auto p = Key().Verify(token, "plans", expiry + kPrincipalClockLeeway + absl::Milliseconds(1));
  EXPECT_EQ(p.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(p.status().message(), "principal has expired");
}

TEST(PrincipalTokenTest, AttachExpiresAtTheDeadlineOrTheTtl) {
  const auto expiry_of = [](grpc::ClientContext& ctx) {
    grpc::testing::ClientContextTestPeer peer(&ctx);
    auto md = peer.GetSendInitialMetadata();
    auto it = md.find(kPrincipalMetadataKey);
    EXPECT_NE(it, md.end());
    std::vector<std::string> parts = absl::StrSplit(it->second, '.');
    EXPECT_EQ(parts.size(), 4u);
    int64_t ms = 0;
    EXPECT_TRUE(absl::SimpleAtoi(parts[2], &ms));
    return absl::FromUnixMillis(ms);
  };
  const absl::Time now = absl::Now();
  grpc::ClientContext near;
  near.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  AttachSignedPrincipal(&near, Caseworker(), Key(), "plans", absl::Seconds(30));
  EXPECT_LE(expiry_of(near), now + absl::Seconds(3));

  grpc::ClientContext far;
  far.set_deadline(std::chrono::system_clock::now() + std::chrono::hours(1));
  AttachSignedPrincipal(&far, Caseworker(), Key(), "plans", absl::Seconds(10));
  EXPECT_LE(expiry_of(far), now + absl::Seconds(11));
  EXPECT_GE(expiry_of(far), now + absl::Seconds(9));

  // Never longer than the maximum, whatever is asked.
  grpc::ClientContext none;
  AttachSignedPrincipal(&none, Caseworker(), Key(), "plans", absl::Hours(5));
  EXPECT_LE(expiry_of(none), now + kMaxPrincipalTtl + absl::Seconds(1));
}

}  // namespace
}  // namespace helhed::auth
