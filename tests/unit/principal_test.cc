// Tests of common/auth/principal: the x-helhed-principal codec and role
// checks.
#include "common/auth/principal.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "grpcpp/client_context.h"
#include "grpcpp/server_context.h"
#include "grpcpp/test/client_context_test_peer.h"
#include "grpcpp/test/server_context_test_spouse.h"
#include "gtest/gtest.h"

namespace helhed::auth {
namespace {

using helhed::common::v1::ROLE_AUDITOR;
using helhed::common::v1::ROLE_CASEWORKER;
using helhed::common::v1::ROLE_MANAGER;

Principal Caseworker() {
  Principal p;
  p.set_subject("user-42");
  p.set_municipality_code("730");
  p.add_roles(ROLE_CASEWORKER);
  p.add_roles(ROLE_MANAGER);
  return p;
}

TEST(PrincipalTest, RoundTrip) {
  const Principal p = Caseworker();
  const std::string encoded = EncodePrincipal(p);
  auto back = DecodePrincipal(encoded);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->subject(), "user-42");
  EXPECT_EQ(back->municipality_code(), "730");
  ASSERT_EQ(back->roles_size(), 2);
  EXPECT_EQ(back->roles(0), ROLE_CASEWORKER);
  EXPECT_EQ(back->roles(1), ROLE_MANAGER);
}

TEST(PrincipalTest, EncodingIsValidMetadata) {
  // gRPC ASCII metadata values: printable ASCII only.
  const std::string encoded = EncodePrincipal(Caseworker());
  for (char c : encoded) {
    EXPECT_TRUE(c >= 0x20 && c < 0x7f) << static_cast<int>(c);
  }
}

TEST(PrincipalTest, MalformedIsUnauthenticated) {
  EXPECT_EQ(DecodePrincipal("").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(DecodePrincipal("!!!not base64!!!").status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(DecodePrincipal(absl::Base64Escape("\xff\xff\xff\xff")).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(DecodePrincipal(std::string(5000, 'A')).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(PrincipalTest, SubjectIsRequired) {
  Principal p = Caseworker();
  p.clear_subject();
  EXPECT_EQ(DecodePrincipal(EncodePrincipal(p)).status().code(),
            absl::StatusCode::kUnauthenticated);
  p.set_subject(std::string(257, 's'));
  EXPECT_EQ(DecodePrincipal(EncodePrincipal(p)).status().code(),
            absl::StatusCode::kUnauthenticated);
  p.set_subject(std::string(256, 's'));
  EXPECT_TRUE(DecodePrincipal(EncodePrincipal(p)).ok());
}

TEST(PrincipalTest, MunicipalityMustBeThreeDigits) {
  for (const char* code : {"", "73", "7300", "73a", " 73", "７３０"}) {
    Principal p = Caseworker();
    p.set_municipality_code(code);
    EXPECT_EQ(DecodePrincipal(EncodePrincipal(p)).status().code(),
              absl::StatusCode::kUnauthenticated)
        << code;
  }
  EXPECT_TRUE(IsMunicipalityCode("101"));
  EXPECT_TRUE(IsMunicipalityCode("860"));
  EXPECT_FALSE(IsMunicipalityCode("86"));
  EXPECT_FALSE(IsMunicipalityCode("x60"));
}

TEST(PrincipalTest, HasRole) {
  const Principal p = Caseworker();
  EXPECT_TRUE(HasRole(p, ROLE_CASEWORKER));
  EXPECT_TRUE(HasRole(p, ROLE_MANAGER));
  EXPECT_FALSE(HasRole(p, ROLE_AUDITOR));
  EXPECT_FALSE(HasRole(Principal(), ROLE_CASEWORKER));
}

TEST(PrincipalTest, FromContextReadsOnlyTheInterceptorsVerdict) {
  grpc::ServerContext none;
  EXPECT_EQ(PrincipalFromContext(none).status().code(), absl::StatusCode::kUnauthenticated);

  // A bare principal straight from a client is not believed.
  grpc::ServerContext bare;
  grpc::testing::ServerContextTestSpouse bare_spouse(&bare);
  bare_spouse.AddClientMetadata(kPrincipalMetadataKey, EncodePrincipal(Caseworker()));
  EXPECT_EQ(PrincipalFromContext(bare).status().code(), absl::StatusCode::kUnauthenticated);

  const Principal caseworker = Caseworker();
  grpc::ServerContext ctx;
  grpc::testing::ServerContextTestSpouse spouse(&ctx);
  spouse.AddClientMetadata(kPrincipalVerdictKey, MakeVerdict(absl::OkStatus(), &caseworker));
  auto p = PrincipalFromContext(ctx);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->subject(), "user-42");
  EXPECT_EQ(p->municipality_code(), "730");

  grpc::ServerContext denied;
  grpc::testing::ServerContextTestSpouse denier(&denied);
  denier.AddClientMetadata(kPrincipalVerdictKey,
                           MakeVerdict(absl::PermissionDeniedError("no: not: yours"), &caseworker));
  EXPECT_EQ(PrincipalFromContext(denied).status(), absl::PermissionDeniedError("no: not: yours"));

  // A verdict without this process's nonce (a client guessing the format).
  grpc::ServerContext guessed;
  grpc::testing::ServerContextTestSpouse guesser(&guessed);
  guesser.AddClientMetadata(kPrincipalVerdictKey, "00000000000000000000000000000000:0:" +
                                                      EncodePrincipal(caseworker) + ":");
  EXPECT_EQ(PrincipalFromContext(guessed).status().code(), absl::StatusCode::kUnauthenticated);

  grpc::ServerContext forged;
  grpc::testing::ServerContextTestSpouse forger(&forged);
  Principal no_muni = Caseworker();
  no_muni.set_municipality_code("all");
  forger.AddClientMetadata(kPrincipalVerdictKey, MakeVerdict(absl::OkStatus(), &no_muni));
  EXPECT_EQ(PrincipalFromContext(forged).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(PrincipalTest, AttachSetsTheMetadataKey) {
  grpc::ClientContext ctx;
  AttachPrincipal(&ctx, Caseworker());
  grpc::testing::ClientContextTestPeer peer(&ctx);
  auto md = peer.GetSendInitialMetadata();
  auto it = md.find(kPrincipalMetadataKey);
  ASSERT_NE(it, md.end());
  auto back = DecodePrincipal(it->second);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->subject(), "user-42");
}

}  // namespace
}  // namespace helhed::auth
