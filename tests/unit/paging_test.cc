// Tests of common/store/paging: page sizes, tamper-checked page tokens, ids.
#include "common/store/paging.h"

#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "common/status/field_violations.h"
#include "gtest/gtest.h"

namespace helhed::store {
namespace {

void ExpectBadField(const absl::Status& s, const std::string& field) {
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  auto fv = FieldViolationsOf(s);
  ASSERT_EQ(fv.size(), 1u) << s;
  EXPECT_EQ(fv[0].field, field);
}

TEST(PageSizeTest, DefaultsAndBounds) {
  EXPECT_EQ(*PageSize(0), kDefaultPageSize);
  EXPECT_EQ(kDefaultPageSize, 50);
  EXPECT_EQ(*PageSize(1), 1);
  EXPECT_EQ(*PageSize(37), 37);
  EXPECT_EQ(*PageSize(500), 500);
  EXPECT_EQ(kMaxPageSize, 500);
  ExpectBadField(PageSize(501).status(), "page.page_size");
  ExpectBadField(PageSize(-1).status(), "page.page_size");
  ExpectBadField(PageSize(1 << 30).status(), "page.page_size");
  ExpectBadField(PageSize(-5, "list.size").status(), "list.size");
}

TEST(PageTokensTest, RoundTrip) {
  PageTokens tokens("secret");
  for (int64_t seq : {int64_t{1}, int64_t{42}, int64_t{1} << 40}) {
    const std::string t = tokens.Encode("plans|p1", seq);
    EXPECT_FALSE(t.empty());
    auto back = tokens.Decode("plans|p1", t);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, seq);
  }
}

TEST(PageTokensTest, EmptyTokenIsTheFirstPage) {
  PageTokens tokens("secret");
  auto first = tokens.Decode("any", "");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, 0);
}

TEST(PageTokensTest, TokenIsUrlSafe) {
  PageTokens tokens("secret");
  for (int64_t seq = 1; seq < 200; ++seq) {
    const std::string t = tokens.Encode("scope", seq);
    for (char c : t) {
      EXPECT_TRUE(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << t;
    }
  }
}

TEST(PageTokensTest, TamperedTokenIsRejected) {
  PageTokens tokens("secret");
  const std::string t = tokens.Encode("plans|p1", 17);
  // Flip every character in turn: none may decode.
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (size_t i = 0; i < t.size(); ++i) {
    std::string bad = t;
    bad[i] = alphabet[(alphabet.find(t[i]) + 1) % alphabet.size()];
    auto d = tokens.Decode("plans|p1", bad);
    if (d.ok()) {
      // Base64 may ignore low bits of the last character; it must then
      // still be the same position.
      EXPECT_EQ(*d, 17) << "position " << i;
      EXPECT_EQ(i, t.size() - 1);
    } else {
      ExpectBadField(d.status(), "page.page_token");
    }
  }
}

TEST(PageTokensTest, ForgedSequenceIsRejected) {
  PageTokens tokens("secret");
  const std::string t = tokens.Encode("plans|p1", 17);
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(t, &raw));
  ASSERT_EQ(raw.substr(0, 3), "17.");
  // Same MAC, another position.
  const std::string forged = absl::WebSafeBase64Escape("18" + raw.substr(2));
  ExpectBadField(tokens.Decode("plans|p1", forged).status(), "page.page_token");
  const std::string zero = absl::WebSafeBase64Escape("0" + raw.substr(2));
  ExpectBadField(tokens.Decode("plans|p1", zero).status(), "page.page_token");
}

TEST(PageTokensTest, GarbageIsRejected) {
  PageTokens tokens("secret");
  ExpectBadField(tokens.Decode("s", "not a token!").status(), "page.page_token");
  ExpectBadField(tokens.Decode("s", "MTc").status(), "page.page_token");  // "17", no MAC
  ExpectBadField(tokens.Decode("s", std::string(400, 'A')).status(), "page.page_token");
  ExpectBadField(tokens.Decode("s", "%%%", "req.page_token").status(), "req.page_token");
}

TEST(PageTokensTest, TokenOfAnotherScopeIsRejected) {
  PageTokens tokens("secret");
  const std::string t = tokens.Encode("plans|policy-a|year:2024", 5);
  ExpectBadField(tokens.Decode("plans|policy-b|year:2024", t).status(), "page.page_token");
  ExpectBadField(tokens.Decode("activities|policy-a|year:2024", t).status(), "page.page_token");
}

TEST(PageTokensTest, ReplicasWithTheSameKeyShareTokens) {
  PageTokens a("shared-key");
  PageTokens b("shared-key");
  PageTokens other("another-key");
  const std::string t = a.Encode("scope", 99);
  EXPECT_EQ(*b.Decode("scope", t), 99);
  ExpectBadField(other.Decode("scope", t).status(), "page.page_token");
}

TEST(PageTokensTest, EmptyKeyPicksARandomKey) {
  PageTokens a("");
  PageTokens b("");
  const std::string t = a.Encode("scope", 3);
  EXPECT_EQ(*a.Decode("scope", t), 3);
  // A token of a process with another random key does not work here.
  ExpectBadField(b.Decode("scope", t).status(), "page.page_token");
}

TEST(NewIdTest, UrlSafeFixedLengthAndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 20000; ++i) {
    const std::string id = NewId();
    ASSERT_EQ(id.size(), 20u) << id;
    for (char c : id) {
      ASSERT_TRUE(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << id;
    }
    ASSERT_TRUE(seen.insert(id).second) << "duplicate id " << id;
  }
}

}  // namespace
}  // namespace helhed::store
