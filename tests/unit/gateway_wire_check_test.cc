#include "common/status/field_violations.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/unknown_field_set.h"
#include "google/protobuf/wire_format_lite.h"
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

google::protobuf::UnknownFieldSet* Unknown(google::protobuf::Message* m) {
  return m->GetReflection()->MutableUnknownFields(m);
}

TEST(WireCheckTest, AcceptsAWellFormedRequest) {
  hv1::CreateApplicationRequest req;
  req.mutable_application()->set_citizen_id("c-1");
  req.mutable_application()->set_notes("Bor hos sin søster 🙂");
  req.set_idempotency_key("r-1");
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

// Unknown fields pass no validation and no size limit of a service, and a
// service would store them: refused here, by path and number, at any depth.
TEST(WireCheckTest, RefusesUnknownFieldsNamingThePathAndNumber) {
  const auto* type = hv1::CreateApplicationRequest::descriptor();
  hv1::CreateApplicationRequest req;
  req.mutable_application()->set_citizen_id("c-1");
  req.set_idempotency_key("r-1");
  const std::string good = req.SerializeAsString();
  ASSERT_TRUE(CheckWire(type, good).ok());

  // Field 999 (length-delimited, 1 MB) at the top.
  std::string big;
  google::protobuf::io::StringOutputStream out(&big);
  {
    google::protobuf::io::CodedOutputStream coded(&out);
    google::protobuf::internal::WireFormatLite::WriteString(999, std::string(1 << 20, 'x'), &coded);
  }
  absl::Status s = CheckWire(type, good + big);
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  auto v = FieldViolationsOf(s);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "999");
  EXPECT_NE(v[0].description.find("unknown"), std::string::npos) << v[0].description;

  // Inside the application, and inside a repeated message in it: a varint
  // field 77.
  hv1::CreateApplicationRequest nested = req;
  Unknown(nested.mutable_application())->AddVarint(77, 1);
  v = FieldViolationsOf(CheckWire(type, nested.SerializeAsString()));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "application.77");
  hv1::CreateApplicationRequest deeper = req;
  deeper.mutable_application()->add_preferred_areas()->set_postcode("8900");
  Unknown(deeper.mutable_application()->add_preferred_areas())->AddFixed32(5000, 7);
  v = FieldViolationsOf(CheckWire(type, deeper.SerializeAsString()));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "application.preferred_areas[1].5000");
}

// A known number with a wire type the field cannot have is an unknown field
// to protobuf's parser (it would be kept and stored): refused as well.
TEST(WireCheckTest, RefusesAKnownNumberWithTheWrongWireType) {
  const auto* type = hv1::CreateApplicationRequest::descriptor();
  const int request_id = hv1::CreateApplicationRequest::kIdempotencyKeyFieldNumber;
  hv1::CreateApplicationRequest req;
  Unknown(&req)->AddVarint(request_id, 12);
  absl::Status s = CheckWire(type, req.SerializeAsString());
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  auto v = FieldViolationsOf(s);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, std::to_string(request_id));
  // Packed and unpacked repeated scalars are both the field's own.
  const auto* list = hv1::ListOffersRequest::descriptor();
  EXPECT_TRUE(CheckWire(list, std::string("\x28\x01", 2)).ok());
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
