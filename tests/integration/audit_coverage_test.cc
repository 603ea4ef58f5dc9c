// Audit by construction, proven from outside: the four services with the
// demo data and the gateway in front, every method of every service the
// gateway routes called through it with requests built from what the demo
// created (the way a caseworker's client would), and every answer that
// reveals something about a citizen checked for an audit event naming them.
//
// Which answers are about a citizen is decided from the data alone, not from
// the API's markings: a citizen id is one a message carries in a
// citizen_ref field (the citizens themselves); a record is about a citizen
// when any of its own fields holds a citizen's id or the id of another
// record about a citizen (CitizenPlan -> Goal -> Assessment, request ->
// Match -> Meeting, ...), closed over every answer seen. A call whose
// request or answer holds such a value must have left an event for that
// call (each call carries its own purpose, which the event records).
#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/audit/citizen_fields.h"
#include "common/server/byte_buffer.h"
#include "common/store/database.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/message.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/client_interceptor.h"
#include "gtest/gtest.h"
#include "helhed/common/v1/common.pb.h"
#include "helhed/gateway/v1/gateway_service.grpc.pb.h"
#include "helhed/plans/v1/plans_service.grpc.pb.h"
#include "services/gateway/auth/jwt_verifier.h"
#include "services/guides/demo/demo_loader.h"
#include "services/housing/demo/demo_loader.h"
#include "services/plans/demo/demo_loader.h"
#include "services/volunteers/demo/demo_loader.h"
#include "tests/support/service_process.h"
#include "tests/support/test_keys.h"
#include "tests/support/test_store.h"

namespace helhed::gateway {
namespace {

namespace pb = google::protobuf;
using helhed::testing::Backend;
using helhed::testing::ServiceProcess;

const std::vector<std::string>& AllRoles() {
  static const auto* roles = new std::vector<std::string>{"caseworker",
                                                          "volunteer_coordinator",
                                                          "guide_coordinator",
                                                          "housing_officer",
                                                          "manager",
                                                          "council_member",
                                                          "auditor"};
  return *roles;
}

// Puts a bearer token on every call of a channel: lets the demo loaders,
// written against the services, load through the gateway. The municipality
// is the one of the principal the loader attached (730 when unreadable).
class BearerInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit BearerInterceptor(const std::map<std::string, std::string>* tokens) : tokens_(tokens) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      auto* md = methods->GetSendInitialMetadata();
      std::string muni = "730";
      auto p = md->find("x-helhed-principal");
      if (p != md->end()) {
        const std::string encoded = p->second.substr(0, p->second.find('.'));
        std::string bytes;
        helhed::common::v1::Principal principal;
        if ((absl::Base64Unescape(encoded, &bytes) ||
             absl::WebSafeBase64Unescape(encoded, &bytes)) &&
            principal.ParseFromString(bytes) && tokens_->count(principal.municipality_code())) {
          muni = principal.municipality_code();
        }
      }
      md->emplace("authorization", "Bearer " + tokens_->at(muni));
    }
    methods->Proceed();
  }

 private:
  const std::map<std::string, std::string>* tokens_;
};

class BearerFactory final : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit BearerFactory(const std::map<std::string, std::string>* tokens) : tokens_(tokens) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo*) override {
    return new BearerInterceptor(tokens_);
  }

 private:
  const std::map<std::string, std::string>* tokens_;
};

// "AccompanimentRequest" -> "accompaniment_request".
std::string Snake(const std::string& camel) {
  std::string out;
  for (char c : camel) {
    if (c >= 'A' && c <= 'Z') {
      if (!out.empty()) out.push_back('_');
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Every string value in `m`, at any depth.
void Strings(const pb::Message& m, std::set<std::string>& out) {
  const pb::Reflection* r = m.GetReflection();
  std::vector<const pb::FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const auto* f : fields) {
    if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      const int n = f->is_repeated() ? r->FieldSize(m, f) : 1;
      for (int i = 0; i < n; ++i) {
        Strings(f->is_repeated() ? r->GetRepeatedMessage(m, f, i) : r->GetMessage(m, f), out);
      }
    } else if (f->type() == pb::FieldDescriptor::TYPE_STRING) {
      const int n = f->is_repeated() ? r->FieldSize(m, f) : 1;
      for (int i = 0; i < n; ++i) {
        out.insert(f->is_repeated() ? r->GetRepeatedString(m, f, i) : r->GetString(m, f));
      }
    }
  }
}

// Every message inside `m` (itself included) that has a string "id".
void Records(const pb::Message& m, std::vector<const pb::Message*>& out) {
  const pb::FieldDescriptor* id = m.GetDescriptor()->FindFieldByName("id");
  if (id != nullptr && id->type() == pb::FieldDescriptor::TYPE_STRING && !id->is_repeated() &&
      !m.GetReflection()->GetString(m, id).empty()) {
    out.push_back(&m);
  }
  const pb::Reflection* r = m.GetReflection();
  std::vector<const pb::FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const auto* f : fields) {
    if (f->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    const int n = f->is_repeated() ? r->FieldSize(m, f) : 1;
    for (int i = 0; i < n; ++i) {
      Records(f->is_repeated() ? r->GetRepeatedMessage(m, f, i) : r->GetMessage(m, f), out);
    }
  }
}

struct Call {
  const pb::MethodDescriptor* method;
  std::string purpose;
  grpc::Status status;
  std::unique_ptr<pb::Message> request;
  std::unique_ptr<pb::Message> response;
};

class AuditCoverageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = helhed::testing::TempDir();
    private_key_ = helhed::testing::WriteGatewayKeys(dir_);
    ASSERT_FALSE(private_key_.empty());
    std::map<std::string, std::string> targets;
    for (const char* name : {"plans", "volunteers", "guides", "housing"}) {
      auto url = helhed::testing::NewStoreUrl(Backend::kSqlite);
      ASSERT_TRUE(url.ok());
      const std::string binary = std::string(name) == "plans"        ? HELHED_PLANS_BINARY
                                 : std::string(name) == "volunteers" ? HELHED_VOLUNTEERS_BINARY
                                 : std::string(name) == "guides"     ? HELHED_GUIDES_BINARY
                                                                     : HELHED_HOUSING_BINARY;
      auto p = ServiceProcess::Start(binary, *url);
      ASSERT_TRUE(p.ok()) << p.status();
      targets[name] = (*p)->target();
      backends_.push_back(std::move(*p));
    }
    setenv("HELHED_GATEWAY_JWT_KEYS_DIR", (dir_ + "/keys").c_str(), 1);
    setenv("HELHED_GATEWAY_CPR_KEY_FILE", (dir_ + "/cpr.key").c_str(), 1);
    setenv("HELHED_GATEWAY_BACKENDS",
           absl::StrCat("plans=", targets["plans"], ",volunteers=", targets["volunteers"],
                        ",guides=", targets["guides"], ",housing=", targets["housing"])
               .c_str(),
           1);
    // The demo is loaded through the gateway: no rate limit in the way.
    setenv("HELHED_GATEWAY_RATE", "100000", 1);
    setenv("HELHED_GATEWAY_BURST", "100000", 1);
    gateway_db_ = dir_ + "/gateway.db";
    auto p = ServiceProcess::Start(HELHED_GATEWAY_BINARY, "sqlite://" + gateway_db_);
    ASSERT_TRUE(p.ok()) << p.status();
    gateway_ = std::move(*p);
    for (const char* muni : {"730", "810"}) tokens_[muni] = Token(muni);
  }

  std::string Token(const std::string& muni) {
    MintOptions o;
    o.private_key_pem = private_key_;
    o.kid = "idp-1";
    o.issuer = "https://idp.helhed.local";
    o.audience = "helhed-gateway";
    o.subject = "walker";
    o.municipality = muni;
    o.roles = AllRoles();
    o.issued_at = absl::Now() - absl::Minutes(1);
    o.lifetime = absl::Hours(2);
    auto t = MintToken(o);
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? *t : "";
  }

  // The demo data set of every service, loaded through the gateway.
  void LoadDemo() {
    std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> bearer;
    bearer.push_back(std::make_unique<BearerFactory>(&tokens_));
    auto channel = grpc::experimental::CreateCustomChannelWithInterceptors(
        gateway_->target(), grpc::InsecureChannelCredentials(), grpc::ChannelArguments(),
        std::move(bearer));
    auto data =
        plans::demo::ReadDataset(HELHED_SOURCE_DIR "/services/plans/demo/demo_data.textproto");
    ASSERT_TRUE(data.ok()) << data.status();
    auto plans = plans::demo::LoadDataset(*data, channel);
    ASSERT_TRUE(plans.ok()) << plans.status();
    auto volunteers = volunteers::demo::LoadDemo(channel, {});
    ASSERT_TRUE(volunteers.ok()) << volunteers.status();
    auto guides = guides::demo::LoadDemo(channel, {});
    ASSERT_TRUE(guides.ok()) << guides.status();
    auto housing = housing::demo::LoadDemo(channel, {});
    ASSERT_TRUE(housing.ok()) << housing.status();
  }

  // One call through the gateway, as the walker (every role, 730).
  Call Invoke(const pb::MethodDescriptor* method, std::unique_ptr<pb::Message> request) {
    Call call;
    call.method = method;
    call.purpose = absl::StrCat("walk-", ++calls_);
    grpc::GenericStub stub(gateway_->NewChannel());
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + tokens_["730"]);
    ctx.AddMetadata("x-helhed-purpose", call.purpose);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    grpc::ByteBuffer req = server::BufferOf(request->SerializeAsString());
    grpc::ByteBuffer resp;
    absl::Notification done;
    stub.UnaryCall(&ctx, absl::StrCat("/", method->service()->full_name(), "/", method->name()),
                   grpc::StubOptions(), &req, &resp, [&](grpc::Status s) {
                     call.status = s;
                     done.Notify();
                   });
    done.WaitForNotification();
    call.request = std::move(request);
    call.response.reset(NewOf(method->output_type()));
    if (call.status.ok()) {
      EXPECT_TRUE(call.response->ParseFromString(server::BytesOf(resp))) << method->full_name();
      Collect(*call.response);
    }
    return call;
  }

  static pb::Message* NewOf(const pb::Descriptor* type) {
    return pb::MessageFactory::generated_factory()->GetPrototype(type)->New();
  }

  // Resources seen in answers, by message type: what requests are built of.
  void Collect(const pb::Message& m) {
    for (auto& c : audit::CitizenRefs(m)) {
      if (std::find(citizens_.begin(), citizens_.end(), c) == citizens_.end()) {
        citizens_.push_back(c);
      }
    }
    std::vector<const pb::Message*> records;
    Records(m, records);
    for (const pb::Message* r : records) {
      auto& list = resources_[r->GetDescriptor()->full_name()];
      if (list.size() < 4) {
        list.emplace_back(r->New());
        list.back()->CopyFrom(*r);
      }
    }
  }

  // The k-th id of a resource whose snake name is `x` or starts with "x_".
  std::string IdOf(const std::string& x, size_t k) {
    for (const auto& [type, list] : resources_) {
      const std::string name = Snake(type.substr(type.rfind('.') + 1));
      if (name == x || absl::StartsWith(name, x + "_")) {
        const pb::Message& m = *list[k % list.size()];
        return m.GetReflection()->GetString(m, m.GetDescriptor()->FindFieldByName("id"));
      }
    }
    return "";
  }

  // A request of `method` about existing resources, the k-th of each kind
  // (see tests/fuzz/service_fuzz.cc, which builds its seeds the same way).
  std::unique_ptr<pb::Message> RequestAbout(const pb::MethodDescriptor* method, size_t k) {
    std::unique_ptr<pb::Message> req(NewOf(method->input_type()));
    const pb::Descriptor* d = req->GetDescriptor();
    const pb::Reflection* r = req->GetReflection();
    for (int i = 0; i < d->field_count(); ++i) {
      const pb::FieldDescriptor* f = d->field(i);
      if (f->is_repeated()) continue;
      if (f->type() == pb::FieldDescriptor::TYPE_MESSAGE) {
        auto it = resources_.find(f->message_type()->full_name());
        if (it != resources_.end()) {
          r->MutableMessage(req.get(), f)->CopyFrom(*it->second[k % it->second.size()]);
        }
      } else if (f->type() == pb::FieldDescriptor::TYPE_STRING) {
        const std::string kind = f->options().GetExtension(helhed::common::v1::citizen_record);
        std::string id;
        if (f->name() == "citizen_id") {
          if (!citizens_.empty()) id = citizens_[k % citizens_.size()];
        } else if (f->name() == "id") {
          // GetVolunteer, ArchiveAccompanimentRequest: the kind after the verb.
          const std::string& m = method->name();
          size_t verb = 1;
          while (verb < m.size() && !(m[verb] >= 'A' && m[verb] <= 'Z')) ++verb;
          id = IdOf(Snake(m.substr(verb)), k);
        } else if (!kind.empty()) {
          id = IdOf(kind, k);
        } else if (absl::EndsWith(f->name(), "_id")) {
          id = IdOf(f->name().substr(0, f->name().size() - 3), k);
        }
        if (!id.empty()) r->SetString(req.get(), f, id);
      }
    }
    // The etag of the resource an id of the request names.
    const pb::FieldDescriptor* etag = d->FindFieldByName("etag");
    if (etag != nullptr && etag->type() == pb::FieldDescriptor::TYPE_STRING &&
        !etag->is_repeated()) {
      std::set<std::string> named;
      for (int i = 0; i < d->field_count(); ++i) {
        const pb::FieldDescriptor* f = d->field(i);
        if (f != etag && f->type() == pb::FieldDescriptor::TYPE_STRING && !f->is_repeated()) {
          named.insert(r->GetString(*req, f));
        }
      }
      for (const auto& [type, list] : resources_) {
        for (const auto& m : list) {
          const pb::FieldDescriptor* mid = m->GetDescriptor()->FindFieldByName("id");
          const pb::FieldDescriptor* metag = m->GetDescriptor()->FindFieldByName("etag");
          if (metag != nullptr && named.count(m->GetReflection()->GetString(*m, mid)) != 0) {
            r->SetString(req.get(), etag, m->GetReflection()->GetString(*m, metag));
          }
        }
      }
    }
    return req;
  }

  // Audit events by the purpose of the call that made them.
  std::map<std::string, std::set<std::string>> EventsByPurpose() {
    std::map<std::string, std::set<std::string>> out;
    auto db = store::Database::Open("sqlite://" + gateway_db_, store::StoreOptions());
    EXPECT_TRUE(db.ok()) << db.status();
    if (!db.ok()) return out;
    EXPECT_TRUE((*db)
                    ->Run([&](store::Connection& c) -> absl::Status {
                      auto rows = c.Query("SELECT body FROM audit_events", {});
                      if (!rows.ok()) return rows.status();
                      for (const auto& row : *rows) {
                        v1::AuditEvent e;
                        if (e.ParseFromString(row[0].AsString())) {
                          out[e.purpose()].insert(e.citizen_id());
                        }
                      }
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  }

  std::string dir_;
  std::string private_key_;
  std::string gateway_db_;
  std::vector<std::unique_ptr<ServiceProcess>> backends_;
  std::unique_ptr<ServiceProcess> gateway_;
  std::map<std::string, std::string> tokens_;
  std::map<std::string, std::vector<std::unique_ptr<pb::Message>>> resources_;
  std::vector<std::string> citizens_;
  int calls_ = 0;
};

bool IsRead(const std::string& name) {
  for (const char* verb : {"Get", "List", "Rank", "Count", "Resolve"}) {
    if (absl::StartsWith(name, verb)) return true;
  }
  return false;
}

TEST_F(AuditCoverageTest, EveryAnswerAboutACitizenLeavesAnEvent) {
  LoadDemo();
  if (HasFatalFailure()) return;
  const std::vector<std::string> services = {
      "helhed.plans.v1.PlansService",           "helhed.plans.v1.CitizenPlansService",
      "helhed.volunteers.v1.VolunteersService", "helhed.guides.v1.GuidesService",
      "helhed.housing.v1.HousingService",       "helhed.gateway.v1.GatewayService",
      "helhed.gateway.v1.AuditService"};
  std::vector<const pb::MethodDescriptor*> methods;
  for (const auto& name : services) {
    const auto* s = pb::DescriptorPool::generated_pool()->FindServiceByName(name);
    ASSERT_NE(s, nullptr) << name;
    for (int i = 0; i < s->method_count(); ++i) methods.push_back(s->method(i));
  }
  // Reads first (each twice: with an empty request, which lists, and about
  // what the demo made), then writes about what the reads found.
  std::vector<Call> calls;
  for (int round = 0; round < 3; ++round) {
    for (const auto* m : methods) {
      if (!IsRead(m->name())) continue;
      calls.push_back(Invoke(m, round == 0 ? std::unique_ptr<pb::Message>(NewOf(m->input_type()))
                                           : RequestAbout(m, round - 1)));
    }
  }
  for (size_t k = 0; k < 3; ++k) {
    for (const auto* m : methods) {
      if (!IsRead(m->name())) calls.push_back(Invoke(m, RequestAbout(m, k)));
    }
  }
  for (size_t k = 0; k < 2; ++k) {
    for (const auto* m : methods) {
      if (IsRead(m->name())) calls.push_back(Invoke(m, RequestAbout(m, k)));
    }
  }

  // Who is a citizen, and which records are about one: closed over all
  // that was seen.
  std::set<std::string> linked;
  for (const auto& c : calls) {
    for (const pb::Message* m : {c.request.get(), c.response.get()}) {
      for (auto& id : audit::CitizenRefs(*m)) linked.insert(id);
    }
  }
  std::vector<const pb::Message*> records;
  for (const auto& c : calls) {
    if (c.status.ok()) Records(*c.response, records);
  }
  for (bool grew = true; grew;) {
    grew = false;
    for (const pb::Message* r : records) {
      const std::string id =
          r->GetReflection()->GetString(*r, r->GetDescriptor()->FindFieldByName("id"));
      if (linked.count(id) != 0) continue;
      std::set<std::string> values;
      Strings(*r, values);
      values.erase(id);
      for (const auto& v : values) {
        if (!v.empty() && linked.count(v) != 0) {
          linked.insert(id);
          grew = true;
          break;
        }
      }
    }
  }

  const auto events = EventsByPurpose();
  std::set<std::string> answered_ok;
  std::set<std::string> about_citizens;
  std::vector<std::string> unaudited;
  for (const auto& c : calls) {
    // Never a failure of the suite itself (an answer refused for want of
    // attribution would show here).
    EXPECT_NE(c.status.error_code(), grpc::StatusCode::UNAVAILABLE)
        << c.method->full_name() << ": " << c.status.error_message();
    EXPECT_NE(c.status.error_code(), grpc::StatusCode::INTERNAL) << c.method->full_name();
    EXPECT_NE(c.status.error_code(), grpc::StatusCode::UNKNOWN) << c.method->full_name();
    if (!c.status.ok()) {
      if (std::getenv("HELHED_AUDIT_WALK_VERBOSE") != nullptr) {
        std::printf("%s: %d %s\n", c.method->full_name().c_str(), c.status.error_code(),
                    c.status.error_message().c_str());
      }
      continue;
    }
    answered_ok.insert(c.method->full_name());
    std::set<std::string> values;
    Strings(*c.request, values);
    Strings(*c.response, values);
    std::vector<std::string> about;
    for (const auto& v : values) {
      if (!v.empty() && linked.count(v) != 0) about.push_back(v);
    }
    if (about.empty()) continue;
    about_citizens.insert(c.method->full_name());
    auto it = events.find(c.purpose);
    if (it == events.end() || it->second.empty()) {
      unaudited.push_back(
          absl::StrCat(c.method->full_name(), " (", about.size(), " values about citizens)"));
    }
  }
  EXPECT_TRUE(unaudited.empty()) << "answers about citizens without an audit event:\n  "
                                 << absl::StrJoin(unaudited, "\n  ");

  // The walk reached what the issue named, so the check above means
  // something for them.
  for (const char* m :
       {"helhed.plans.v1.CitizenPlansService.ListAssessments",
        "helhed.plans.v1.CitizenPlansService.GetGoal",
        "helhed.plans.v1.CitizenPlansService.ListActions",
        "helhed.guides.v1.GuidesService.GetMatch", "helhed.guides.v1.GuidesService.ListMeetings",
        "helhed.guides.v1.GuidesService.RankGuides",
        "helhed.volunteers.v1.VolunteersService.ListEvaluations",
        "helhed.housing.v1.HousingService.GetApplicationStanding"}) {
    EXPECT_EQ(about_citizens.count(m), 1u) << m << " was not reached with data about a citizen";
  }
  std::vector<std::string> never;
  for (const auto* m : methods) {
    if (answered_ok.count(m->full_name()) == 0) never.push_back(m->full_name());
  }
  std::printf(
      "audit coverage: %zu calls, %zu of %zu methods answered OK, %zu about citizens;"
      " never OK: %s\n",
      calls.size(), answered_ok.size(), methods.size(), about_citizens.size(),
      absl::StrJoin(never, ", ").c_str());
}

// The whole-picture demo citizens (issue 16): with every demo loaded (twice,
// so a second load makes nothing twice), one overview call through the
// gateway shows each of them in all four services, every record there
// theirs, and each plan goal tied to an initiative area that serves its
// life area.
TEST_F(AuditCoverageTest, WholePictureCitizensFillEveryOverviewSection) {
  LoadDemo();
  if (HasFatalFailure()) return;
  LoadDemo();
  if (HasFatalFailure()) return;
  auto channel = gateway_->NewChannel();
  auto gateway = v1::GatewayService::NewStub(channel);
  auto goal_stub = plans::v1::CitizenPlansService::NewStub(channel);
  auto area_stub = plans::v1::PlansService::NewStub(channel);
  auto ctx = [&] {
    auto c = std::make_unique<grpc::ClientContext>();
    c->AddMetadata("authorization", "Bearer " + tokens_["730"]);
    c->AddMetadata("x-helhed-purpose", "opfoelgning");
    c->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    return c;
  };
  for (const char* citizen : {"demo-730-w1", "demo-730-w2", "demo-730-w3", "demo-730-w4"}) {
    SCOPED_TRACE(citizen);
    v1::GetCitizenOverviewRequest req;
    req.set_citizen_id(citizen);
    v1::GetCitizenOverviewResponse resp;
    grpc::Status s = gateway->GetCitizenOverview(ctx().get(), req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    const v1::CitizenOverview& o = resp.overview();
    EXPECT_EQ(o.citizen_id(), citizen);
    for (const v1::Section* sec : {&o.plans().section(), &o.volunteers().section(),
                                   &o.guides().section(), &o.housing().section()}) {
      EXPECT_EQ(sec->status(), v1::SECTION_STATUS_AVAILABLE) << sec->reason();
    }

    // Plans: one citizen plan, with goals under "at bo" and "at være", each
    // tied to an initiative area whose life areas include the goal's.
    ASSERT_EQ(o.plans().citizen_plans_size(), 1);
    EXPECT_EQ(o.plans().citizen_plans(0).citizen_id(), citizen);
    plans::v1::ListGoalsRequest lg;
    lg.set_citizen_plan_id(o.plans().citizen_plans(0).id());
    plans::v1::ListGoalsResponse goals;
    s = goal_stub->ListGoals(ctx().get(), lg, &goals);
    ASSERT_TRUE(s.ok()) << s.error_message();
    std::set<int> life_areas;
    for (const auto& g : goals.goals()) {
      EXPECT_EQ(g.citizen_plan_id(), o.plans().citizen_plans(0).id());
      life_areas.insert(g.life_area());
      ASSERT_FALSE(g.initiative_area_id().empty()) << g.description();
      plans::v1::GetInitiativeAreaRequest ga;
      ga.set_id(g.initiative_area_id());
      plans::v1::GetInitiativeAreaResponse area;
      s = area_stub->GetInitiativeArea(ctx().get(), ga, &area);
      ASSERT_TRUE(s.ok()) << s.error_message();
      const auto& served = area.initiative_area().life_areas();
      EXPECT_NE(std::find(served.begin(), served.end(), g.life_area()), served.end())
          << g.description() << " -> " << area.initiative_area().title();
    }
    EXPECT_EQ(life_areas.count(common::v1::LIFE_AREA_LIVE), 1u);
    EXPECT_EQ(life_areas.count(common::v1::LIFE_AREA_BE), 1u);

    // Volunteers: one accompaniment to an activity, a volunteer booked.
    ASSERT_EQ(o.volunteers().accompaniment_requests_size(), 1);
    const auto& acc = o.volunteers().accompaniment_requests(0);
    EXPECT_EQ(acc.citizen_id(), citizen);
    EXPECT_FALSE(acc.activity_id().empty());
    EXPECT_FALSE(acc.volunteer_id().empty());
    EXPECT_EQ(acc.request_state(), volunteers::v1::REQUEST_STATE_MATCHED);

    // Guides: one request and its one match, accepted by the guide.
    ASSERT_EQ(o.guides().guidance_requests_size(), 1);
    EXPECT_EQ(o.guides().guidance_requests(0).citizen_id(), citizen);
    ASSERT_EQ(o.guides().matches_size(), 1);
    EXPECT_EQ(o.guides().matches(0).guidance_request_id(), o.guides().guidance_requests(0).id());
    EXPECT_EQ(o.guides().matches(0).match_state(), guides::v1::MATCH_STATE_ACCEPTED);

    // Housing: one application; any stay and offer are the citizen's.
    ASSERT_EQ(o.housing().applications_size(), 1);
    EXPECT_EQ(o.housing().applications(0).citizen_id(), citizen);
    for (const auto& t : o.housing().tenancies()) EXPECT_EQ(t.citizen_id(), citizen);
    for (const auto& of : o.housing().offers()) {
      EXPECT_EQ(of.application_id(), o.housing().applications(0).id());
    }
    if (std::string(citizen) == "demo-730-w1") {  // in a §110 shelter place
      ASSERT_EQ(o.housing().tenancies_size(), 1);
    }
  }
}

}  // namespace
}  // namespace helhed::gateway
