#include "common/status/field_violations.h"
#include "gtest/gtest.h"
#include "helhed/housing/v1/housing_service.pb.h"
#include "services/gateway/audit/wire_check.h"

namespace helhed::gateway {
namespace {

namespace hv1 = ::helhed::housing::v1;

// Serialises with a string field holding raw bytes: proto3 setters do not
// check UTF-8, serialising does not either (release builds log only).
std::string WithBadString() {
  hv1::CreateApplicationRequest req;
  req.mutable_application()->set_citizen_id("c-1");
  req.mutable_application()->add_preferred_areas()->set_postcode("8900");
  req.mutable_application()->add_preferred_areas()->set_postcode(std::string("89\xff\xfe", 4));
  std::string bytes;
  req.SerializePartialToString(&bytes);
  return bytes;
}

TEST(WireCheckTest, AcceptsAWellFormedRequest) {
  hv1::CreateApplicationRequest req;
  req.mutable_application()->set_citizen_id("c-1");
  req.mutable_application()->set_notes("Bor hos sin søster 🙂");
  req.set_request_id("r-1");
  EXPECT_TRUE(CheckWire(hv1::CreateApplicationRequest::descriptor(), req.SerializeAsString()).ok());
  EXPECT_TRUE(CheckWire(hv1::CreateApplicationRequest::descriptor(), "").ok());
}

TEST(WireCheckTest, NamesTheStringThatIsNotUtf8WithItsIndex) {
  absl::Status s = CheckWire(hv1::CreateApplicationRequest::descriptor(), WithBadString());
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  auto v = FieldViolationsOf(s);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "application.preferred_areas[1].postcode");
}

TEST(WireCheckTest, RefusesBytesThatAreNoMessage) {
  EXPECT_EQ(
      CheckWire(hv1::CreateApplicationRequest::descriptor(), std::string("\x0a\x7f", 2)).code(),
      absl::StatusCode::kInvalidArgument);
}

// Found by tests/fuzz/gateway_fuzz: a truncated or zero tag is no message
// (protobuf refuses it; the backend would have answered INTERNAL).
TEST(WireCheckTest, RefusesATruncatedOrZeroTag) {
  const auto* type = hv1::ListOffersRequest::descriptor();
  EXPECT_EQ(CheckWire(type, std::string("\xc6", 1)).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckWire(type, std::string("\x10\x01\x00", 3)).code(),
            absl::StatusCode::kInvalidArgument);
  // An overlong (six-byte) tag varint.
  EXPECT_EQ(CheckWire(type, std::string("\xed\xff\xc4\xff\xff\x3f\xff\xff\x00\x01", 10)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(CheckWire(type, std::string("\x28\x01", 2)).ok());
}

TEST(WireCheckTest, CitizenIdForm) {
  EXPECT_TRUE(IsCitizenId("demo-730-h1"));
  EXPECT_TRUE(IsCitizenId(std::string(64, 'a')));
  EXPECT_FALSE(IsCitizenId(std::string(65, 'a')));
  EXPECT_FALSE(IsCitizenId(""));
  EXPECT_FALSE(IsCitizenId("c 1"));
  EXPECT_FALSE(IsCitizenId("c';--"));
}

}  // namespace
}  // namespace helhed::gateway
