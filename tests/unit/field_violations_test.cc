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

TEST(FieldViolationsTest, StatusWithoutPayloadHasNoViolations) {
  EXPECT_TRUE(FieldViolationsOf(absl::InvalidArgumentError("plain")).empty());
  absl::Status junk = absl::InvalidArgumentError("junk");
  junk.SetPayload(kBadRequestPayloadUrl, absl::Cord("\xff\xff\xff"));
  EXPECT_TRUE(FieldViolationsOf(junk).empty());
}

}  // namespace
}  // namespace helhed
