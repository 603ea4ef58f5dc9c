// Tests of HELHED_RETURN_IF_ERROR / HELHED_ASSIGN_OR_RETURN.
#include "common/status/status_macros.h"

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace helhed {
namespace {

absl::Status Step(bool fail, int* calls) {
  ++*calls;
  return fail ? absl::NotFoundError("step failed") : absl::OkStatus();
}

absl::Status TwoSteps(bool fail_first, int* calls) {
  HELHED_RETURN_IF_ERROR(Step(fail_first, calls));
  HELHED_RETURN_IF_ERROR(Step(false, calls));
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<std::string>> Make(bool fail) {
  if (fail) {
    return absl::PermissionDeniedError("no");
  }
  return std::make_unique<std::string>("made");
}

absl::StatusOr<std::string> UseTwice(bool fail_second) {
  HELHED_ASSIGN_OR_RETURN(auto a, Make(false));  // move-only value
  HELHED_ASSIGN_OR_RETURN(std::unique_ptr<std::string> b, Make(fail_second));
  return *a + "+" + *b;
}

TEST(StatusMacrosTest, ReturnIfErrorStopsAtTheFirstError) {
  int calls = 0;
  absl::Status s = TwoSteps(true, &calls);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "step failed");
  EXPECT_EQ(calls, 1);
  calls = 0;
  EXPECT_TRUE(TwoSteps(false, &calls).ok());
  EXPECT_EQ(calls, 2);
}

TEST(StatusMacrosTest, AssignOrReturnMovesValueOrReturnsStatus) {
  auto ok = UseTwice(false);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(*ok, "made+made");
  auto bad = UseTwice(true);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace helhed
