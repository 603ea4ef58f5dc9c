// Tests of common/audit/citizen_fields: finding citizen ids and records
// about one citizen in messages through the (helhed.common.v1.citizen_ref)
// and (helhed.common.v1.citizen_record) field options.
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/audit/citizen_fields.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "gtest/gtest.h"
#include "helhed/common/v1/common.pb.h"
#include "helhed/gateway/v1/gateway_service.pb.h"
#include "helhed/housing/v1/housing_service.pb.h"
#include "helhed/plans/v1/plans_service.pb.h"

namespace helhed::audit {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptorProto;
using google::protobuf::Message;
using Refs = std::vector<std::string>;

TEST(CitizenRefsTest, FoundInRequest) {
  helhed::housing::v1::ListApplicationsRequest req;
  req.mutable_page()->set_page_size(10);
  req.set_citizen_id("c0123");
  EXPECT_EQ(CitizenRefs(req), Refs{"c0123"});
}

TEST(CitizenRefsTest, NoneInEmptyRequest) {
  helhed::housing::v1::ListApplicationsRequest req;
  req.mutable_page()->set_page_token("t");
  EXPECT_TRUE(CitizenRefs(req).empty());
}

TEST(CitizenRefsTest, RepeatedResponseSortedUniqueNonEmpty) {
  helhed::housing::v1::ListApplicationsResponse resp;
  for (const char* id : {"cb", "ca", "cb", "", "cc"}) {
    helhed::housing::v1::Application* app = resp.add_applications();
    app->set_id(std::string("app-") + id);
    app->set_citizen_id(id);
    app->set_notes("not a citizen id");
  }
  resp.mutable_page()->set_next_page_token("next");
  EXPECT_EQ(CitizenRefs(resp), (Refs{"ca", "cb", "cc"}));
}

TEST(CitizenRefsTest, SingularNestedResponse) {
  helhed::housing::v1::GetOfferResponse resp;
  resp.mutable_offer()->set_id("o1");
  resp.mutable_offer()->set_citizen_id("c9");
  resp.mutable_offer()->set_unit_id("u1");
  EXPECT_EQ(CitizenRefs(resp), Refs{"c9"});
}

TEST(CitizenRefsTest, CitizenOverviewDeepNesting) {
  helhed::gateway::v1::GetCitizenOverviewResponse resp;
  helhed::gateway::v1::CitizenOverview* o = resp.mutable_overview();
  o->set_citizen_id("c1");
  o->mutable_plans()->add_citizen_plans()->set_citizen_id("c1");
  o->mutable_plans()->add_citizen_plans()->set_citizen_id("c2");
  o->mutable_volunteers()->add_accompaniment_requests()->set_citizen_id("c3");
  o->mutable_guides()->add_guidance_requests()->set_citizen_id("c4");
  o->mutable_guides()->add_matches()->set_id("m1");
  o->mutable_housing()->add_applications()->set_citizen_id("c5");
  o->mutable_housing()->add_offers()->set_citizen_id("c6");
  o->mutable_housing()->add_tenancies()->set_citizen_id("c7");
  o->mutable_housing()->mutable_section()->set_reason("OK");
  EXPECT_EQ(CitizenRefs(resp), (Refs{"c1", "c2", "c3", "c4", "c5", "c6", "c7"}));
}

TEST(CitizenRefsTest, MayCarryForSampleTypes) {
  EXPECT_FALSE(MayCarryCitizenRefs(helhed::plans::v1::ListPlansRequest::descriptor()));
  EXPECT_FALSE(MayCarryCitizenRefs(helhed::plans::v1::ListPlansResponse::descriptor()));
  EXPECT_FALSE(MayCarryCitizenRefs(helhed::gateway::v1::ResolveCitizenRequest::descriptor()));
  EXPECT_FALSE(MayCarryCitizenRefs(helhed::gateway::v1::Section::descriptor()));
  EXPECT_FALSE(MayCarryCitizenRefs(helhed::housing::v1::GetPriorityRuleResponse::descriptor()));
  EXPECT_FALSE(MayCarryCitizenRefs(google::protobuf::Timestamp::descriptor()));
  EXPECT_FALSE(MayCarryCitizenRefs(nullptr));

  EXPECT_TRUE(MayCarryCitizenRefs(helhed::housing::v1::Offer::descriptor()));
  EXPECT_TRUE(MayCarryCitizenRefs(helhed::housing::v1::ListApplicationsRequest::descriptor()));
  EXPECT_TRUE(MayCarryCitizenRefs(helhed::housing::v1::ListOffersResponse::descriptor()));
  EXPECT_TRUE(MayCarryCitizenRefs(helhed::gateway::v1::GetCitizenOverviewResponse::descriptor()));
  EXPECT_TRUE(MayCarryCitizenRefs(helhed::gateway::v1::ResolveCitizenResponse::descriptor()));
  // Asked twice: the cached answer is the same.
  EXPECT_TRUE(MayCarryCitizenRefs(helhed::housing::v1::Offer::descriptor()));
  EXPECT_FALSE(MayCarryCitizenRefs(helhed::plans::v1::ListPlansRequest::descriptor()));
}

TEST(CitizenRefsTest, RecursiveWellKnownTypes) {
  // Struct -> Value -> ListValue -> Value ...: a cycle without refs.
  EXPECT_FALSE(MayCarryCitizenRefs(google::protobuf::Value::descriptor()));
  EXPECT_FALSE(MayCarryCitizenRefs(google::protobuf::Struct::descriptor()));
  google::protobuf::Struct s;
  (*s.mutable_fields())["citizen_id"].set_string_value("c1");
  EXPECT_TRUE(CitizenRefs(s).empty());
}

TEST(CitizenRefsOfTest, ParsesAndFinds) {
  helhed::housing::v1::ListApplicationsResponse resp;
  resp.add_applications()->set_citizen_id("c2");
  resp.add_applications()->set_citizen_id("c1");
  const auto refs = CitizenRefsOf(helhed::housing::v1::ListApplicationsResponse::descriptor(),
                                  resp.SerializeAsString());
  ASSERT_TRUE(refs.ok()) << refs.status();
  EXPECT_EQ(*refs, (Refs{"c1", "c2"}));

  const auto empty = CitizenRefsOf(helhed::plans::v1::ListPlansRequest::descriptor(), "");
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_TRUE(empty->empty());
}

TEST(CitizenRefsOfTest, BadBytes) {
  const auto refs = CitizenRefsOf(helhed::housing::v1::ListApplicationsResponse::descriptor(),
                                  std::string("\xff\xff\xff\xff", 4));
  ASSERT_FALSE(refs.ok());
  EXPECT_EQ(refs.status().code(), absl::StatusCode::kInvalidArgument);

  // A length-delimited field whose length runs past the end.
  const auto truncated = CitizenRefsOf(helhed::housing::v1::ListApplicationsRequest::descriptor(),
                                       std::string("\x22\x10"
                                                   "c1",
                                                   4));
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(CitizenRefsOfTest, NoType) {
  const auto refs = CitizenRefsOf(nullptr, "");
  ASSERT_FALSE(refs.ok());
  EXPECT_EQ(refs.status().code(), absl::StatusCode::kInvalidArgument);
}

// Message types built at run time, to test cycles and repeated strings:
//   X { Y y = 1; string citizen_id = 2 [ref]; repeated string citizen_ids = 3 [ref];
//       string other = 4; }
//   Y { X x = 1; repeated X xs = 2; }
//   P { Q q = 1; }  Q { P p = 1; string plain = 2; }
//   Self { Self next = 1; }
class DynamicTypesTest : public testing::Test {
 protected:
  void SetUp() override {
    google::protobuf::FileDescriptorProto file;
    file.set_name("helhed_citizen_refs_test.proto");
    file.set_package("reftest");
    file.set_syntax("proto3");
    auto add_message = [&](const std::string& name) {
      google::protobuf::DescriptorProto* m = file.add_message_type();
      m->set_name(name);
      return m;
    };
    auto add_field = [](google::protobuf::DescriptorProto* m, const std::string& name, int number,
                        FieldDescriptorProto::Type type, const std::string& type_name,
                        bool repeated, bool ref) {
      FieldDescriptorProto* f = m->add_field();
      f->set_name(name);
      f->set_number(number);
      f->set_type(type);
      if (!type_name.empty()) f->set_type_name(type_name);
      f->set_label(repeated ? FieldDescriptorProto::LABEL_REPEATED
                            : FieldDescriptorProto::LABEL_OPTIONAL);
      if (ref) f->mutable_options()->SetExtension(helhed::common::v1::citizen_ref, true);
    };
    constexpr auto kMsg = FieldDescriptorProto::TYPE_MESSAGE;
    constexpr auto kStr = FieldDescriptorProto::TYPE_STRING;

    google::protobuf::DescriptorProto* x = add_message("X");
    add_field(x, "y", 1, kMsg, ".reftest.Y", false, false);
    add_field(x, "citizen_id", 2, kStr, "", false, true);
    add_field(x, "citizen_ids", 3, kStr, "", true, true);
    add_field(x, "other", 4, kStr, "", false, false);
    google::protobuf::DescriptorProto* y = add_message("Y");
    add_field(y, "x", 1, kMsg, ".reftest.X", false, false);
    add_field(y, "xs", 2, kMsg, ".reftest.X", true, false);
    google::protobuf::DescriptorProto* p = add_message("P");
    add_field(p, "q", 1, kMsg, ".reftest.Q", false, false);
    google::protobuf::DescriptorProto* q = add_message("Q");
    add_field(q, "p", 1, kMsg, ".reftest.P", false, false);
    add_field(q, "plain", 2, kStr, "", false, false);
    google::protobuf::DescriptorProto* self = add_message("Self");
    add_field(self, "next", 1, kMsg, ".reftest.Self", false, false);

    ASSERT_NE(pool_.BuildFile(file), nullptr);
  }

  const Descriptor* Type(const std::string& name) {
    return pool_.FindMessageTypeByName("reftest." + name);
  }

  google::protobuf::DescriptorPool pool_;
};

TEST_F(DynamicTypesTest, CyclesEnd) {
  // Y first: its answer depends on X, which contains Y again.
  EXPECT_TRUE(MayCarryCitizenRefs(Type("Y")));
  EXPECT_TRUE(MayCarryCitizenRefs(Type("X")));
  EXPECT_FALSE(MayCarryCitizenRefs(Type("Q")));
  EXPECT_FALSE(MayCarryCitizenRefs(Type("P")));
  EXPECT_FALSE(MayCarryCitizenRefs(Type("Self")));
}

TEST_F(DynamicTypesTest, RefsInRecursiveMessages) {
  google::protobuf::DynamicMessageFactory factory(&pool_);
  const Descriptor* y_type = Type("Y");
  const Descriptor* x_type = Type("X");
  std::unique_ptr<Message> y(factory.GetPrototype(y_type)->New());
  const google::protobuf::Reflection* yr = y->GetReflection();

  Message* x = yr->MutableMessage(y.get(), y_type->FindFieldByName("x"), &factory);
  const google::protobuf::Reflection* xr = x->GetReflection();
  xr->SetString(x, x_type->FindFieldByName("citizen_id"), "c5");
  xr->SetString(x, x_type->FindFieldByName("other"), "not-a-ref");
  xr->AddString(x, x_type->FindFieldByName("citizen_ids"), "c1");
  xr->AddString(x, x_type->FindFieldByName("citizen_ids"), "");
  xr->AddString(x, x_type->FindFieldByName("citizen_ids"), "c5");
  // x.y.x.citizen_id: a ref two cycles down.
  Message* inner_y = xr->MutableMessage(x, x_type->FindFieldByName("y"), &factory);
  Message* inner_x =
      inner_y->GetReflection()->MutableMessage(inner_y, y_type->FindFieldByName("x"), &factory);
  inner_x->GetReflection()->SetString(inner_x, x_type->FindFieldByName("citizen_id"), "c3");
  Message* listed = yr->AddMessage(y.get(), y_type->FindFieldByName("xs"), &factory);
  listed->GetReflection()->SetString(listed, x_type->FindFieldByName("citizen_id"), "c2");

  EXPECT_EQ(CitizenRefs(*y), (Refs{"c1", "c2", "c3", "c5"}));
}

TEST_F(DynamicTypesTest, CitizenRefsOfNeedsAGeneratedType) {
  const auto refs = CitizenRefsOf(Type("X"), "");
  ASSERT_FALSE(refs.ok());
  EXPECT_EQ(refs.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace helhed::audit
