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
  for (int64_t seq : {int64_t{1}, int64_t{42}, int64_t{1} << 40, INT64_MAX}) {
    const std::string t = tokens.Encode("730", "plans|p1", seq);
    EXPECT_FALSE(t.empty());
    auto back = tokens.Decode("730", "plans|p1", t);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, seq);
  }
}

TEST(PageTokensTest, EmptyTokenIsTheFirstPage) {
  PageTokens tokens("secret");
  auto first = tokens.Decode("730", "any", "");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, 0);
}

TEST(PageTokensTest, TokenIsUrlSafe) {
  PageTokens tokens("secret");
  for (int64_t seq = 1; seq < 200; ++seq) {
    const std::string t = tokens.Encode("730", "scope", seq);
    for (char c : t) {
      EXPECT_TRUE(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << t;
    }
  }
}

TEST(PageTokensTest, TamperedTokenIsRejected) {
  PageTokens tokens("secret");
  const std::string t = tokens.Encode("730", "plans|p1", 17);
  // Change every character in turn: none may decode, not even where
  // base64 would ignore the low bits of the last character (one spelling
  // per token).
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (size_t i = 0; i < t.size(); ++i) {
    for (size_t step = 1; step < alphabet.size(); step += 7) {
      std::string bad = t;
      bad[i] = alphabet[(alphabet.find(t[i]) + step) % alphabet.size()];
      ExpectBadField(tokens.Decode("730", "plans|p1", bad).status(), "page.page_token");
    }
  }
  // Every single bit of the decoded bytes.
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(t, &raw));
  for (size_t i = 0; i < raw.size() * 8; ++i) {
    std::string flipped = raw;
    flipped[i / 8] = static_cast<char>(flipped[i / 8] ^ (1 << (i % 8)));
    ExpectBadField(tokens.Decode("730", "plans|p1", absl::WebSafeBase64Escape(flipped)).status(),
                   "page.page_token");
  }
  // Cut short or lengthened.
  ExpectBadField(
      tokens.Decode("730", "plans|p1", absl::WebSafeBase64Escape(raw.substr(1))).status(),
      "page.page_token");
  ExpectBadField(tokens.Decode("730", "plans|p1", absl::WebSafeBase64Escape(raw + "x")).status(),
                 "page.page_token");
}

// The token reveals nothing: not the row number in any spelling, and the
// same row number gives unrelated tokens in other lists or municipalities.
TEST(PageTokensTest, TokenDoesNotRevealTheSequence) {
  PageTokens tokens("secret");
  for (int64_t seq : {int64_t{17}, int64_t{4711}, int64_t{123456789}}) {
    const std::string t = tokens.Encode("730", "plans|p1", seq);
    std::string raw;
    ASSERT_TRUE(absl::WebSafeBase64Unescape(t, &raw));
    EXPECT_EQ(raw.find(std::to_string(seq)), std::string::npos) << seq;
    std::string big_endian(8, '\0');
    std::string little_endian(8, '\0');
    for (int i = 0; i < 8; ++i) {
      big_endian[7 - i] = static_cast<char>((seq >> (8 * i)) & 0xff);
      little_endian[i] = static_cast<char>((seq >> (8 * i)) & 0xff);
    }
    // The significant bytes of the number do not appear as such.
    const int significant = seq < 256 ? 1 : (seq < 65536 ? 2 : 4);
    if (significant > 1) {
      EXPECT_EQ(raw.find(big_endian.substr(8 - significant)), std::string::npos) << seq;
      EXPECT_EQ(raw.find(little_endian.substr(0, significant)), std::string::npos) << seq;
    }
    EXPECT_EQ(t.find(std::to_string(seq)), std::string::npos) << seq;
  }
  // Neighbouring positions share nothing recognisable.
  const std::string a = tokens.Encode("730", "plans|p1", 17);
  const std::string b = tokens.Encode("730", "plans|p1", 18);
  int same = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) same += a[i] == b[i];
  EXPECT_LT(same, 10) << a << " " << b;
  EXPECT_NE(tokens.Encode("810", "plans|p1", 17), a);
  EXPECT_NE(tokens.Encode("730", "plans|p2", 17), a);
}

TEST(PageTokensTest, ForgedSequenceIsRejected) {
  PageTokens tokens("secret");
  const std::string t17 = tokens.Encode("730", "plans|p1", 17);
  const std::string t18 = tokens.Encode("730", "plans|p1", 18);
  std::string raw17;
  std::string raw18;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(t17, &raw17));
  ASSERT_TRUE(absl::WebSafeBase64Unescape(t18, &raw18));
  ASSERT_EQ(raw17.size(), raw18.size());
  // One token's tag with another's ciphertext, and the reverse.
  const size_t cut = raw17.size() - 8;
  ExpectBadField(tokens
                     .Decode("730", "plans|p1",
                             absl::WebSafeBase64Escape(raw17.substr(0, cut) + raw18.substr(cut)))
                     .status(),
                 "page.page_token");
  ExpectBadField(tokens
                     .Decode("730", "plans|p1",
                             absl::WebSafeBase64Escape(raw18.substr(0, cut) + raw17.substr(cut)))
                     .status(),
                 "page.page_token");
  // A token of the old readable form ("<seq>.<mac>") is refused.
  ExpectBadField(
      tokens.Decode("730", "plans|p1", absl::WebSafeBase64Escape("17.0123456789abcdef")).status(),
      "page.page_token");
}

TEST(PageTokensTest, GarbageIsRejected) {
  PageTokens tokens("secret");
  ExpectBadField(tokens.Decode("730", "s", "not a token!").status(), "page.page_token");
  ExpectBadField(tokens.Decode("730", "s", "MTc").status(), "page.page_token");  // "17", no MAC
  ExpectBadField(tokens.Decode("730", "s", std::string(400, 'A')).status(), "page.page_token");
  ExpectBadField(tokens.Decode("730", "s", std::string(34, 'A')).status(), "page.page_token");
  ExpectBadField(tokens.Decode("730", "s", "%%%", "req.page_token").status(), "req.page_token");
}

TEST(PageTokensTest, TokenOfAnotherScopeIsRejected) {
  PageTokens tokens("secret");
  const std::string t = tokens.Encode("730", "plans|policy-a|year:2024", 5);
  ExpectBadField(tokens.Decode("730", "plans|policy-b|year:2024", t).status(), "page.page_token");
  ExpectBadField(tokens.Decode("730", "activities|policy-a|year:2024", t).status(),
                 "page.page_token");
}

// A token is bound to the municipality it was issued to: replayed by a
// caller of another municipality (same list, same filters) it is refused.
TEST(PageTokensTest, TokenOfAnotherMunicipalityIsRejected) {
  PageTokens tokens("secret");
  const std::string t = tokens.Encode("730", "plans|policy-a", 5);
  EXPECT_EQ(*tokens.Decode("730", "plans|policy-a", t), 5);
  ExpectBadField(tokens.Decode("810", "plans|policy-a", t).status(), "page.page_token");
  ExpectBadField(tokens.Decode("", "plans|policy-a", t).status(), "page.page_token");
  // The boundary between municipality and scope cannot be shifted.
  const std::string u = tokens.Encode("73", "0|plans", 5);
  ExpectBadField(tokens.Decode("730", "|plans", u).status(), "page.page_token");
  ExpectBadField(tokens.Decode("7", "30|plans", u).status(), "page.page_token");
}

TEST(PageTokensTest, ReplicasWithTheSameKeyShareTokens) {
  PageTokens a("shared-key");
  PageTokens b("shared-key");
  PageTokens other("another-key");
  const std::string t = a.Encode("730", "scope", 99);
  EXPECT_EQ(*b.Decode("730", "scope", t), 99);
  EXPECT_EQ(b.Encode("730", "scope", 99), t);
  ExpectBadField(other.Decode("730", "scope", t).status(), "page.page_token");
}

TEST(PageTokensTest, EmptyKeyPicksARandomKey) {
  PageTokens a("");
  PageTokens b("");
  const std::string t = a.Encode("730", "scope", 3);
  EXPECT_EQ(*a.Decode("730", "scope", t), 3);
  // A token of a process with another random key does not work here.
  ExpectBadField(b.Decode("730", "scope", t).status(), "page.page_token");
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
