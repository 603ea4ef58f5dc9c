// Tests of services/gateway/auth/jwt_verifier: every reason a token is
// refused, RS256 and ES256 tokens, key rotation, and MintToken. Keys are made
// at test time with OpenSSL.
#include <jwt.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/gateway/auth/jwt_verifier.h"
#include "tests/support/test_keys.h"
#include "tests/support/test_store.h"

namespace helhed::gateway {
namespace {

using helhed::common::v1::ROLE_CASEWORKER;
using helhed::common::v1::ROLE_MANAGER;

constexpr char kIssuer[] = "https://idp.test";
constexpr char kAudience[] = "helhed-gateway";

using helhed::testing::KeyPair;
using helhed::testing::NewEcKey;
using helhed::testing::NewRsaKey;

void WriteFile(const std::string& path, const std::string& contents) {
  ASSERT_TRUE(helhed::testing::WriteFile(path, contents)) << path;
}

std::string B64(const std::string& s) {
  std::string out;
  absl::WebSafeBase64Escape(s, &out);
  return out;
}

// Claims as raw JSON values, so a test can remove or garble any of them.
using Claims = std::map<std::string, std::string>;

std::string ClaimsJson(const Claims& claims) {
  std::vector<std::string> fields;
  for (const auto& [name, value] : claims) fields.push_back(absl::StrCat("\"", name, "\":", value));
  return absl::StrCat("{", absl::StrJoin(fields, ","), "}");
}

// Signs `claims` with libjwt directly (any alg, any key, kid optional).
std::string SignRaw(jwt_alg_t alg, const std::string& key, const std::string& kid,
                    const Claims& claims) {
  jwt_t* jwt = nullptr;
  EXPECT_EQ(jwt_new(&jwt), 0);
  EXPECT_EQ(jwt_add_grants_json(jwt, ClaimsJson(claims).c_str()), 0);
  if (!kid.empty()) {
    EXPECT_EQ(jwt_add_header(jwt, "kid", kid.c_str()), 0);
  }
  EXPECT_EQ(jwt_set_alg(jwt, alg, reinterpret_cast<const unsigned char*>(key.data()),
                        static_cast<int>(key.size())),
            0);
  char* token = jwt_encode_str(jwt);
  EXPECT_NE(token, nullptr);
  std::string out = token == nullptr ? "" : token;
  std::free(token);  // libjwt 1.10 has no jwt_free_str
  jwt_free(jwt);
  return out;
}

std::string Bearer(const std::string& token) { return "Bearer " + token; }

class JwtVerifierTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rsa_ = new KeyPair(NewRsaKey());
    ec_ = new KeyPair(NewEcKey());
    other_ = new KeyPair(NewRsaKey());
  }
  static void TearDownTestSuite() {
    delete rsa_;
    delete ec_;
    delete other_;
  }

  void SetUp() override {
    dir_ = helhed::testing::TempDir();
    WriteFile(dir_ + "/rsa1.pem", rsa_->public_pem);
    WriteFile(dir_ + "/ec1.pem", ec_->public_pem);
    JwtConfig config;
    config.keys_dir = dir_;
    config.issuer = kIssuer;
    config.audience = kAudience;
    auto verifier = JwtVerifier::Create(config);
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = *std::move(verifier);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  Claims Good() const {
    return {{"iss", absl::StrCat("\"", kIssuer, "\"")},
            {"aud", absl::StrCat("\"", kAudience, "\"")},
            {"sub", "\"user-42\""},
            {"municipality", "\"730\""},
            {"roles", "[\"caseworker\",\"manager\"]"},
            {"iat", absl::StrCat(absl::ToUnixSeconds(now_) - 60)},
            {"exp", absl::StrCat(absl::ToUnixSeconds(now_) + 600)}};
  }
  std::string Rs(const Claims& claims, const std::string& kid = "rsa1") const {
    return SignRaw(JWT_ALG_RS256, rsa_->private_pem, kid, claims);
  }
  VerifyResult VerifyToken(const std::string& token) const {
    return verifier_->Verify(Bearer(token), now_);
  }
  void ExpectRefused(const std::string& token, AuthFailure want) const {
    const VerifyResult r = VerifyToken(token);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(AuthFailureName(r.failure), std::string(AuthFailureName(want)));
  }
  void ExpectRefusedClaims(const Claims& claims, AuthFailure want) const {
    ExpectRefused(Rs(claims), want);
  }

  static KeyPair* rsa_;
  static KeyPair* ec_;
  static KeyPair* other_;
  std::string dir_;
  std::unique_ptr<JwtVerifier> verifier_;
  const absl::Time now_ = absl::FromUnixSeconds(1750000000);
};

KeyPair* JwtVerifierTest::rsa_ = nullptr;
KeyPair* JwtVerifierTest::ec_ = nullptr;
KeyPair* JwtVerifierTest::other_ = nullptr;

TEST_F(JwtVerifierTest, LoadsEveryKey) { EXPECT_EQ(verifier_->key_count(), 2); }

TEST_F(JwtVerifierTest, AcceptsRs256) {
  const VerifyResult r = VerifyToken(Rs(Good()));
  ASSERT_TRUE(r.ok) << AuthFailureName(r.failure);
  EXPECT_EQ(r.principal.subject(), "user-42");
  EXPECT_EQ(r.principal.municipality_code(), "730");
  ASSERT_EQ(r.principal.roles_size(), 2);
  EXPECT_EQ(r.principal.roles(0), ROLE_CASEWORKER);
  EXPECT_EQ(r.principal.roles(1), ROLE_MANAGER);
}

TEST_F(JwtVerifierTest, AcceptsEs256) {
  const VerifyResult r = VerifyToken(SignRaw(JWT_ALG_ES256, ec_->private_pem, "ec1", Good()));
  ASSERT_TRUE(r.ok) << AuthFailureName(r.failure);
  EXPECT_EQ(r.principal.subject(), "user-42");
  EXPECT_EQ(r.principal.municipality_code(), "730");
  EXPECT_EQ(r.principal.roles_size(), 2);
}

TEST_F(JwtVerifierTest, BearerSchemeIsCaseInsensitive) {
  EXPECT_TRUE(verifier_->Verify("bearer " + Rs(Good()), now_).ok);
}

TEST_F(JwtVerifierTest, RefusesMissingHeader) {
  const VerifyResult r = verifier_->Verify("", now_);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.failure, AuthFailure::kMissing);
  EXPECT_EQ(verifier_->Verify("Bearer   ", now_).failure, AuthFailure::kMissing);
}

TEST_F(JwtVerifierTest, RefusesOtherSchemes) {
  const VerifyResult r = verifier_->Verify("Basic dXNlcjpwYXNz", now_);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.failure, AuthFailure::kMissing);
  // The token itself without a scheme.
  EXPECT_EQ(verifier_->Verify(Rs(Good()), now_).failure, AuthFailure::kMissing);
}

TEST_F(JwtVerifierTest, RefusesGarbage) {
  ExpectRefused("garbage", AuthFailure::kMalformed);
  ExpectRefused("a.b", AuthFailure::kMalformed);
  ExpectRefused("a.b.c.d", AuthFailure::kMalformed);
  ExpectRefused("!!!.???.sig", AuthFailure::kMalformed);
  ExpectRefused(B64("not json") + "." + B64("{}") + ".c2ln", AuthFailure::kMalformed);
  ExpectRefused(B64("{\"alg\":\"RS256\",\"kid\":\"rsa1\"}") + "." + B64("[1,2]") + ".c2ln",
                AuthFailure::kMalformed);
  ExpectRefused(std::string(20000, 'a'), AuthFailure::kMalformed);
}

TEST_F(JwtVerifierTest, RefusesAlgNone) {
  const std::string payload = B64(ClaimsJson(Good()));
  ExpectRefused(B64("{\"alg\":\"none\"}") + "." + payload + ".", AuthFailure::kAlgorithm);
  ExpectRefused(B64("{\"alg\":\"none\",\"kid\":\"rsa1\"}") + "." + payload + ".",
                AuthFailure::kAlgorithm);
  ExpectRefused(B64("{\"alg\":\"None\",\"kid\":\"rsa1\"}") + "." + payload + ".",
                AuthFailure::kAlgorithm);
  ExpectRefused(B64("{\"kid\":\"rsa1\"}") + "." + payload + ".", AuthFailure::kAlgorithm);
}

TEST_F(JwtVerifierTest, RefusesHs256SignedWithThePublicKey) {
  // The key-confusion attack: an HMAC token whose secret is our public PEM.
  const std::string token = SignRaw(JWT_ALG_HS256, rsa_->public_pem, "rsa1", Good());
  // libjwt on its own would accept it, which is why the verifier checks the
  // alg before handing libjwt a key.
  jwt_t* jwt = nullptr;
  EXPECT_EQ(jwt_decode(&jwt, token.c_str(),
                       reinterpret_cast<const unsigned char*>(rsa_->public_pem.data()),
                       static_cast<int>(rsa_->public_pem.size())),
            0);
  jwt_free(jwt);
  ExpectRefused(token, AuthFailure::kAlgorithm);
  ExpectRefused(SignRaw(JWT_ALG_HS512, ec_->public_pem, "ec1", Good()), AuthFailure::kAlgorithm);
}

TEST_F(JwtVerifierTest, RefusesOtherAsymmetricAlgs) {
  ExpectRefused(SignRaw(JWT_ALG_RS512, rsa_->private_pem, "rsa1", Good()), AuthFailure::kAlgorithm);
}

TEST_F(JwtVerifierTest, RefusesUnknownKid) {
  ExpectRefused(Rs(Good(), "nobody"), AuthFailure::kUnknownKey);
}

TEST_F(JwtVerifierTest, RefusesMissingKid) {
  ExpectRefused(Rs(Good(), ""), AuthFailure::kUnknownKey);
}

TEST_F(JwtVerifierTest, RefusesAnotherKeyUnderOurKid) {
  ExpectRefused(SignRaw(JWT_ALG_RS256, other_->private_pem, "rsa1", Good()),
                AuthFailure::kSignature);
}

TEST_F(JwtVerifierTest, RefusesAlgThatDoesNotFitTheKey) {
  // An RSA signature presented under the EC key, and the other way round.
  ExpectRefused(Rs(Good(), "ec1"), AuthFailure::kSignature);
  ExpectRefused(SignRaw(JWT_ALG_ES256, ec_->private_pem, "rsa1", Good()), AuthFailure::kSignature);
}

TEST_F(JwtVerifierTest, RefusesTamperedOrUnsignedTokens) {
  const std::string token = Rs(Good());
  const size_t dot = token.rfind('.');
  // Our own signed header, a payload of the attacker's, the old signature.
  Claims forged = Good();
  forged["municipality"] = "\"101\"";
  const size_t first_dot = token.find('.');
  ExpectRefused(token.substr(0, first_dot) + "." + B64(ClaimsJson(forged)) + token.substr(dot),
                AuthFailure::kSignature);
  ExpectRefused(token.substr(0, dot + 1), AuthFailure::kSignature);
}

// Found by tests/fuzz/gateway_parsers_fuzz: libjwt skips bytes its base64
// decoder does not know, so our valid token with a stray byte in the
// signature verified. One token has one spelling.
TEST_F(JwtVerifierTest, RefusesAValidTokenSpelledDifferently) {
  for (const std::string& token :
       {Rs(Good()), SignRaw(JWT_ALG_ES256, ec_->private_pem, "ec1", Good())}) {
    ASSERT_TRUE(VerifyToken(token).ok);
    const size_t dot = token.rfind('.');
    const std::string head = token.substr(0, dot + 1);
    const std::string sig = token.substr(dot + 1);
    for (const std::string& stray : {std::string("\xb9"), std::string("="), std::string(" "),
                                     std::string("+"), std::string("/"), std::string("\n")}) {
      ExpectRefused(head + sig.substr(0, 10) + stray + sig.substr(10), AuthFailure::kMalformed);
    }
    ExpectRefused(head + sig + "=", AuthFailure::kMalformed);
    // The same bytes with stray bits in the last character (86 characters
    // of ES256 and 342 of RS256 leave two unused bits).
    std::string bits = sig;
    std::string decoded;
    ASSERT_TRUE(absl::WebSafeBase64Unescape(sig, &decoded));
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    bits.back() = alphabet[alphabet.find(sig.back()) ^ 1];
    std::string decoded_again;
    ASSERT_TRUE(absl::WebSafeBase64Unescape(bits, &decoded_again));
    ASSERT_EQ(decoded_again, decoded);  // the same signature, spelled otherwise
    ExpectRefused(head + bits, AuthFailure::kMalformed);
    // And in the header or the payload.
    const size_t first = token.find('.');
    ExpectRefused(token.substr(0, 5) + "\xb9" + token.substr(5), AuthFailure::kMalformed);
    ExpectRefused(token.substr(0, first + 5) + "\xb9" + token.substr(first + 5),
                  AuthFailure::kMalformed);
  }
}

TEST_F(JwtVerifierTest, RefusesExpired) {
  Claims c = Good();
  c["exp"] = absl::StrCat(absl::ToUnixSeconds(now_) - 60);
  ExpectRefusedClaims(c, AuthFailure::kExpired);
  c["exp"] = absl::StrCat(absl::ToUnixSeconds(now_) - 30);  // now == exp + leeway
  ExpectRefusedClaims(c, AuthFailure::kExpired);
}

TEST_F(JwtVerifierTest, RefusesMissingOrBadExp) {
  Claims c = Good();
  c.erase("exp");
  ExpectRefusedClaims(c, AuthFailure::kExpired);
  c["exp"] = absl::StrCat("\"", absl::ToUnixSeconds(now_) + 600, "\"");
  ExpectRefusedClaims(c, AuthFailure::kExpired);
}

TEST_F(JwtVerifierTest, AcceptsWithinLeeway) {
  Claims c = Good();
  c["exp"] = absl::StrCat(absl::ToUnixSeconds(now_) - 10);
  EXPECT_TRUE(VerifyToken(Rs(c)).ok);
  c = Good();
  c["nbf"] = absl::StrCat(absl::ToUnixSeconds(now_) + 10);
  EXPECT_TRUE(VerifyToken(Rs(c)).ok);
}

TEST_F(JwtVerifierTest, RefusesNotYetValid) {
  Claims c = Good();
  c["nbf"] = absl::StrCat(absl::ToUnixSeconds(now_) + 120);
  ExpectRefusedClaims(c, AuthFailure::kNotYetValid);
  c["nbf"] = "\"soon\"";
  ExpectRefusedClaims(c, AuthFailure::kNotYetValid);
  c["nbf"] = absl::StrCat(absl::ToUnixSeconds(now_) - 120);
  EXPECT_TRUE(VerifyToken(Rs(c)).ok);
}

TEST_F(JwtVerifierTest, RefusesWrongIssuer) {
  Claims c = Good();
  c["iss"] = "\"https://evil.test\"";
  ExpectRefusedClaims(c, AuthFailure::kIssuer);
  c.erase("iss");
  ExpectRefusedClaims(c, AuthFailure::kIssuer);
}

TEST_F(JwtVerifierTest, RefusesWrongAudience) {
  Claims c = Good();
  c["aud"] = "\"another-api\"";
  ExpectRefusedClaims(c, AuthFailure::kAudience);
  c["aud"] = "[\"another-api\",\"more\"]";
  ExpectRefusedClaims(c, AuthFailure::kAudience);
  c.erase("aud");
  ExpectRefusedClaims(c, AuthFailure::kAudience);
}

TEST_F(JwtVerifierTest, AcceptsAudienceArrayContainingOurs) {
  Claims c = Good();
  c["aud"] = absl::StrCat("[\"another-api\",\"", kAudience, "\"]");
  EXPECT_TRUE(VerifyToken(Rs(c)).ok);
}

TEST_F(JwtVerifierTest, RefusesMissingOrBadSubject) {
  Claims c = Good();
  c.erase("sub");
  ExpectRefusedClaims(c, AuthFailure::kClaims);
  c["sub"] = "\"\"";
  ExpectRefusedClaims(c, AuthFailure::kClaims);
  c["sub"] = absl::StrCat("\"", std::string(129, 'x'), "\"");
  ExpectRefusedClaims(c, AuthFailure::kClaims);
  c["sub"] = "42";
  ExpectRefusedClaims(c, AuthFailure::kClaims);
}

TEST_F(JwtVerifierTest, RefusesBadMunicipality) {
  Claims c = Good();
  for (const std::string bad : {"\"73\"", "\"7300\"", "\"7a0\"", "730", "\"\""}) {
    c["municipality"] = bad;
    ExpectRefusedClaims(c, AuthFailure::kClaims);
  }
  c.erase("municipality");
  ExpectRefusedClaims(c, AuthFailure::kClaims);
}

TEST_F(JwtVerifierTest, IgnoresUnknownRolesButNeedsOne) {
  Claims c = Good();
  c["roles"] = "[\"wizard\",\"caseworker\",\"caseworker\",7]";
  const VerifyResult r = VerifyToken(Rs(c));
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.principal.roles_size(), 1);
  EXPECT_EQ(r.principal.roles(0), ROLE_CASEWORKER);

  c["roles"] = "[\"wizard\",\"CASEWORKER\",\"unspecified\"]";
  ExpectRefusedClaims(c, AuthFailure::kClaims);
  c["roles"] = "[]";
  ExpectRefusedClaims(c, AuthFailure::kClaims);
  c["roles"] = "\"caseworker\"";
  ExpectRefusedClaims(c, AuthFailure::kClaims);
  c.erase("roles");
  ExpectRefusedClaims(c, AuthFailure::kClaims);
}

TEST_F(JwtVerifierTest, ReloadPicksUpNewKeysAndDropsRemovedOnes) {
  const KeyPair next = NewEcKey();
  const std::string new_token = SignRaw(JWT_ALG_ES256, next.private_pem, "2025-next", Good());
  ExpectRefused(new_token, AuthFailure::kUnknownKey);

  WriteFile(dir_ + "/2025-next.pem", next.public_pem);
  ASSERT_TRUE(verifier_->Reload().ok());
  EXPECT_EQ(verifier_->key_count(), 3);
  EXPECT_TRUE(VerifyToken(new_token).ok);

  const std::string old_token = Rs(Good());
  EXPECT_TRUE(VerifyToken(old_token).ok);
  std::filesystem::remove(dir_ + "/rsa1.pem");
  ASSERT_TRUE(verifier_->Reload().ok());
  EXPECT_EQ(verifier_->key_count(), 2);
  ExpectRefused(old_token, AuthFailure::kUnknownKey);
  EXPECT_TRUE(VerifyToken(new_token).ok);
}

TEST_F(JwtVerifierTest, FailedReloadKeepsTheKeysInUse) {
  WriteFile(dir_ + "/broken.pem", "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n");
  const absl::Status status = verifier_->Reload();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("broken.pem"), std::string::npos) << status;
  EXPECT_EQ(verifier_->key_count(), 2);
  EXPECT_TRUE(VerifyToken(Rs(Good())).ok);
}

TEST_F(JwtVerifierTest, MintTokenRoundTrips) {
  MintOptions options;
  options.kid = "rsa1";
  options.issuer = kIssuer;
  options.audience = kAudience;
  options.subject = "dev \"user\"";
  options.municipality = "101";
  options.roles = {"manager", "auditor"};
  options.issued_at = now_ - absl::Minutes(1);
  options.lifetime = absl::Minutes(10);

  options.private_key_pem = rsa_->private_pem;
  absl::StatusOr<std::string> token = MintToken(options);
  ASSERT_TRUE(token.ok()) << token.status();
  VerifyResult r = VerifyToken(*token);
  ASSERT_TRUE(r.ok) << AuthFailureName(r.failure);
  EXPECT_EQ(r.principal.subject(), "dev \"user\"");
  EXPECT_EQ(r.principal.municipality_code(), "101");
  ASSERT_EQ(r.principal.roles_size(), 2);
  EXPECT_EQ(r.principal.roles(0), ROLE_MANAGER);
  EXPECT_EQ(r.principal.roles(1), helhed::common::v1::ROLE_AUDITOR);
  // Expired after its lifetime.
  EXPECT_EQ(verifier_->Verify(Bearer(*token), now_ + absl::Minutes(10)).failure,
            AuthFailure::kExpired);

  options.private_key_pem = ec_->private_pem;
  options.kid = "ec1";
  options.not_before = now_ + absl::Minutes(5);
  token = MintToken(options);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(VerifyToken(*token).failure, AuthFailure::kNotYetValid);
  EXPECT_TRUE(verifier_->Verify(Bearer(*token), now_ + absl::Minutes(5)).ok);
}

TEST_F(JwtVerifierTest, MintTokenRefusesBadKeys) {
  MintOptions options;
  options.kid = "x";
  options.private_key_pem = "not a key";
  EXPECT_FALSE(MintToken(options).ok());
  options.private_key_pem = rsa_->public_pem;
  EXPECT_FALSE(MintToken(options).ok());
}

TEST(JwtVerifierCreateTest, FailsOnAnEmptyDirectory) {
  JwtConfig config;
  config.keys_dir = helhed::testing::TempDir();
  auto verifier = JwtVerifier::Create(config);
  ASSERT_FALSE(verifier.ok());
  EXPECT_EQ(verifier.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(verifier.status().message().find(config.keys_dir), std::string::npos);
  WriteFile(config.keys_dir + "/README", "not a key, not *.pem");
  EXPECT_FALSE(JwtVerifier::Create(config).ok());
  std::filesystem::remove_all(config.keys_dir);
}

TEST(JwtVerifierCreateTest, FailsOnAMissingDirectory) {
  JwtConfig config;
  config.keys_dir = "/nonexistent/helhed/keys";
  auto verifier = JwtVerifier::Create(config);
  ASSERT_FALSE(verifier.ok());
  EXPECT_EQ(verifier.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(JwtVerifierCreateTest, FailsOnABadPemNamingTheFile) {
  JwtConfig config;
  config.keys_dir = helhed::testing::TempDir();
  const KeyPair good = NewEcKey();
  WriteFile(config.keys_dir + "/a-good.pem", good.public_pem);
  WriteFile(config.keys_dir + "/z-bad.pem", "hello\n");
  auto verifier = JwtVerifier::Create(config);
  ASSERT_FALSE(verifier.ok());
  EXPECT_EQ(verifier.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(verifier.status().message().find("z-bad.pem"), std::string::npos) << verifier.status();

  // A private key where a public one belongs is refused too.
  WriteFile(config.keys_dir + "/z-bad.pem", good.private_pem);
  verifier = JwtVerifier::Create(config);
  ASSERT_FALSE(verifier.ok());
  EXPECT_NE(verifier.status().message().find("z-bad.pem"), std::string::npos);
  std::filesystem::remove_all(config.keys_dir);
}

TEST(AuthFailureNameTest, NamesEveryFailure) {
  EXPECT_STREQ(AuthFailureName(AuthFailure::kMissing), "missing");
  EXPECT_STREQ(AuthFailureName(AuthFailure::kMalformed), "malformed");
  EXPECT_STREQ(AuthFailureName(AuthFailure::kAlgorithm), "algorithm");
  EXPECT_STREQ(AuthFailureName(AuthFailure::kUnknownKey), "unknown_key");
  EXPECT_STREQ(AuthFailureName(AuthFailure::kSignature), "signature");
  EXPECT_STREQ(AuthFailureName(AuthFailure::kExpired), "expired");
  EXPECT_STREQ(AuthFailureName(AuthFailure::kNotYetValid), "not_yet_valid");
  EXPECT_STREQ(AuthFailureName(AuthFailure::kIssuer), "issuer");
  EXPECT_STREQ(AuthFailureName(AuthFailure::kAudience), "audience");
  EXPECT_STREQ(AuthFailureName(AuthFailure::kClaims), "claims");
}

}  // namespace
}  // namespace helhed::gateway

namespace helhed::gateway {
namespace {

// A token seen before skips the signature check, never the time window.
TEST_F(JwtVerifierTest, ARememberedTokenStillExpiresAndWaitsForNbf) {
  Claims c = Good();
  c["nbf"] = absl::StrCat(absl::ToUnixSeconds(now_) - 10);
  const std::string token = Rs(c);
  ASSERT_TRUE(verifier_->Verify(Bearer(token), now_).ok);
  ASSERT_TRUE(verifier_->Verify(Bearer(token), now_ + absl::Seconds(100)).ok);
  const VerifyResult late = verifier_->Verify(Bearer(token), now_ + absl::Minutes(11));
  EXPECT_FALSE(late.ok);
  EXPECT_EQ(std::string(AuthFailureName(late.failure)), "expired");
  const VerifyResult early = verifier_->Verify(Bearer(token), now_ - absl::Minutes(5));
  EXPECT_FALSE(early.ok);
  EXPECT_EQ(std::string(AuthFailureName(early.failure)), "not_yet_valid");
  // A tampered copy of a remembered token is checked in full.
  std::string tampered = token;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verifier_->Verify(Bearer(tampered), now_).ok);
}

}  // namespace
}  // namespace helhed::gateway
