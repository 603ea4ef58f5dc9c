// Tests of services/gateway/audit/cpr: CPR number checks and the keyed
// pseudonym.
#include <regex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/status/field_violations.h"
#include "gtest/gtest.h"
#include "services/gateway/audit/cpr.h"

namespace helhed::gateway {
namespace {

const std::string kKey = "0123456789abcdef0123456789abcdef";  // 32 bytes

void ExpectValid(const std::string& cpr, const std::string& digits) {
  const auto got = NormalizeCpr(cpr);
  ASSERT_TRUE(got.ok()) << cpr << ": " << got.status();
  EXPECT_EQ(*got, digits);
}

// Invalid, with field "cpr", and without any run of the number's digits in
// the message or the violation.
void ExpectInvalid(const std::string& cpr) {
  const auto got = NormalizeCpr(cpr);
  ASSERT_FALSE(got.ok()) << cpr;
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument) << cpr;
  const std::vector<FieldViolation> v = FieldViolationsOf(got.status());
  ASSERT_EQ(v.size(), 1u) << got.status();
  EXPECT_EQ(v[0].field, "cpr");
  const std::string message(got.status().message());
  for (const char c : message + v[0].description) {
    EXPECT_FALSE(c >= '0' && c <= '9') << "digit in error for " << cpr << ": " << message;
  }
}

TEST(NormalizeCprTest, ValidWithAndWithoutDash) {
  ExpectValid("010190-1234", "0101901234");
  ExpectValid("0101901234", "0101901234");
  ExpectValid("311299-3999", "3112993999");
  ExpectValid("300456-0000", "3004560000");
}

TEST(NormalizeCprTest, WrongLength) {
  ExpectInvalid("");
  ExpectInvalid("010190123");
  ExpectInvalid("01019012345");
  ExpectInvalid("010190-123");
  ExpectInvalid("010190-12345");
  ExpectInvalid("010190--1234");
  ExpectInvalid(" 0101901234");
  ExpectInvalid("0101901234 ");
}

TEST(NormalizeCprTest, WrongCharacters) {
  ExpectInvalid("01019O1234");
  ExpectInvalid("010190-12a4");
  ExpectInvalid("010190 1234");
  ExpectInvalid("010190/1234");
  ExpectInvalid("0101901-234");  // dash in the wrong place
  ExpectInvalid("-0101901234");
  ExpectInvalid("+101901234");
  ExpectInvalid(
      "0101\xc3\xa6"
      "01234");
}

TEST(NormalizeCprTest, ImpossibleDates) {
  ExpectInvalid("310299-1234");  // 31 February
  ExpectInvalid("300299-1234");
  ExpectInvalid("310490-1234");  // 31 April
  ExpectInvalid("320190-1234");
  ExpectInvalid("000190-1234");
  ExpectInvalid("011390-1234");
  ExpectInvalid("010090-1234");
  ExpectInvalid("999999-9999");
  ExpectInvalid("0000000000");
}

TEST(NormalizeCprTest, LeapDays) {
  // 2001 (7th digit 4, YY <= 36) and 1901 (7th digit 0) are not leap years.
  ExpectInvalid("290201-4123");
  ExpectInvalid("290201-0123");
  // 1904 and 2004 are.
  ExpectValid("290204-0123", "2902040123");
  ExpectValid("290204-4123", "2902044123");
  // YY = 00 tells the centuries apart: 2000 is a leap year, 1900 is not.
  ExpectValid("290200-4123", "2902004123");
  ExpectValid("290200-9123", "2902009123");
  for (const char seventh : {'5', '6', '7', '8'}) {
    ExpectValid(std::string("290200-") + seventh + "123", std::string("290200") + seventh + "123");
  }
  for (const char seventh : {'0', '1', '2', '3'}) {
    ExpectInvalid(std::string("290200-") + seventh + "123");
  }
}

TEST(NormalizeCprTest, CenturyEdges) {
  // 4 and 9: 2000s up to YY 36, then 1900s; 5-8: 2000s up to YY 57, then
  // 1800s. Only 29 February 00 shows the century, so the edges are checked
  // to be accepted on ordinary dates and on 29 February of leap years.
  for (const char seventh : {'4', '9'}) {
    ExpectValid(std::string("010136-") + seventh + "000", std::string("010136") + seventh + "000");
    ExpectValid(std::string("010137-") + seventh + "000", std::string("010137") + seventh + "000");
    ExpectValid(std::string("290236-") + seventh + "000", std::string("290236") + seventh + "000");
    ExpectInvalid(std::string("290237-") + seventh + "000");
  }
  for (const char seventh : {'5', '6', '7', '8'}) {
    ExpectValid(std::string("010157-") + seventh + "000", std::string("010157") + seventh + "000");
    ExpectValid(std::string("010158-") + seventh + "000", std::string("010158") + seventh + "000");
    ExpectValid(std::string("290256-") + seventh + "000", std::string("290256") + seventh + "000");
    ExpectValid(std::string("290296-") + seventh + "000", std::string("290296") + seventh + "000");
    ExpectInvalid(std::string("290257-") + seventh + "000");
  }
  for (const char seventh : {'0', '1', '2', '3'}) {
    ExpectValid(std::string("311299-") + seventh + "999", std::string("311299") + seventh + "999");
    ExpectValid(std::string("010100-") + seventh + "999", std::string("010100") + seventh + "999");
  }
}

TEST(CitizenPseudonymTest, Format) {
  const std::string id = CitizenPseudonym(kKey, "0101901234");
  EXPECT_TRUE(std::regex_match(id, std::regex("c[0-9a-f]{32}"))) << id;
}

TEST(CitizenPseudonymTest, KnownAnswer) {
  // The first 16 bytes of HMAC-SHA256(kKey, "0101901234"), as computed by
  // Python's hmac module.
  EXPECT_EQ(CitizenPseudonym(kKey, "0101901234"), "ce626f53b28134003b3155391664ca559");
}

TEST(CitizenPseudonymTest, StableAndDistinct) {
  const std::string a = CitizenPseudonym(kKey, "0101901234");
  EXPECT_EQ(CitizenPseudonym(kKey, "0101901234"), a);
  EXPECT_NE(CitizenPseudonym(kKey, "0101901235"), a);
  std::string other_key = kKey;
  other_key[0] = 'x';
  EXPECT_NE(CitizenPseudonym(other_key, "0101901234"), a);
  EXPECT_NE(CitizenPseudonym(kKey + "more", "0101901234"), a);
  EXPECT_EQ(a.find("0101901234"), std::string::npos);
}

TEST(CitizenPseudonymTest, NormalizedFormsAgree) {
  const auto dashed = NormalizeCpr("010190-1234");
  const auto plain = NormalizeCpr("0101901234");
  ASSERT_TRUE(dashed.ok());
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(CitizenPseudonym(kKey, *dashed), CitizenPseudonym(kKey, *plain));
}

}  // namespace
}  // namespace helhed::gateway
