// The one door answers reflection for everything behind it: the real
// gateway in front of the four real services, asked over
// grpc.reflection.v1 and v1alpha (no token) as grpcurl or `buf curl` would,
// lists every service it routes, describes each with its imports, and a
// request built only from those descriptors goes through it (with a token).
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "grpc/reflection/v1/reflection.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/impl/client_unary_call.h"
#include "grpcpp/impl/rpc_method.h"
#include "grpcpp/support/sync_stream.h"
#include "gtest/gtest.h"
#include "helhed/gateway/v1/gateway_service.grpc.pb.h"
#include "helhed/plans/v1/plans_service.grpc.pb.h"
#include "services/gateway/auth/jwt_verifier.h"
#include "services/plans/demo/demo_loader.h"
#include "tests/support/service_process.h"
#include "tests/support/test_keys.h"
#include "tests/support/test_store.h"

namespace helhed::gateway {
namespace {

using grpc::reflection::v1::ServerReflectionRequest;
using grpc::reflection::v1::ServerReflectionResponse;
using helhed::testing::Backend;
using helhed::testing::ServiceProcess;

// Every service the gateway answers when all four backends are configured.
const std::set<std::string>& Expected() {
  static const std::set<std::string> expected = {
      "helhed.plans.v1.PlansService",           "helhed.plans.v1.CitizenPlansService",
      "helhed.volunteers.v1.VolunteersService", "helhed.guides.v1.GuidesService",
      "helhed.housing.v1.HousingService",       "helhed.gateway.v1.GatewayService",
      "helhed.gateway.v1.AuditService",         "grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection",    "grpc.reflection.v1alpha.ServerReflection"};
  return expected;
}

// Which reflection API a test asks: the full method path.
class GatewayReflectionTest : public ::testing::TestWithParam<const char*> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(helhed::testing::TempDir());
    const helhed::testing::KeyPair key = helhed::testing::NewEcKey();
    private_key_ = new std::string(key.private_pem);
    ASSERT_EQ(system(absl::StrCat("mkdir -p ", *dir_, "/keys").c_str()), 0);
    ASSERT_TRUE(helhed::testing::WriteFile(*dir_ + "/keys/idp-1.pem", key.public_pem));
    ASSERT_TRUE(helhed::testing::WriteFile(*dir_ + "/cpr.key", std::string(48, 'k')));
    backends_ = new std::vector<std::unique_ptr<ServiceProcess>>();
    std::string targets;
    for (const auto& [name, binary] :
         std::vector<std::pair<std::string, std::string>>{{"plans", HELHED_PLANS_BINARY},
                                                          {"volunteers", HELHED_VOLUNTEERS_BINARY},
                                                          {"guides", HELHED_GUIDES_BINARY},
                                                          {"housing", HELHED_HOUSING_BINARY}}) {
      auto url = helhed::testing::NewStoreUrl(Backend::kSqlite);
      ASSERT_TRUE(url.ok()) << url.status();
      auto p = ServiceProcess::Start(binary, *url);
      ASSERT_TRUE(p.ok()) << p.status();
      absl::StrAppend(&targets, targets.empty() ? "" : ",", name, "=", (*p)->target());
      backends_->push_back(std::move(*p));
    }
    setenv("HELHED_GATEWAY_JWT_KEYS_DIR", (*dir_ + "/keys").c_str(), 1);
    setenv("HELHED_GATEWAY_CPR_KEY_FILE", (*dir_ + "/cpr.key").c_str(), 1);
    setenv("HELHED_POLICY", HELHED_SOURCE_DIR "/common/auth/default_policy.txt", 1);
    setenv("HELHED_GATEWAY_BACKENDS", targets.c_str(), 1);
    auto url = helhed::testing::NewStoreUrl(Backend::kSqlite);
    ASSERT_TRUE(url.ok()) << url.status();
    auto g = ServiceProcess::Start(HELHED_GATEWAY_BINARY, *url);
    ASSERT_TRUE(g.ok()) << g.status();
    gateway_ = g->release();
  }

  static void TearDownTestSuite() {
    delete gateway_;
    delete backends_;
    delete private_key_;
    delete dir_;
  }

  void SetUp() override {
    ASSERT_NE(gateway_, nullptr);
    channel_ = grpc::CreateChannel(gateway_->target(), grpc::InsecureChannelCredentials());
  }

  // Sends `requests` on one ServerReflectionInfo stream, without a token;
  // the answers in order.
  std::vector<ServerReflectionResponse> Ask(const std::vector<ServerReflectionRequest>& requests) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    std::unique_ptr<grpc::ClientReaderWriter<ServerReflectionRequest, ServerReflectionResponse>>
        stream(grpc::internal::ClientReaderWriterFactory<
               ServerReflectionRequest,
               ServerReflectionResponse>::Create(channel_.get(),
                                                 grpc::internal::RpcMethod(
                                                     GetParam(),
                                                     grpc::internal::RpcMethod::BIDI_STREAMING),
                                                 &ctx));
    std::vector<ServerReflectionResponse> out;
    for (const auto& r : requests) {
      EXPECT_TRUE(stream->Write(r));
      ServerReflectionResponse response;
      if (!stream->Read(&response)) break;
      out.push_back(std::move(response));
    }
    stream->WritesDone();
    const grpc::Status s = stream->Finish();
    EXPECT_TRUE(s.ok()) << s.error_code() << " " << s.error_message();
    EXPECT_EQ(out.size(), requests.size());
    return out;
  }

  ServerReflectionResponse AskOne(const ServerReflectionRequest& request) {
    auto answers = Ask({request});
    return answers.empty() ? ServerReflectionResponse() : answers.front();
  }

  // Builds `pool` from the files reflection sends for `symbol`, asking for
  // any import it did not send by name. False (with a test failure) when a
  // file cannot be had.
  bool Load(const std::string& symbol, google::protobuf::DescriptorPool* pool) {
    ServerReflectionRequest req;
    req.set_file_containing_symbol(symbol);
    std::vector<google::protobuf::FileDescriptorProto> pending;
    auto take = [&](const ServerReflectionResponse& r) {
      EXPECT_FALSE(r.has_error_response()) << symbol << ": " << r.error_response().error_message();
      for (const auto& bytes : r.file_descriptor_response().file_descriptor_proto()) {
        google::protobuf::FileDescriptorProto f;
        EXPECT_TRUE(f.ParseFromString(bytes));
        pending.push_back(std::move(f));
      }
    };
    take(AskOne(req));
    // Files must be built after their imports; ask by name for a missing one.
    for (int rounds = 0; !pending.empty() && rounds < 100; ++rounds) {
      bool progress = false;
      for (auto it = pending.begin(); it != pending.end();) {
        bool ready = true;
        for (const auto& dep : it->dependency()) {
          if (pool->FindFileByName(dep) == nullptr) ready = false;
        }
        if (pool->FindFileByName(it->name()) != nullptr) {
          it = pending.erase(it);
          progress = true;
        } else if (ready) {
          EXPECT_NE(pool->BuildFile(*it), nullptr) << it->name();
          it = pending.erase(it);
          progress = true;
        } else {
          ++it;
        }
      }
      if (!progress) {
        for (const auto& dep : pending.front().dependency()) {
          if (pool->FindFileByName(dep) != nullptr) continue;
          ServerReflectionRequest by_name;
          by_name.set_file_by_filename(dep);
          take(AskOne(by_name));
        }
      }
    }
    EXPECT_TRUE(pending.empty()) << symbol << ": unresolved " << pending.front().name();
    return pending.empty();
  }

  std::string Token(const std::vector<std::string>& roles) {
    MintOptions o;
    o.private_key_pem = *private_key_;
    o.kid = "idp-1";
    o.issuer = "https://idp.helhed.local";
    o.audience = "helhed-gateway";
    o.subject = "u-1";
    o.municipality = "730";
    o.roles = roles;
    o.issued_at = absl::Now() - absl::Minutes(1);
    o.lifetime = absl::Hours(1);
    auto t = MintToken(o);
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? *t : "";
  }

  static std::string* dir_;
  static std::string* private_key_;
  static std::vector<std::unique_ptr<ServiceProcess>>* backends_;
  static ServiceProcess* gateway_;
  std::shared_ptr<grpc::Channel> channel_;
};

std::string* GatewayReflectionTest::dir_ = nullptr;
std::string* GatewayReflectionTest::private_key_ = nullptr;
std::vector<std::unique_ptr<ServiceProcess>>* GatewayReflectionTest::backends_ = nullptr;
ServiceProcess* GatewayReflectionTest::gateway_ = nullptr;

TEST_P(GatewayReflectionTest, ListsEveryRoutedServiceWithoutAToken) {
  ServerReflectionRequest req;
  req.set_host("127.0.0.1");
  req.set_list_services("*");
  const ServerReflectionResponse r = AskOne(req);
  ASSERT_FALSE(r.has_error_response()) << r.error_response().error_message();
  std::set<std::string> listed;
  for (const auto& s : r.list_services_response().service()) listed.insert(s.name());
  EXPECT_EQ(listed, Expected());
  EXPECT_EQ(r.valid_host(), "127.0.0.1");
  EXPECT_EQ(r.original_request().list_services(), "*");
}

TEST_P(GatewayReflectionTest, DescribesEveryServiceAsTheGatewayWasBuiltWithIt) {
  for (const std::string& name : Expected()) {
    google::protobuf::DescriptorPool pool;
    ASSERT_TRUE(Load(name, &pool)) << name;
    const auto* service = pool.FindServiceByName(name);
    ASSERT_NE(service, nullptr) << name;
    ASSERT_GT(service->method_count(), 0) << name;
    for (int i = 0; i < service->method_count(); ++i) {
      // Each method's request and response types resolve, imports included.
      EXPECT_NE(service->method(i)->input_type(), nullptr);
      EXPECT_NE(service->method(i)->output_type(), nullptr);
    }
    // The same schema the client here was compiled with (where it has it).
    const auto* compiled =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
    if (compiled != nullptr) {
      google::protobuf::FileDescriptorProto a, b;
      service->file()->CopyTo(&a);
      compiled->file()->CopyTo(&b);
      EXPECT_EQ(a.SerializeAsString(), b.SerializeAsString()) << name;
    }
  }
  // A plans method's request type, with helhed/common and google/* imports.
  google::protobuf::DescriptorPool pool;
  ASSERT_TRUE(Load("helhed.plans.v1.ListPlansRequest", &pool));
  EXPECT_NE(pool.FindMessageTypeByName("helhed.common.v1.PageRequest"), nullptr);
  EXPECT_NE(pool.FindFileByName("google/protobuf/descriptor.proto"), nullptr);
}

TEST_P(GatewayReflectionTest, ExtensionsAndUnknownSymbols) {
  // The field options helhed/common/v1 declares (citizen annotations).
  ServerReflectionRequest numbers;
  numbers.set_all_extension_numbers_of_type("google.protobuf.FieldOptions");
  const ServerReflectionResponse r = AskOne(numbers);
  ASSERT_FALSE(r.has_error_response()) << r.error_response().error_message();
  ASSERT_GT(r.all_extension_numbers_response().extension_number_size(), 0);
  ServerReflectionRequest ext;
  ext.mutable_file_containing_extension()->set_containing_type("google.protobuf.FieldOptions");
  ext.mutable_file_containing_extension()->set_extension_number(
      r.all_extension_numbers_response().extension_number(0));
  const ServerReflectionResponse e = AskOne(ext);
  ASSERT_FALSE(e.has_error_response()) << e.error_response().error_message();
  google::protobuf::FileDescriptorProto first;
  ASSERT_GT(e.file_descriptor_response().file_descriptor_proto_size(), 0);
  ASSERT_TRUE(first.ParseFromString(e.file_descriptor_response().file_descriptor_proto(0)));
  EXPECT_EQ(first.name(), "helhed/common/v1/common.proto");

  ServerReflectionRequest unknown;
  unknown.set_file_containing_symbol("helhed.nosuch.v1.Nothing");
  const ServerReflectionResponse u = AskOne(unknown);
  EXPECT_EQ(u.error_response().error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(u.error_response().error_message().find("helhed.nosuch.v1.Nothing"), std::string::npos);
  ServerReflectionRequest none;  // no request set
  EXPECT_EQ(AskOne(none).error_response().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_P(GatewayReflectionTest, ARequestBuiltFromReflectionGoesThroughWithAToken) {
  // Demo plans in Randers (730), loaded on the plans service directly.
  auto data = plans::demo::ReadDataset(std::string(HELHED_SOURCE_DIR) +
                                       "/services/plans/demo/demo_data.textproto");
  ASSERT_TRUE(data.ok()) << data.status();
  auto loaded = plans::demo::LoadDataset(*data, (*backends_)[0]->NewChannel());
  ASSERT_TRUE(loaded.ok()) << loaded.status();

  google::protobuf::DescriptorPool pool;
  ASSERT_TRUE(Load("helhed.plans.v1.PlansService", &pool));
  const auto* method = pool.FindMethodByName("helhed.plans.v1.PlansService.ListPlans");
  ASSERT_NE(method, nullptr);
  google::protobuf::DynamicMessageFactory factory(&pool);
  std::unique_ptr<google::protobuf::Message> request(
      factory.GetPrototype(method->input_type())->New());
  const auto* page_field = method->input_type()->FindFieldByName("page");
  ASSERT_NE(page_field, nullptr);
  google::protobuf::Message* page =
      request->GetReflection()->MutableMessage(request.get(), page_field);
  const auto* size_field = page->GetDescriptor()->FindFieldByName("page_size");
  ASSERT_NE(size_field, nullptr);
  page->GetReflection()->SetInt32(page, size_field, 100);
  const std::string path = absl::StrCat("/", method->service()->full_name(), "/", method->name());

  auto call = [&](const std::string& token, std::string* response) {
    grpc::ClientContext ctx;
    if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    const std::string bytes = request->SerializeAsString();
    grpc::Slice slice(bytes);
    grpc::ByteBuffer in(&slice, 1), out;
    grpc::GenericStub stub(channel_);
    grpc::Status status;
    absl::Notification done;
    stub.UnaryCall(&ctx, path, grpc::StubOptions(), &in, &out, [&](grpc::Status s) {
      status = std::move(s);
      done.Notify();
    });
    done.WaitForNotification();
    std::vector<grpc::Slice> slices;
    if (status.ok() && out.Dump(&slices).ok()) {
      for (const auto& s : slices)
        response->append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
    return status;
  };

  // Reflection opens nothing else: the call itself still needs a token.
  std::string ignored;
  EXPECT_EQ(call("", &ignored).error_code(), grpc::StatusCode::UNAUTHENTICATED);

  std::string bytes;
  const grpc::Status s = call(Token({"caseworker", "manager"}), &bytes);
  ASSERT_TRUE(s.ok()) << s.error_code() << " " << s.error_message();
  std::unique_ptr<google::protobuf::Message> response(
      factory.GetPrototype(method->output_type())->New());
  ASSERT_TRUE(response->ParseFromString(bytes));
  // The same plans the service lists for Randers, read through the
  // reflected descriptors.
  auto plans_stub = helhed::plans::v1::PlansService::NewStub((*backends_)[0]->NewChannel());
  grpc::ClientContext direct;
  direct.AddMetadata("x-helhed-principal", helhed::testing::TestPrincipal("730"));
  helhed::plans::v1::ListPlansRequest typed;
  typed.mutable_page()->set_page_size(100);
  helhed::plans::v1::ListPlansResponse expected;
  ASSERT_TRUE(plans_stub->ListPlans(&direct, typed, &expected).ok());
  ASSERT_GT(expected.plans_size(), 0);
  const auto* plans_field = method->output_type()->FindFieldByName("plans");
  ASSERT_NE(plans_field, nullptr);
  const auto* refl = response->GetReflection();
  ASSERT_EQ(refl->FieldSize(*response, plans_field), expected.plans_size());
  std::set<std::string> titles, expected_titles;
  for (int i = 0; i < expected.plans_size(); ++i) {
    const auto& plan = refl->GetRepeatedMessage(*response, plans_field, i);
    titles.insert(
        plan.GetReflection()->GetString(plan, plan.GetDescriptor()->FindFieldByName("title")));
    expected_titles.insert(expected.plans(i).title());
  }
  EXPECT_EQ(titles, expected_titles);
}

INSTANTIATE_TEST_SUITE_P(
    Versions, GatewayReflectionTest,
    ::testing::Values("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
                      "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"),
    [](const ::testing::TestParamInfo<const char*>& version) {
      return std::string(version.index == 0 ? "v1" : "v1alpha");
    });

}  // namespace
}  // namespace helhed::gateway
