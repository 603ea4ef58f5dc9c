// Tests of common/status/field_violations.{h,cc}: the BadRequest payload
// carries every violation, in order, and round-trips through the status.
#include "common/status/field_violations.h"

#include <string>

#include "absl/status/status.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"

namespace helhed {
namespace {

TEST(FieldViolationsTest, EmptyIsOk) {
  FieldViolations v;
  EXPECT_TRUE(v.empty());
  EXPECT_TRUE(v.ToStatus().ok());
  EXPECT_TRUE(FieldViolationsOf(v.ToStatus()).empty());
}

TEST(FieldViolationsTest, ToStatusCarriesEveryViolationInOrder) {
  FieldViolations v;
  v.Add("plan.title", "is required");
  v.Add("plan.period.end_year", "must not be before start_year");
  v.Add("plan.target_groups[2]", "is a duplicate");
  absl::Status s = v.ToStatus();
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  auto got = FieldViolationsOf(s);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].field, "plan.title");
  EXPECT_EQ(got[0].description, "is required");
  EXPECT_EQ(got[1].field, "plan.period.end_year");
  EXPECT_EQ(got[1].description, "must not be before start_year");
  EXPECT_EQ(got[2].field, "plan.target_groups[2]");
  // The message names the fields for humans reading logs.
  EXPECT_EQ(s.message(),
            "invalid request: plan.title: is required; plan.period.end_year: must not be before "
            "start_year; plan.target_groups[2]: is a duplicate");
}

TEST(FieldViolationsTest, PayloadIsAGoogleRpcBadRequest) {
  absl::Status s = InvalidField("page.page_token", "is not a page token of this list");
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  auto payload = s.GetPayload(kBadRequestPayloadUrl);
  ASSERT_TRUE(payload.has_value());
  google::rpc::BadRequest bad;
  ASSERT_TRUE(bad.ParseFromString(std::string(*payload)));
  ASSERT_EQ(bad.field_violations_size(), 1);
  EXPECT_EQ(bad.field_violations(0).field(), "page.page_token");
  EXPECT_EQ(bad.field_violations(0).description(), "is not a page token of this list");
}

// 300,000 violations (100,000 bad items with three bad fields each) become
// a status that fits a gRPC answer's trailers with the first fields named,
// and adding them neither keeps them all nor takes long.
TEST(FieldViolationsTest, ManyViolationsAreCappedWithTheFirstNamed) {
  FieldViolations v;
  for (int i = 0; i < 100000; ++i) {
    const std::string item = "guide.trainings[" + std::to_string(i) + "]";
    v.Add(item + ".course", "is required");
    v.Add(item + ".completed_date", "is required");
    v.Add(item + ".valid_until", "is required");
  }
  EXPECT_EQ(v.total(), 300000u);
  EXPECT_EQ(v.violations().size(), kMaxKeptViolations);
  absl::Status s = v.ToStatus();
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  auto got = FieldViolationsOf(s);
  ASSERT_FALSE(got.empty());
  EXPECT_LE(got.size(), kMaxReportedViolations);
  EXPECT_EQ(got[0].field, "guide.trainings[0].course");
  EXPECT_LE(s.GetPayload(kBadRequestPayloadUrl)->size(), kMaxViolationDetailsBytes);
  EXPECT_LE(s.message().size(), kMaxStatusMessageBytes);
  EXPECT_NE(s.message().find("more)"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("guide.trainings[0].course"), std::string::npos) << s.message();
}

// Huge field names and descriptions are cut (at a character boundary); one
// violation is always named.
TEST(FieldViolationsTest, HugeViolationsAreCutButStillNamed) {
  FieldViolations v;
  v.Add(std::string(100000, 'f'), std::string(50000, 'd'));
  v.Add("second", "is bad");
  absl::Status s = v.ToStatus();
  auto got = FieldViolationsOf(s);
  ASSERT_GE(got.size(), 1u);
  EXPECT_EQ(got[0].field.substr(0, 10), std::string(10, 'f'));
  EXPECT_LE(got[0].field.size(), kMaxViolationFieldBytes);
  EXPECT_LE(got[0].description.size(), kMaxViolationDescriptionBytes);
  EXPECT_LE(s.message().size(), kMaxStatusMessageBytes);
  EXPECT_EQ(TruncateUtf8("\xc3\xb8"
                         "abcdef",
                         4),
            "...");  // never half of "ø"
  EXPECT_EQ(TruncateUtf8("ab\xc3\xb8ster", 6), "ab...");
  EXPECT_EQ(TruncateUtf8("abc\xc3\xb8ster", 6), "abc...");
  EXPECT_EQ(TruncateUtf8("short", 6), "short");
}

TEST(FieldViolationsTest, StatusWithoutPayloadHasNoViolations) {
  EXPECT_TRUE(FieldViolationsOf(absl::InvalidArgumentError("plain")).empty());
  absl::Status junk = absl::InvalidArgumentError("junk");
  junk.SetPayload(kBadRequestPayloadUrl, absl::Cord("\xff\xff\xff"));
  EXPECT_TRUE(FieldViolationsOf(junk).empty());
}

}  // namespace
}  // namespace helhed
