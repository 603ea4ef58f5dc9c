// libFuzzer target for the gateway's parsers: what it reads from callers before any
// backend sees a byte. An input is [mode][rest]; mode (modulo 4) picks:
//   0  the rest as a bearer token, verified with JwtVerifier against real
//      RS256 and ES256 keys (the seeds are valid tokens signed with them);
//   1  [method][rest]: the rest as the request (or, with the method byte's
//      high bit, the response) of one routed RPC, through CheckWire (the
//      UTF-8 wire check) and CitizenRefsOf (the audit's citizen ids);
//   2  the rest as a CPR number for ResolveCitizen (NormalizeCpr);
//   3  the rest as a policy file (Policy::Parse against the routed services).
// Bugs: a crash or sanitizer report; a token verified that no key signed; a
// message the wire check judges otherwise than protobuf's parser does (an
// unknown field counting as refused); a CPR
// accepted that is not ten digits, or refused without naming the field.
#include <openssl/evp.h>
#include <stdlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/audit/citizen_fields.h"
#include "common/status/field_violations.h"
#include "common/status/grpc_status.h"
#include "google/protobuf/message.h"
#include "google/protobuf/stubs/logging.h"
#include "helhed/gateway/v1/gateway_service.grpc.pb.h"
#include "helhed/guides/v1/guides_service.pb.h"
#include "helhed/housing/v1/housing_service.pb.h"
#include "helhed/plans/v1/plans_service.pb.h"
#include "helhed/volunteers/v1/volunteers_service.pb.h"
#include "services/gateway/audit/cpr.h"
#include "services/gateway/audit/wire_check.h"
#include "services/gateway/auth/jwt_verifier.h"
#include "services/gateway/policy/policy.h"
#include "tests/support/test_keys.h"

namespace {

namespace pb = google::protobuf;

struct State {
  std::string dir;
  std::unique_ptr<helhed::gateway::JwtVerifier> verifier;
  std::set<std::string> tokens;  // the valid ones we minted
  std::set<std::string> routed;
  std::vector<const pb::MethodDescriptor*> methods;
  absl::Time now;
};

State* state = nullptr;

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "helhed fuzz (gateway_parsers): %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

void RemoveDir() {
  if (state != nullptr && !state->dir.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(state->dir, ignored);
  }
}

using helhed::testing::Pem;
using helhed::testing::WriteFile;

// INVALID_ARGUMENT naming at least one field.
bool NamesAField(const absl::Status& s) {
  if (s.code() != absl::StatusCode::kInvalidArgument) return false;
  for (const auto& v : helhed::FieldViolationsOf(s)) {
    if (!v.field.empty()) return true;
  }
  return false;
}

void CheckToken(const std::string& token) {
  for (const std::string& header : {absl::StrCat("Bearer ", token), token}) {
    const helhed::gateway::VerifyResult r = state->verifier->Verify(header, state->now);
    if (r.ok && state->tokens.count(token) == 0) {
      Fail("a token no key of ours signed was verified");
    }
  }
}

void CheckMessage(uint8_t selector, const std::string& bytes) {
  const pb::MethodDescriptor* m = state->methods[(selector & 0x7f) % state->methods.size()];
  const pb::Descriptor* type = (selector & 0x80) != 0 ? m->output_type() : m->input_type();
  const absl::Status wire = helhed::gateway::CheckWire(type, bytes);
  std::unique_ptr<pb::Message> parsed(
      pb::MessageFactory::generated_factory()->GetPrototype(type)->New());
  bool parses = parsed->ParseFromString(bytes);
  // Unknown fields (at any depth) the wire check refuses too: protobuf
  // keeps them, so it is "parses" with nothing left over after discarding.
  if (parses) {
    const size_t size = parsed->ByteSizeLong();
    parsed->DiscardUnknownFields();
    parses = parsed->ByteSizeLong() == size;
  }
  // protobuf refuses exactly what the wire check must: malformed bytes and
  // strings that are not UTF-8 (proto3); the check must say so, as
  // INVALID_ARGUMENT (naming the field for a string).
  if (wire.ok() != parses || (!wire.ok() && wire.code() != absl::StatusCode::kInvalidArgument)) {
    Fail(absl::StrCat("CheckWire of ", type->full_name(), " (protobuf ",
                      parses ? "parses it" : "does not parse it", "): ", wire.ToString()));
  }
  const auto refs = helhed::audit::CitizenRefsOf(type, bytes);
  if (!refs.ok() && refs.status().code() != absl::StatusCode::kInvalidArgument) {
    Fail(absl::StrCat("CitizenRefsOf ", type->full_name(), ": ", refs.status().ToString()));
  }
}

void CheckCpr(const std::string& text) {
  const auto cpr = helhed::gateway::NormalizeCpr(text);
  if (cpr.ok()) {
    if (cpr->size() != 10 || !std::all_of(cpr->begin(), cpr->end(), absl::ascii_isdigit)) {
      Fail("NormalizeCpr accepted something that is not ten digits");
    }
  } else if (!NamesAField(cpr.status())) {
    Fail(absl::StrCat("NormalizeCpr refused without naming the field: ", cpr.status().ToString()));
  }
}

void CheckPolicy(const std::string& text) {
  const auto policy = helhed::gateway::Policy::Parse(
      text, "fuzz.policy", *pb::DescriptorPool::generated_pool(), state->routed);
  if (!policy.ok() && policy.status().code() != absl::StatusCode::kInvalidArgument) {
    Fail(absl::StrCat("Policy::Parse: ", policy.status().ToString()));
  }
}

void WriteSeeds(const std::string& out_dir) {
  std::filesystem::create_directories(out_dir);
  std::vector<std::string> inputs;
  for (const auto& t : state->tokens) inputs.push_back(absl::StrCat(std::string(1, '\0'), t));
  inputs.push_back(std::string("\0eyJhbGciOiJub25lIn0.e30.", 25));
  for (size_t i = 0; i < state->methods.size(); ++i) {
    inputs.push_back(std::string{'\1', static_cast<char>(i)});
    inputs.push_back(std::string{'\1', static_cast<char>(i | 0x80)});
  }
  inputs.push_back(
      "\2"
      "010203-1234");
  inputs.push_back(
      "\2"
      "3112994321");
  std::ifstream policy(std::string(HELHED_SOURCE_DIR) + "/common/auth/default_policy.txt");
  inputs.push_back(absl::StrCat("\3", std::string((std::istreambuf_iterator<char>(policy)),
                                                  std::istreambuf_iterator<char>())));
  int n = 0;
  for (const auto& input : inputs) {
    WriteFile(absl::StrCat(out_dir, "/seed-gateway_parsers-", n++), input);
  }
  std::fprintf(stderr, "helhed fuzz (gateway_parsers): %d seeds written to %s\n", n,
               out_dir.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  state = new State();
  // protobuf logs every string that is not UTF-8; the checks here say more.
  pb::SetLogHandler(nullptr);
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp",
                                   "/helhed-fuzz-gateway_parsers-XXXXXX");
  if (mkdtemp(templ.data()) == nullptr) {
    std::perror("mkdtemp");
    std::exit(1);
  }
  state->dir = templ;
  std::atexit(RemoveDir);
  // A fixed clock: the minted tokens stay valid however long a run lasts.
  state->now = absl::FromUnixSeconds(1790000000);

  std::vector<std::pair<std::string, EVP_PKEY*>> keys = {{"fuzz-rsa", EVP_RSA_gen(2048)},
                                                         {"fuzz-ec", EVP_EC_gen("P-256")}};
  for (auto& [kid, key] : keys) {
    WriteFile(absl::StrCat(state->dir, "/", kid, ".pem"), Pem(key, false));
    helhed::gateway::MintOptions mint;
    mint.private_key_pem = Pem(key, true);
    mint.kid = kid;
    mint.issuer = "helhed-fuzz";
    mint.audience = "helhed";
    mint.subject = "fuzz";
    mint.municipality = "730";
    mint.roles = {"caseworker", "manager"};
    mint.issued_at = state->now - absl::Minutes(1);
    auto token = helhed::gateway::MintToken(mint);
    if (!token.ok()) {
      std::fprintf(stderr, "cannot mint: %s\n", token.status().ToString().c_str());
      std::exit(1);
    }
    state->tokens.insert(*token);
    EVP_PKEY_free(key);
  }
  auto verifier = helhed::gateway::JwtVerifier::Create(
      helhed::gateway::JwtConfig{state->dir, "helhed-fuzz", "helhed", absl::Seconds(30)});
  if (!verifier.ok()) {
    std::fprintf(stderr, "verifier: %s\n", verifier.status().ToString().c_str());
    std::exit(1);
  }
  state->verifier = *std::move(verifier);
  for (const auto& t : state->tokens) {
    if (!state->verifier->Verify(absl::StrCat("Bearer ", t), state->now).ok) {
      std::fprintf(stderr, "a minted token does not verify\n");
      std::exit(1);
    }
  }

  // Links the generated descriptors of every routed service.
  (void)helhed::gateway::v1::GetCitizenOverviewRequest::descriptor();
  (void)helhed::plans::v1::CreatePlanRequest::descriptor();
  (void)helhed::volunteers::v1::CreateVolunteerRequest::descriptor();
  (void)helhed::guides::v1::CreateGuideRequest::descriptor();
  (void)helhed::housing::v1::CreateUnitRequest::descriptor();
  state->routed = {"helhed.plans.v1.PlansService",           "helhed.plans.v1.CitizenPlansService",
                   "helhed.volunteers.v1.VolunteersService", "helhed.guides.v1.GuidesService",
                   "helhed.housing.v1.HousingService",       "helhed.gateway.v1.GatewayService",
                   "helhed.gateway.v1.AuditService"};
  for (const auto& name : state->routed) {
    const pb::ServiceDescriptor* s = pb::DescriptorPool::generated_pool()->FindServiceByName(name);
    if (s == nullptr) {
      std::fprintf(stderr, "no service %s\n", name.c_str());
      std::exit(1);
    }
    for (int i = 0; i < s->method_count(); ++i) state->methods.push_back(s->method(i));
  }
  if (const char* out = std::getenv("HELHED_FUZZ_SEEDS"); out != nullptr && *out != '\0') {
    WriteSeeds(out);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      CheckToken(rest);
      break;
    case 1:
      if (!rest.empty()) CheckMessage(static_cast<uint8_t>(rest[0]), rest.substr(1));
      break;
    case 2:
      CheckCpr(rest);
      break;
    case 3:
      CheckPolicy(rest);
      break;
  }
  return 0;
}
