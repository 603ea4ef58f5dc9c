#include "tests/fuzz/service_fuzz.h"

#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/auth/principal.h"
#include "common/auth/principal_token.h"
#include "common/observability/grpc_metrics.h"
#include "common/observability/log.h"
#include "common/server/byte_buffer.h"
#include "google/protobuf/dynamic_message.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/client_interceptor.h"
#include "grpcpp/support/interceptor.h"

namespace helhed::fuzz {
namespace {

namespace pb = google::protobuf;

// What the demo loader sent, as fuzz inputs, and what it got back.
struct Seeds {
  std::mutex mu;
  std::vector<std::string> inputs;
  // Resources in the answers, by message type ("helhed.volunteers.v1.Volunteer").
  std::map<std::string, std::vector<std::unique_ptr<pb::Message>>> resources;
};

struct State {
  Target target;
  std::string dir;
  std::vector<std::unique_ptr<server::InProcessHost>> backends;
  std::unique_ptr<server::InProcessHost> host;
  std::vector<const pb::MethodDescriptor*> methods;
  std::map<std::string, int> method_index;  // "/pkg.Service/Method" -> index
  std::vector<std::string> paths;
  std::unique_ptr<grpc::GenericStub> stub;
  std::vector<auth::Principal> principals;
  // The principal key of every host here (the services verify, the channels
  // and the gateway sign) and its file.
  std::shared_ptr<const auth::PrincipalKey> principal_key;
  std::string principal_key_file;
  Seeds seeds;
  // Answers by method and code, printed at exit: what the run reached.
  std::mutex counts_mu;
  std::map<std::string, std::map<std::string, int64_t>> counts;
};

State* state = nullptr;

auth::Principal MakePrincipal(const std::string& municipality) {
  auth::Principal p;
  p.set_subject("fuzz");
  p.set_municipality_code(municipality);
  for (int r = common::v1::Role_MIN + 1; r <= common::v1::Role_MAX; ++r) {
    p.add_roles(static_cast<common::v1::Role>(r));
  }
  return p;
}

void CollectResources(const pb::Message& m, int depth);

// Records every request a client of the in-process channel sends.
class Recorder : public grpc::experimental::Interceptor {
 public:
  explicit Recorder(std::string method) : method_(std::move(method)) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* m) override {
    using grpc::experimental::InterceptionHookPoints;
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      auto* md = m->GetSendInitialMetadata();
      auto it = md->find(auth::kPrincipalMetadataKey);
      if (it != md->end()) {
        auto p = auth::DecodePrincipal(it->second);
        principal_ = p.ok() && p->municipality_code() == "810" ? 1 : 0;
      }
    }
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      auto it = state->method_index.find(method_);
      const grpc::ByteBuffer* buffer = m->GetSerializedSendMessage();
      if (it != state->method_index.end() && buffer != nullptr) {
        std::string input;
        input.push_back(static_cast<char>(it->second));
        input.push_back(static_cast<char>(principal_));
        input += server::BytesOf(*buffer);
        std::lock_guard<std::mutex> lock(state->seeds.mu);
        state->seeds.inputs.push_back(std::move(input));
      }
    }
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      const auto* answer = static_cast<const pb::Message*>(m->GetRecvMessage());
      if (answer != nullptr) {
        std::lock_guard<std::mutex> lock(state->seeds.mu);
        CollectResources(*answer, 0);
      }
    }
    m->Proceed();
  }

 private:
  std::string method_;
  int principal_ = 2;
};

// Every message with a string field "id" in `m` (depth-first, shallow).
void CollectResources(const pb::Message& m, int depth) {
  const pb::Descriptor* d = m.GetDescriptor();
  const pb::FieldDescriptor* id = d->FindFieldByName("id");
  if (id != nullptr && id->type() == pb::FieldDescriptor::TYPE_STRING && !id->is_repeated() &&
      !m.GetReflection()->GetString(m, id).empty()) {
    auto& list = state->seeds.resources[d->full_name()];
    if (list.size() < 8) {
      list.emplace_back(m.New());
      list.back()->CopyFrom(m);
    }
  }
  if (depth >= 2) return;
  const pb::Reflection* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    if (f->type() != pb::FieldDescriptor::TYPE_MESSAGE) continue;
    if (f->is_repeated()) {
      for (int j = 0; j < r->FieldSize(m, f) && j < 8; ++j) {
        CollectResources(r->GetRepeatedMessage(m, f, j), depth + 1);
      }
    } else if (r->HasField(m, f)) {
      CollectResources(r->GetMessage(m, f), depth + 1);
    }
  }
}

class RecorderFactory : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* info) override {
    return new Recorder(info->method());
  }
};

void PrintCounts() {
  std::lock_guard<std::mutex> lock(state->counts_mu);
  std::fprintf(stderr, "helhed fuzz (%s): answers by RPC\n", state->target.service.c_str());
  int reached_ok = 0;
  for (const auto& path : state->paths) {
    auto it = state->counts.find(path);
    std::string line;
    if (it != state->counts.end()) {
      for (const auto& [code, n] : it->second) absl::StrAppend(&line, " ", code, "=", n);
      if (it->second.count("OK") != 0) ++reached_ok;
    }
    std::fprintf(stderr, "  %s%s\n", path.c_str(), line.empty() ? " (never called)" : line.c_str());
  }
  std::fprintf(stderr, "helhed fuzz (%s): %d of %zu RPCs answered OK at least once\n",
               state->target.service.c_str(), reached_ok, state->paths.size());
}

void RemoveDir() {
  if (state != nullptr && !state->dir.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(state->dir, ignored);
  }
}

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "helhed fuzz (%s): %s\n", state->target.service.c_str(), what.c_str());
  std::fflush(stderr);
  std::abort();
}

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

// The k-th id of a resource whose snake name is `x` or starts with "x_"
// (accompaniment_id -> AccompanimentRequest), or "".
std::string IdOf(const std::string& x, size_t k) {
  for (const auto& [type, list] : state->seeds.resources) {
    const std::string name = Snake(type.substr(type.rfind('.') + 1));
    if (name == x || name.rfind(x + "_", 0) == 0) {
      const pb::Message& m = *list[k % list.size()];
      return m.GetReflection()->GetString(m, m.GetDescriptor()->FindFieldByName("id"));
    }
  }
  return "";
}

// A request of `method` about existing resources (the k-th of each kind):
// resource fields set to one the demo created, "id" to one of the kind the
// method names (GetVolunteer), "<x>_id" to one of kind x. Empty when it
// names nothing the demo created.
std::string RequestAbout(const pb::MethodDescriptor* method, size_t k) {
  std::unique_ptr<pb::Message> req(
      pb::MessageFactory::generated_factory()->GetPrototype(method->input_type())->New());
  const pb::Descriptor* d = req->GetDescriptor();
  const pb::Reflection* r = req->GetReflection();
  bool named = false;
  const pb::Message* resource = nullptr;
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    if (f->is_repeated()) continue;
    if (f->type() == pb::FieldDescriptor::TYPE_MESSAGE) {
      auto it = state->seeds.resources.find(f->message_type()->full_name());
      if (it != state->seeds.resources.end()) {
        resource = it->second[k % it->second.size()].get();
        r->MutableMessage(req.get(), f)->CopyFrom(*resource);
        named = true;
      } else if (f->message_type()->full_name() == "google.protobuf.FieldMask" && resource) {
        // Change the resource's second field (the first after its id).
        const pb::Descriptor* rd = resource->GetDescriptor();
        if (rd->field_count() > 1) {
          pb::Message* mask = r->MutableMessage(req.get(), f);
          mask->GetReflection()->AddString(mask, mask->GetDescriptor()->FindFieldByName("paths"),
                                           rd->field(1)->name());
        }
      }
    } else if (f->type() == pb::FieldDescriptor::TYPE_STRING && f->name() == "idempotency_key") {
      r->SetString(req.get(), f, absl::StrCat("fuzz-seed-", method->name(), "-", k));
    } else if (f->type() == pb::FieldDescriptor::TYPE_STRING && f->name() == "etag" &&
               d->FindFieldByName("id") != nullptr) {
      // The etag of the resource the id names (set just before: id comes first).
      const std::string id = r->GetString(*req, d->FindFieldByName("id"));
      for (const auto& [type, list] : state->seeds.resources) {
        for (const auto& m : list) {
          const pb::FieldDescriptor* mid = m->GetDescriptor()->FindFieldByName("id");
          const pb::FieldDescriptor* metag = m->GetDescriptor()->FindFieldByName("etag");
          if (metag != nullptr && !id.empty() && m->GetReflection()->GetString(*m, mid) == id) {
            r->SetString(req.get(), f, m->GetReflection()->GetString(*m, metag));
          }
        }
      }
    } else if (f->type() == pb::FieldDescriptor::TYPE_STRING) {
      std::string id;
      if (f->name() == "id") {
        // GetVolunteer, ArchiveAccompanimentRequest: the kind after the verb.
        const std::string& m = method->name();
        size_t verb = 1;
        while (verb < m.size() && !(m[verb] >= 'A' && m[verb] <= 'Z')) ++verb;
        id = IdOf(Snake(m.substr(verb)), k);
      } else if (f->name().size() > 3 && f->name().compare(f->name().size() - 3, 3, "_id") == 0) {
        id = IdOf(f->name().substr(0, f->name().size() - 3), k);
      }
      if (!id.empty()) {
        r->SetString(req.get(), f, id);
        named = true;
      }
    }
  }
  return named ? req->SerializeAsString() : std::string();
}

void WriteSeeds(const std::string& out_dir) {
  std::filesystem::create_directories(out_dir);
  std::vector<std::string> inputs;
  std::lock_guard<std::mutex> lock(state->seeds.mu);
  inputs = state->seeds.inputs;
  for (size_t i = 0; i < state->paths.size(); ++i) {
    inputs.push_back(std::string{static_cast<char>(i), 0});
    for (size_t k = 0; k < 3; ++k) {
      const std::string about = RequestAbout(state->methods[i], k);
      if (!about.empty()) inputs.push_back(std::string{static_cast<char>(i), 0} + about);
    }
  }
  int n = 0;
  for (const auto& input : inputs) {
    std::ofstream out(absl::StrCat(out_dir, "/seed-", state->target.service, "-", n++),
                      std::ios::binary);
    out << input;
  }
  std::fprintf(stderr, "helhed fuzz (%s): %d seeds written to %s\n", state->target.service.c_str(),
               n, out_dir.c_str());
}

std::unique_ptr<server::InProcessHost> StartHost(const Target& target, bool listen) {
  server::ServerConfig config;
  config.service_name = target.service;
  config.store_url = absl::StrCat("sqlite://", state->dir, "/", target.service, ".db");
  config.store_pool = 4;
  config.workers = 4;
  config.page_token_key = "fuzz-page-token-key";
  config.principal_key_file = state->principal_key_file;
  config.policy_file = std::string(HELHED_SOURCE_DIR) + "/common/auth/default_policy.txt";
  config.drain = absl::Seconds(1);
  if (listen) config.listen = "127.0.0.1:0";
  auto host = server::InProcessHost::Start(config, *target.migrations, target.wiring);
  if (!host.ok()) {
    std::fprintf(stderr, "cannot start %s: %s\n", target.service.c_str(),
                 host.status().ToString().c_str());
    std::exit(1);
  }
  return *std::move(host);
}

void LoadDemo(const Target& target, const server::InProcessHost& host) {
  if (!target.load_demo) return;
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> recorders;
  recorders.push_back(std::make_unique<RecorderFactory>());
  // After the recorder, which reads the bare principal the loader attaches.
  recorders.push_back(auth::NewPrincipalSigner(state->principal_key, target.service));
  absl::Status loaded =
      target.load_demo(host.InProcessChannelWithInterceptors(std::move(recorders)));
  if (!loaded.ok()) {
    std::fprintf(stderr, "demo data of %s: %s\n", target.service.c_str(),
                 loaded.ToString().c_str());
    std::exit(1);
  }
}

}  // namespace

int Initialize(Target target) {
  state = new State();
  state->target = std::move(target);
  // Call logs at info would drown libFuzzer's output; errors stay.
  log::SetLevel("warning");
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/helhed-fuzz-",
                                   state->target.service, "-XXXXXX");
  if (mkdtemp(templ.data()) == nullptr) {
    std::perror("mkdtemp");
    std::exit(1);
  }
  state->dir = templ;
  std::atexit(RemoveDir);
  std::atexit(PrintCounts);
  const std::string key_bytes = "helhed-fuzz-principal-key: not a secret, fuzzing only";
  state->principal_key_file = state->dir + "/principal.key";
  std::ofstream(state->principal_key_file, std::ios::binary) << key_bytes;
  state->principal_key =
      std::make_shared<const auth::PrincipalKey>(*auth::PrincipalKey::FromBytes(key_bytes));

  // The method table first: the recorder maps what the demo loaders send
  // into it.
  std::vector<std::string> services = state->target.services;
  std::vector<const pb::MethodDescriptor*> methods;
  for (const auto& name : services) {
    const pb::ServiceDescriptor* sd = pb::DescriptorPool::generated_pool()->FindServiceByName(name);
    if (sd == nullptr) {
      std::fprintf(stderr, "no service %s\n", name.c_str());
      std::exit(1);
    }
    for (int i = 0; i < sd->method_count(); ++i) methods.push_back(sd->method(i));
  }

  std::vector<int> ports;
  for (const Target& backend : state->target.backends) {
    auto started = StartHost(backend, /*listen=*/true);
    ports.push_back(started->port());
    state->backends.push_back(std::move(started));
  }
  if (state->target.before_wiring) state->target.before_wiring(ports);
  state->host = StartHost(state->target, /*listen=*/false);
  if (methods.empty()) methods = state->host->methods();
  state->methods = methods;
  for (const auto* m : state->methods) {
    const std::string path = absl::StrCat("/", m->service()->full_name(), "/", m->name());
    state->method_index[path] = static_cast<int>(state->paths.size());
    state->paths.push_back(path);
  }
  if (state->paths.empty() || state->paths.size() > 256) {
    std::fprintf(stderr, "%zu methods: one byte cannot pick them\n", state->paths.size());
    std::exit(1);
  }
  state->principals = {MakePrincipal("730"), MakePrincipal("810")};

  // The demo data, loaded through channels that record every request.
  for (size_t i = 0; i < state->backends.size(); ++i) {
    LoadDemo(state->target.backends[i], *state->backends[i]);
  }
  LoadDemo(state->target, *state->host);
  if (const char* out = std::getenv("HELHED_FUZZ_SEEDS"); out != nullptr && *out != '\0') {
    WriteSeeds(out);
  }
  // Signs the principal RunOne attaches, as the gateway would.
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> signers;
  signers.push_back(auth::NewPrincipalSigner(state->principal_key, state->target.service));
  state->stub = std::make_unique<grpc::GenericStub>(
      state->host->InProcessChannelWithInterceptors(std::move(signers)));
  return 0;
}

int RunOne(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const int index = data[0] % static_cast<int>(state->paths.size());
  const pb::MethodDescriptor* method = state->methods[index];
  const int who = data[1] % 3;
  const pb::Message* prototype =
      pb::MessageFactory::generated_factory()->GetPrototype(method->input_type());
  std::unique_ptr<pb::Message> request(prototype->New());
  if (!request->ParseFromArray(data + 2, static_cast<int>(size - 2))) {
    return 0;
  }
  std::string bytes;
  request->SerializeToString(&bytes);
  grpc::ByteBuffer request_buffer = server::BufferOf(bytes);
  grpc::ByteBuffer response_buffer;

  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  if (state->target.attach) {
    state->target.attach(&ctx, who);
  } else if (who < 2) {
    auth::AttachPrincipal(&ctx, state->principals[who]);
  }
  absl::Notification done;
  grpc::Status status;
  state->stub->UnaryCall(&ctx, state->paths[index], grpc::StubOptions(), &request_buffer,
                         &response_buffer, [&](grpc::Status s) {
                           status = std::move(s);
                           done.Notify();
                         });
  done.WaitForNotification();

  {
    std::lock_guard<std::mutex> lock(state->counts_mu);
    ++state->counts[state->paths[index]][observability::GrpcStatusName(status.error_code())];
  }
  const std::string what =
      absl::StrCat(state->paths[index], " as ",
                   who < 2 ? state->principals[who].municipality_code() : "no principal");
  switch (status.error_code()) {
    case grpc::StatusCode::OK: {
      std::unique_ptr<pb::Message> response(
          pb::MessageFactory::generated_factory()->GetPrototype(method->output_type())->New());
      if (!response->ParseFromString(server::BytesOf(response_buffer))) {
        Fail(absl::StrCat(what, ": OK with a response that is not a ",
                          method->output_type()->full_name()));
      }
      break;
    }
    case grpc::StatusCode::INVALID_ARGUMENT: {
      google::rpc::Status details;
      google::rpc::BadRequest bad;
      bool named = false;
      if (details.ParseFromString(status.error_details())) {
        for (const auto& any : details.details()) {
          if (any.UnpackTo(&bad)) {
            for (const auto& v : bad.field_violations()) {
              named = named || !v.field().empty();
            }
          }
        }
      }
      if (!named) {
        Fail(absl::StrCat(what, ": INVALID_ARGUMENT naming no field: ", status.error_message()));
      }
      break;
    }
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::OUT_OF_RANGE:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      break;
    default:
      Fail(absl::StrCat(what, ": ", observability::GrpcStatusName(status.error_code()), " ",
                        status.error_message()));
  }
  return 0;
}

}  // namespace helhed::fuzz
