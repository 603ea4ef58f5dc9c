// Tests of common/status/grpc_status: the one mapping between absl::Status
// and grpc::Status, with field violations as google.rpc.BadRequest details.
#include "common/status/grpc_status.h"

#include <string>

#include "absl/status/status.h"
#include "common/status/field_violations.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace helhed {
namespace {

TEST(GrpcStatusTest, OkMapsToOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
}

TEST(GrpcStatusTest, CodesAndMessagesAreKept) {
  const absl::Status cases[] = {
      absl::NotFoundError("plan p1 not found"),
      absl::FailedPreconditionError("stale etag"),
      absl::AlreadyExistsError("exists"),
      absl::PermissionDeniedError("no role"),
      absl::UnauthenticatedError("no principal"),
      absl::UnavailableError("store: no free connection"),
      absl::AbortedError("concurrent update"),
      absl::DeadlineExceededError("too slow"),
      absl::ResourceExhaustedError("rate limit"),
  };
  for (const auto& s : cases) {
    grpc::Status g = ToGrpcStatus(s);
    EXPECT_EQ(static_cast<int>(g.error_code()), static_cast<int>(s.code())) << s;
    EXPECT_EQ(g.error_message(), std::string(s.message()));
    absl::Status back = FromGrpcStatus(g);
    EXPECT_EQ(back.code(), s.code());
    EXPECT_EQ(back.message(), s.message());
  }
}

TEST(GrpcStatusTest, FieldViolationsRoundTripAsBadRequestDetails) {
  FieldViolations v;
  v.Add("plan.period.end_year", "must not be before start_year");
  v.Add("initiative_area.sdg_targets[1].code", "must be an SDG target such as \"10.2\" or \"1.a\"");
  const absl::Status s = v.ToStatus();

  grpc::Status g = ToGrpcStatus(s);
  EXPECT_EQ(g.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(g.error_message(), std::string(s.message()));
  ASSERT_FALSE(g.error_details().empty());

  // What any gRPC client sees: a google.rpc.Status with a BadRequest detail.
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(g.error_details()));
  EXPECT_EQ(details.code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(details.message(), g.error_message());
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad));
  ASSERT_EQ(bad.field_violations_size(), 2);
  EXPECT_EQ(bad.field_violations(0).field(), "plan.period.end_year");
  EXPECT_EQ(bad.field_violations(1).field(), "initiative_area.sdg_targets[1].code");

  // And back, for clients using common/.
  absl::Status back = FromGrpcStatus(g);
  EXPECT_EQ(back.code(), absl::StatusCode::kInvalidArgument);
  auto fv = FieldViolationsOf(back);
  ASSERT_EQ(fv.size(), 2u);
  EXPECT_EQ(fv[0].field, "plan.period.end_year");
  EXPECT_EQ(fv[0].description, "must not be before start_year");
  EXPECT_EQ(fv[1].field, "initiative_area.sdg_targets[1].code");
}

// Whoever built the status: the answer's message and details stay within
// the limits (they travel in trailers of 8 KiB), the first field named.
TEST(GrpcStatusTest, OversizedDetailsAndMessagesAreCapped) {
  google::rpc::BadRequest bad;
  for (int i = 0; i < 5000; ++i) {
    auto* fv = bad.add_field_violations();
    fv->set_field("guide.trainings[" + std::to_string(i) + "].course");
    fv->set_description("is required");
  }
  absl::Status in = absl::InvalidArgumentError(std::string(100000, 'm'));
  in.SetPayload(kBadRequestPayloadUrl, absl::Cord(bad.SerializeAsString()));
  grpc::Status out = ToGrpcStatus(in);
  EXPECT_EQ(out.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_LE(out.error_message().size(), kMaxStatusMessageBytes);
  EXPECT_LE(out.error_details().size(), kMaxStatusMessageBytes + kMaxViolationDetailsBytes + 200);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(out.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::BadRequest back;
  ASSERT_TRUE(details.details(0).UnpackTo(&back));
  ASSERT_GE(back.field_violations_size(), 1);
  EXPECT_LE(static_cast<size_t>(back.field_violations_size()), kMaxReportedViolations);
  EXPECT_EQ(back.field_violations(0).field(), "guide.trainings[0].course");
  // A long message without details is cut as well.
  EXPECT_LE(ToGrpcStatus(absl::NotFoundError(std::string(100000, 'x'))).error_message().size(),
            kMaxStatusMessageBytes);
}

TEST(GrpcStatusTest, InternalAndUnknownMessagesAreReplaced) {
  const std::string leak = "sqlite step: UNIQUE constraint failed: plans.id (SELECT * FROM plans)";
  grpc::Status internal = ToGrpcStatus(absl::InternalError(leak));
  EXPECT_EQ(internal.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_EQ(internal.error_message(), "internal error");
  EXPECT_EQ(internal.error_message().find("sqlite"), std::string::npos);

  grpc::Status unknown = ToGrpcStatus(absl::UnknownError(leak));
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::UNKNOWN);
  EXPECT_EQ(unknown.error_message(), "internal error");
}

TEST(GrpcStatusTest, InternalWithPayloadLeaksNothingInDetailsEither) {
  absl::Status s = absl::InternalError("mysql query: error 1146: table secret_table missing");
  google::rpc::BadRequest bad;
  bad.add_field_violations()->set_field("x");
  s.SetPayload(kBadRequestPayloadUrl, absl::Cord(bad.SerializeAsString()));
  grpc::Status g = ToGrpcStatus(s);
  EXPECT_EQ(g.error_message(), "internal error");
  EXPECT_EQ(g.error_details().find("secret_table"), std::string::npos);
}

TEST(GrpcStatusTest, UnparseableDetailsAreIgnored) {
  grpc::Status g(grpc::StatusCode::INVALID_ARGUMENT, "bad", std::string("\xff\x01junk", 6));
  absl::Status s = FromGrpcStatus(g);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "bad");
  EXPECT_TRUE(FieldViolationsOf(s).empty());
}

}  // namespace
}  // namespace helhed
