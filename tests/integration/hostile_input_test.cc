// Hostile values on every field through the gateway, driven by the protobuf
// descriptors (issue "Proof under load, faults and bad input").
//
// Starts the four real services on SQLite and the real gateway, and calls
// only the gateway. For every Create* RPC of every service it starts from one
// valid request (the table below) and, for every singular string, integer,
// double and enum field of the request and of its resource at any depth
// (found with google::protobuf::Reflection, no hand list), replaces the value
// with each hostile value: SQL injection, 1 MB, invalid UTF-8, control
// characters, NUL inside, empty, whitespace only, RTL override, emoji;
// -1, INT_MIN, INT_MAX, 1e308, NaN, infinities; unknown enum values. Each
// must be either
//   (a) INVALID_ARGUMENT whose google.rpc.BadRequest names that field (or a
//       message containing it, e.g. a date for its year), with nothing
//       written: the List of that kind counts the same before and after; or
//   (b) OK, one more record, and a Get of it returns the value byte for
//       byte (fields the service ignores on create, i.e. output-only ones,
//       are found with a benign probe first and only need not to fail).
// Never INTERNAL/UNKNOWN, never a crash. A sentinel record of every kind,
// made first, reads back identical at the end. List RPCs refuse page sizes
// -1 and 1,000,000 naming page.page_size, and a request over 4 MiB is
// RESOURCE_EXHAUSTED without writing anything.
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <functional>
#include <future>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/observability/grpc_metrics.h"
#include "common/server/byte_buffer.h"
#include "common/status/field_violations.h"
#include "common/status/grpc_status.h"
#include "common/store/database.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"
#include "helhed/gateway/v1/gateway_service.grpc.pb.h"
#include "helhed/guides/v1/guides_service.grpc.pb.h"
#include "helhed/housing/v1/housing_service.grpc.pb.h"
#include "helhed/plans/v1/plans_service.grpc.pb.h"
#include "helhed/volunteers/v1/volunteers_service.grpc.pb.h"
#include "services/gateway/auth/jwt_verifier.h"
#include "tests/support/service_process.h"
#include "tests/support/test_keys.h"
#include "tests/support/test_store.h"

namespace helhed {
namespace {

namespace pb = ::google::protobuf;
using helhed::testing::Backend;
using helhed::testing::ServiceProcess;
using FD = pb::FieldDescriptor;

constexpr char kPlans[] = "helhed.plans.v1.PlansService";
constexpr char kCitizenPlans[] = "helhed.plans.v1.CitizenPlansService";
constexpr char kVolunteers[] = "helhed.volunteers.v1.VolunteersService";
constexpr char kGuides[] = "helhed.guides.v1.GuidesService";
constexpr char kHousing[] = "helhed.housing.v1.HousingService";
constexpr char kAudit[] = "helhed.gateway.v1.AuditService";

// One Create RPC: a valid request in text format and how to count its kind.
// Placeholders: $UNIQ (unique per request), $TS1/$TS2 (seconds, two days
// ahead and two hours later), $<Kind> (the sentinel of an earlier case of the
// same group, e.g. $Plan), $FRESH_UNIT (a new available housing unit).
struct Case {
  std::string service;
  std::string create;       // e.g. "CreateUnit"; Get is "Get" + kind
  std::string list;         // e.g. "ListUnits"
  std::string list_filter;  // text format of the List request, without page
  std::string valid;        // text format of the Create request
  std::string kind() const { return create.substr(6); }
};

// Groups run in parallel (one per backend table set); cases in a group run
// in order, so a case can use the sentinels of the cases before it.
std::vector<std::vector<Case>> Groups() {
  return {
      {
          {kPlans, "CreatePolicy", "ListPolicies", "",
           R"(policy { title: "Politik $UNIQ" period { start_year: 2023 end_year: 2026 }
                       summary: "Kort resume" owner: "Byraadet" }
              idempotency_key: "r-$UNIQ")"},
          {kPlans, "CreatePlan", "ListPlans", R"(policy_id: "$Policy")",
           R"(plan { policy_id: "$Policy" title: "Plan $UNIQ"
                     period { start_year: 2023 end_year: 2026 } owner: "Center"
                     mission: "Mission" vision: "Vision" summary: "Resume"
                     target_groups: TARGET_GROUP_AUTISM }
              idempotency_key: "r-$UNIQ")"},
          {kPlans, "CreateTrack", "ListTracks", R"(plan_id: "$Plan")",
           R"(track { plan_id: "$Plan" title: "Spor $UNIQ" description: "Om sporet" position: 1 }
              idempotency_key: "r-$UNIQ")"},
          {kPlans, "CreateInitiativeArea", "ListInitiativeAreas", R"(plan_id: "$Plan")",
           R"(initiative_area { plan_id: "$Plan" track_id: "$Track" title: "Omraade $UNIQ"
                                purpose: "Formaal" why: "Hvorfor" goal: "Maal"
                                sdg_targets { code: "10.2" } responsible_unit: "Enheden"
                                position: 2 }
              idempotency_key: "r-$UNIQ")"},
          {kPlans, "CreateActivity", "ListActivities", R"(initiative_area_id: "$InitiativeArea")",
           R"(activity { initiative_area_id: "$InitiativeArea" title: "Aktivitet $UNIQ"
                         description: "Beskrivelse" status: ACTIVITY_STATUS_PLANNED
                         start_date { year: 2024 month: 1 day: 1 }
                         due_date { year: 2025 month: 6 day: 30 } responsible: "Teamet" }
              idempotency_key: "r-$UNIQ")"},
          {kPlans, "CreateIndicator", "ListIndicators", R"(plan_id: "$Plan")",
           R"(indicator { plan_id: "$Plan" initiative_area_id: "$InitiativeArea"
                          title: "Indikator $UNIQ" description: "Beskrivelse" unit: "personer"
                          direction: INDICATOR_DIRECTION_INCREASE
                          baseline { date { year: 2023 month: 1 day: 1 } value: 10 }
                          target { date { year: 2026 month: 1 day: 1 } value: 20.5 } }
              idempotency_key: "r-$UNIQ")"},
      },
      {
          {kCitizenPlans, "CreateCitizenPlan", "ListCitizenPlans", "",
           R"(citizen_plan { citizen_id: "c-$UNIQ" hopes: "Et hjem og et job" }
              idempotency_key: "r-$UNIQ")"},
          {kCitizenPlans, "CreateGoal", "ListGoals", R"(citizen_plan_id: "$CitizenPlan")",
           R"(goal { citizen_plan_id: "$CitizenPlan" description: "Maal $UNIQ"
                     life_area: LIFE_AREA_MASTER target_date { year: 2027 month: 1 day: 1 } }
              idempotency_key: "r-$UNIQ")"},
          {kCitizenPlans, "CreateAction", "ListActions", R"(goal_id: "$Goal")",
           R"(action { goal_id: "$Goal" description: "Handling $UNIQ"
                       performer: ACTION_PERFORMER_CITIZEN due_date { year: 2027 month: 1 day: 1 } }
              idempotency_key: "r-$UNIQ")"},
      },
      {
          {kVolunteers, "CreateOrganisation", "ListOrganisations", "",
           R"(organisation { name: "Forening $UNIQ" kind: ORGANISATION_KIND_SPORTS_CLUB
                             contact { email: "kontakt@klub.dk" phone: "+45 12345678" }
                             postcodes: "8900" description: "Om foreningen" }
              idempotency_key: "r-$UNIQ")"},
          {kVolunteers, "CreateVolunteer", "ListVolunteers", "",
           R"(volunteer { display_name: "Frivillig $UNIQ" contact { email: "f@x.dk" phone: "12345678" }
                          interests: "fodbold" languages: "da" home_postcode: "8900"
                          home_location { latitude: 56.46 longitude: 10.03 } max_travel_km: 10
                          availability { weekday: WEEKDAY_WEDNESDAY start_minute: 480 end_minute: 1320 }
                          max_hours_per_week: 5
                          record_check { kind: RECORD_CHECK_KIND_CRIMINAL_RECORD
                                         status: RECORD_CHECK_STATUS_VALID
                                         expiry_date { year: 2100 month: 1 day: 1 } }
                          role_agreement { version: "2024-1" signed_date { year: 2024 month: 1 day: 1 } }
                          status: VOLUNTEER_STATUS_ACTIVE consent_given: true
                          consent_date { year: 2024 month: 1 day: 1 } gender: GENDER_FEMALE }
              idempotency_key: "r-$UNIQ")"},
          {kVolunteers, "CreateActivity", "ListActivities", R"(organisation_id: "$Organisation")",
           R"(activity { organisation_id: "$Organisation" title: "Fodbold $UNIQ"
                         description: "For alle" capacity: 3
                         place { address: "Stadionvej 1" postcode: "8900"
                                 location { latitude: 56.46 longitude: 10.03 } }
                         one_off { start_time { seconds: $TS1 } duration_minutes: 90 } }
              idempotency_key: "r-$UNIQ")"},
          {kVolunteers, "CreateAccompanimentRequest", "ListAccompanimentRequests", "",
           R"(accompaniment_request { citizen_id: "c-$UNIQ" destination: "Stadion"
                                      place { address: "Torvet 2" postcode: "8900"
                                              location { latitude: 56.46 longitude: 10.03 } }
                                      window_start { seconds: $TS1 } window_end { seconds: $TS2 }
                                      language: "da" gender_preference: GENDER_FEMALE }
              idempotency_key: "r-$UNIQ")"},
      },
      {
          {kGuides, "CreateGuide", "ListGuides", "",
           R"(guide { display_name: "Guide $UNIQ" experiences { tag: EXPERIENCE_TAG_AUTISM years_ago: 5 }
                      languages: "da" home_postcode: "8900"
                      home_location { latitude: 56.46 longitude: 10.03 } max_travel_km: 20
                      age_band: AGE_BAND_30_49 gender: GENDER_MALE
                      trainings { course: "Borgerguide-uddannelsen"
                                  completed_date { year: 2024 month: 1 day: 10 }
                                  valid_until { year: 2100 month: 1 day: 1 } }
                      settings: SETTING_DISABILITY_SERVICES employment: EMPLOYMENT_VOLUNTEER
                      capacity: 2 status: GUIDE_STATUS_ACTIVE }
              idempotency_key: "r-$UNIQ")"},
          {kGuides, "CreateGuidanceRequest", "ListGuidanceRequests", "",
           R"(guidance_request { citizen_id: "c-$UNIQ" situation: EXPERIENCE_TAG_AUTISM
                                 life_phase: LIFE_PHASE_WORK_AND_EDUCATION
                                 help_wanted: "At finde et fritidsjob" life_area: LIFE_AREA_MASTER
                                 preferences { gender: GENDER_FEMALE age_band: AGE_BAND_30_49
                                               language: "da" setting: SETTING_JOB_CENTRE }
                                 urgency: URGENCY_NORMAL referred_by: "Jobcentret"
                                 consent_given: true postcode: "8900"
                                 location { latitude: 56.46 longitude: 10.03 } }
              idempotency_key: "r-$UNIQ")"},
          {kGuides, "CreateGroupSession", "ListGroupSessions", "",
           R"(group_session { title: "Oplaeg $UNIQ" kind: SESSION_KIND_TALK guide_ids: "$Guide"
                              audience: AUDIENCE_CITIZENS date { year: 2026 month: 3 day: 1 }
                              venue: "Biblioteket" attendance: 12 }
              idempotency_key: "r-$UNIQ")"},
      },
      {
          {kHousing, "CreateUnit", "ListUnits", "",
           R"(unit { unit_type: UNIT_TYPE_HOUSING_FIRST landlord: "Boligforening $UNIQ"
                     postcode: "8900" rooms: 1 monthly_rent_dkk: 4000 support: SUPPORT_LEVEL_NONE
                     available_from { year: 2025 month: 1 day: 1 } notes: "Stuen" }
              idempotency_key: "r-$UNIQ")"},
          {kHousing, "CreateApplication", "ListApplications", "",
           R"(application { citizen_id: "c-$UNIQ" situation: SITUATION_STREET
                            screening_date { year: 2024 month: 1 day: 10 } rooms_needed: 1
                            support_needed: SUPPORT_LEVEL_NONE unit_types: UNIT_TYPE_HOUSING_FIRST
                            max_rent_dkk: 5000 notes: "Noter" }
              idempotency_key: "r-$UNIQ")"},
          {kHousing, "CreateTenancy", "ListTenancies", "",
           R"(tenancy { unit_id: "$FRESH_UNIT" citizen_id: "c-$UNIQ"
                        move_in { year: 2025 month: 1 day: 1 } notes: "Noter" }
              idempotency_key: "r-$UNIQ")"},
      },
  };
}

// A hostile value of one of the kinds a field can take.
struct Hostile {
  std::string name;
  std::string s;
  int64_t i = 0;
  double d = 0;
};

std::vector<Hostile> HostileStrings() {
  return {
      {"sql-or", "' OR 1=1; DROP TABLE plans; --"},
      {"sql-delete", "\"); DELETE FROM x; --"},
      {"1MB", std::string(1 << 20, 'a')},
      {"invalid-utf8", "\xff\xfe"},
      {"control-01",
       "a\x01"
       "b"},
      {"newline", "\n"},
      {"empty", ""},
      {"spaces", "   "},
      {"nul-inside", std::string("a\0b", 3)},
      {"rtl-override",
       "abc\xE2\x80\xAE"
       "fed"},
      {"emoji", "\xF0\x9F\x98\x80 ok"},
  };
}

std::vector<Hostile> HostileNumbers(const FD* f) {
  switch (f->cpp_type()) {
    case FD::CPPTYPE_INT32:
      return {{"-1", "", -1},
              {"INT32_MIN", "", std::numeric_limits<int32_t>::min()},
              {"INT32_MAX", "", std::numeric_limits<int32_t>::max()}};
    case FD::CPPTYPE_INT64:
      return {{"-1", "", -1},
              {"INT64_MIN", "", std::numeric_limits<int64_t>::min()},
              {"INT64_MAX", "", std::numeric_limits<int64_t>::max()}};
    case FD::CPPTYPE_UINT32:
    case FD::CPPTYPE_UINT64:
      return {{"UINT_MAX", "", -1}};
    case FD::CPPTYPE_DOUBLE:
    case FD::CPPTYPE_FLOAT:
      return {{"-1", "", 0, -1.0},
              {"1e308", "", 0, 1e308},
              {"NaN", "", 0, std::nan("")},
              {"+inf", "", 0, std::numeric_limits<double>::infinity()},
              {"-inf", "", 0, -std::numeric_limits<double>::infinity()}};
    case FD::CPPTYPE_ENUM:
      return {{"enum-999", "", 999}, {"enum-(-1)", "", -1}};
    default:
      return {};
  }
}

// A benign value to find out whether the service reads the field at all.
Hostile Probe(const FD* f) {
  if (f->cpp_type() == FD::CPPTYPE_ENUM) {
    const pb::EnumDescriptor* e = f->enum_type();
    return {"probe", "", e->value(e->value_count() - 1)->number()};
  }
  return {"probe", "Probe-7", 7, 7.5};
}

// A field to attack: the chain of fields from the Create request down.
struct Target {
  std::vector<const FD*> chain;
  std::string path;  // as field violations name it, e.g. "unit.landlord"
};

bool Attackable(const FD* f) {
  switch (f->cpp_type()) {
    case FD::CPPTYPE_STRING:
    case FD::CPPTYPE_INT32:
    case FD::CPPTYPE_INT64:
    case FD::CPPTYPE_UINT32:
    case FD::CPPTYPE_UINT64:
    case FD::CPPTYPE_DOUBLE:
    case FD::CPPTYPE_FLOAT:
    case FD::CPPTYPE_ENUM:
      return true;
    default:
      return false;
  }
}

// Every singular scalar field under `m` (which holds the valid example, so
// members of a oneof other than the one set are skipped: setting them would
// clear it).
void Walk(const pb::Message& m, std::vector<const FD*> chain, const std::string& prefix, int depth,
          std::vector<Target>& out) {
  const pb::Descriptor* d = m.GetDescriptor();
  const pb::Reflection* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FD* f = d->field(i);
    if (f->is_repeated()) continue;
    if (f->real_containing_oneof() != nullptr && !r->HasField(m, f)) continue;
    std::vector<const FD*> c = chain;
    c.push_back(f);
    const std::string path = prefix.empty() ? f->name() : absl::StrCat(prefix, ".", f->name());
    if (f->cpp_type() == FD::CPPTYPE_MESSAGE) {
      if (depth < 4) Walk(r->GetMessage(m, f), c, path, depth + 1, out);
    } else if (Attackable(f)) {
      out.push_back({c, path});
    }
  }
}

void SetLeaf(pb::Message* root, const std::vector<const FD*>& chain, size_t from,
             const Hostile& h) {
  pb::Message* m = root;
  for (size_t k = from; k + 1 < chain.size(); ++k) {
    m = m->GetReflection()->MutableMessage(m, chain[k]);
  }
  const FD* f = chain.back();
  const pb::Reflection* r = m->GetReflection();
  switch (f->cpp_type()) {
    case FD::CPPTYPE_STRING:
      r->SetString(m, f, h.s);
      break;
    case FD::CPPTYPE_INT32:
      r->SetInt32(m, f, static_cast<int32_t>(h.i));
      break;
    case FD::CPPTYPE_INT64:
      r->SetInt64(m, f, h.i);
      break;
    case FD::CPPTYPE_UINT32:
      r->SetUInt32(m, f, static_cast<uint32_t>(h.i));
      break;
    case FD::CPPTYPE_UINT64:
      r->SetUInt64(m, f, static_cast<uint64_t>(h.i));
      break;
    case FD::CPPTYPE_DOUBLE:
      r->SetDouble(m, f, h.d);
      break;
    case FD::CPPTYPE_FLOAT:
      r->SetFloat(m, f, static_cast<float>(h.d));
      break;
    case FD::CPPTYPE_ENUM:
      r->SetEnumValue(m, f, static_cast<int>(h.i));
      break;
    default:
      break;
  }
}

// The leaf's value as comparable bytes (doubles bit for bit, NaN as "nan").
std::string GetLeaf(const pb::Message& root, const std::vector<const FD*>& chain, size_t from) {
  const pb::Message* m = &root;
  for (size_t k = from; k + 1 < chain.size(); ++k) {
    m = &m->GetReflection()->GetMessage(*m, chain[k]);
  }
  const FD* f = chain.back();
  const pb::Reflection* r = m->GetReflection();
  auto dbl = [](double d) { return std::isnan(d) ? std::string("nan") : absl::StrFormat("%a", d); };
  switch (f->cpp_type()) {
    case FD::CPPTYPE_STRING:
      return r->GetString(*m, f);
    case FD::CPPTYPE_INT32:
      return absl::StrCat(r->GetInt32(*m, f));
    case FD::CPPTYPE_INT64:
      return absl::StrCat(r->GetInt64(*m, f));
    case FD::CPPTYPE_UINT32:
      return absl::StrCat(r->GetUInt32(*m, f));
    case FD::CPPTYPE_UINT64:
      return absl::StrCat(r->GetUInt64(*m, f));
    case FD::CPPTYPE_DOUBLE:
      return dbl(r->GetDouble(*m, f));
    case FD::CPPTYPE_FLOAT:
      return dbl(r->GetFloat(*m, f));
    case FD::CPPTYPE_ENUM:
      return absl::StrCat(r->GetEnumValue(*m, f));
    default:
      return "";
  }
}

// Is the leaf set in the valid example (present, or a non-default scalar)?
bool LeafSet(const pb::Message& root, const std::vector<const FD*>& chain) {
  const pb::Message* m = &root;
  for (size_t k = 0; k + 1 < chain.size(); ++k) {
    if (!m->GetReflection()->HasField(*m, chain[k])) return false;
    m = &m->GetReflection()->GetMessage(*m, chain[k]);
  }
  return m->GetReflection()->HasField(*m, chain.back());
}

std::string Show(const std::string& v) {
  std::string out = absl::CHexEscape(v.substr(0, 40));
  if (v.size() > 40) absl::StrAppend(&out, "...(", v.size(), " bytes)");
  return absl::StrCat("\"", out, "\"");
}

// Calls the gateway with serialized messages, so any bytes can be sent.
class Client {
 public:
  Client(std::shared_ptr<grpc::Channel> channel, std::string token)
      : stub_(std::make_unique<grpc::GenericStub>(std::move(channel))), token_(std::move(token)) {}

  grpc::Status Raw(const std::string& service, const std::string& method, const std::string& body,
                   std::string* out) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + token_);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    grpc::ByteBuffer req = server::BufferOf(body);
    grpc::ByteBuffer resp;
    std::promise<grpc::Status> done;
    stub_->UnaryCall(&ctx, absl::StrCat("/", service, "/", method), grpc::StubOptions(), &req,
                     &resp, [&done](grpc::Status s) { done.set_value(std::move(s)); });
    grpc::Status s = done.get_future().get();
    if (s.ok() && out != nullptr) *out += server::BytesOf(resp);
    return s;
  }

  // Calls with a message; `resp` may be null. A response that does not
  // parse is DATA_LOSS.
  grpc::Status Call(const std::string& service, const std::string& method, const pb::Message& req,
                    pb::Message* resp) {
    std::string body;
    req.SerializePartialToString(&body);
    std::string out;
    grpc::Status s = Raw(service, method, body, &out);
    if (s.ok() && resp != nullptr && !resp->ParsePartialFromString(out)) {
      return grpc::Status(grpc::StatusCode::DATA_LOSS, "the response does not parse");
    }
    return s;
  }

 private:
  std::unique_ptr<grpc::GenericStub> stub_;
  std::string token_;
};

// The generated descriptors of every service (referencing a message links
// its file in, so the generated pool knows the services).
void LinkServices() {
  plans::v1::CreatePolicyRequest::descriptor();
  volunteers::v1::CreateVolunteerRequest::descriptor();
  guides::v1::CreateGuideRequest::descriptor();
  housing::v1::CreateUnitRequest::descriptor();
  gateway::v1::ListAuditEventsRequest::descriptor();
}

const pb::MethodDescriptor* Method(const std::string& service, const std::string& method) {
  const pb::ServiceDescriptor* s = pb::DescriptorPool::generated_pool()->FindServiceByName(service);
  return s == nullptr ? nullptr : s->FindMethodByName(method);
}

std::unique_ptr<pb::Message> New(const pb::Descriptor* d) {
  return std::unique_ptr<pb::Message>(
      pb::MessageFactory::generated_factory()->GetPrototype(d)->New());
}

std::vector<FieldViolation> Violations(const grpc::Status& s) {
  return FieldViolationsOf(FromGrpcStatus(s));
}

std::string ShowViolations(const std::vector<FieldViolation>& vs) {
  std::vector<std::string> parts;
  for (const auto& v : vs) parts.push_back(absl::StrCat(v.field, ": ", v.description));
  return absl::StrCat("[", absl::StrJoin(parts, "; "), "]");
}

// True when a violation names `path` or a message containing it below the
// request's resource (e.g. "unit.available_from" for "unit.available_from.year").
bool Names(const std::vector<FieldViolation>& vs, const std::string& path) {
  for (const auto& v : vs) {
    if (v.field == path) return true;
    if (absl::StrContains(v.field, ".") && absl::StartsWith(path, v.field + ".")) return true;
  }
  return false;
}

// A range rule between two fields of the same value type (a start and an
// end timestamp or date) names the other end: when the attacked leaf is part
// of a Timestamp or Date, a violation on a sibling of that type counts.
bool NamesSibling(const std::vector<FieldViolation>& vs, const std::vector<const FD*>& chain,
                  const std::string& path) {
  for (size_t k = chain.size() - 1; k-- > 0;) {
    const pb::Descriptor* type = chain[k]->message_type();
    if (type == nullptr || (type->full_name() != "google.protobuf.Timestamp" &&
                            type->full_name() != "google.type.Date")) {
      continue;
    }
    // The path of chain[k]'s parent: the first k components of `path`.
    std::vector<std::string> parts = absl::StrSplit(path, '.');
    const std::string parent = absl::StrJoin(parts.begin(), parts.begin() + k, ".");
    for (const auto& v : vs) {
      if (parent.empty() || !absl::StartsWith(v.field, parent + ".")) continue;
      const FD* sibling =
          chain[k]->containing_type()->FindFieldByName(v.field.substr(parent.size() + 1));
      if (sibling != nullptr && sibling != chain[k] && sibling->message_type() == type) return true;
    }
    return false;
  }
  return false;
}

bool BadCode(grpc::StatusCode c) {
  return c == grpc::StatusCode::INTERNAL || c == grpc::StatusCode::UNKNOWN ||
         c == grpc::StatusCode::UNAVAILABLE || c == grpc::StatusCode::DATA_LOSS ||
         c == grpc::StatusCode::DEADLINE_EXCEEDED || c == grpc::StatusCode::UNIMPLEMENTED;
}

struct Tally {
  int fields = 0;
  int tried = 0;
  int stored = 0;   // OK and read back byte for byte
  int ignored = 0;  // OK, the service does not take the field on create
  int rejected = 0;
  std::set<std::string> ignored_fields;
  std::map<std::string, std::pair<int, int>> by_value;  // value -> (accepted, rejected)
};

class HostileInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = helhed::testing::TempDir();
    private_key_ = helhed::testing::WriteGatewayKeys(dir_);
    ASSERT_FALSE(private_key_.empty());
    for (const char* name : {"plans", "volunteers", "guides", "housing"}) {
      auto url = helhed::testing::NewStoreUrl(Backend::kSqlite);
      ASSERT_TRUE(url.ok());
      const std::string binary = std::string(name) == "plans"        ? HELHED_PLANS_BINARY
                                 : std::string(name) == "volunteers" ? HELHED_VOLUNTEERS_BINARY
                                 : std::string(name) == "guides"     ? HELHED_GUIDES_BINARY
                                                                     : HELHED_HOUSING_BINARY;
      auto p = ServiceProcess::Start(binary, *url);
      ASSERT_TRUE(p.ok()) << p.status();
      backends_[name] = std::move(*p);
    }
    setenv("HELHED_GATEWAY_JWT_KEYS_DIR", (dir_ + "/keys").c_str(), 1);
    setenv("HELHED_GATEWAY_CPR_KEY_FILE", (dir_ + "/cpr.key").c_str(), 1);
    setenv("HELHED_POLICY", HELHED_SOURCE_DIR "/common/auth/default_policy.txt", 1);
    setenv("HELHED_GATEWAY_RATE", "0", 1);  // thousands of calls from one subject
    setenv("HELHED_GATEWAY_BACKENDS",
           absl::StrCat("plans=", backends_["plans"]->target(),
                        ",volunteers=", backends_["volunteers"]->target(), ",guides=",
                        backends_["guides"]->target(), ",housing=", backends_["housing"]->target())
               .c_str(),
           1);
    auto url = helhed::testing::NewStoreUrl(Backend::kSqlite);
    ASSERT_TRUE(url.ok());
    gateway_store_ = *url;
    auto p = ServiceProcess::Start(HELHED_GATEWAY_BINARY, *url);
    unsetenv("HELHED_GATEWAY_RATE");
    ASSERT_TRUE(p.ok()) << p.status();
    gateway_ = std::move(*p);
    // Every role that creates something; not auditor or operations.
    writer_ = Token(
        {"caseworker", "volunteer_coordinator", "guide_coordinator", "housing_officer", "manager"});
  }

  std::string Token(const std::vector<std::string>& roles,
                    const std::string& municipality = "730") {
    gateway::MintOptions o;
    o.private_key_pem = private_key_;
    o.kid = "idp-1";
    o.issuer = "https://idp.helhed.local";
    o.audience = "helhed-gateway";
    o.subject = "hostile-tester";
    o.municipality = municipality;
    o.roles = roles;
    o.issued_at = absl::Now() - absl::Minutes(1);
    o.lifetime = absl::Hours(1);
    auto t = gateway::MintToken(o);
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? *t : "";
  }

  // A failure of `rpc` on `field` with hostile value `value`; grouped by
  // (rpc, value, outcome) in the report.
  void Fail(const std::string& rpc, const std::string& field, const std::string& value,
            const std::string& outcome) {
    std::lock_guard<std::mutex> lock(mu_);
    failures_[{rpc, value, outcome}].push_back(field);
  }
  void Fail(const std::string& line) { Fail(line, "", "", ""); }

  std::string Report() {
    std::lock_guard<std::mutex> lock(mu_);
    std::string out;
    for (const auto& [key, fields] : failures_) {
      const auto& [rpc, value, outcome] = key;
      absl::StrAppend(&out, "\n  ", rpc);
      if (!fields.empty() && !fields[0].empty()) {
        absl::StrAppend(&out, " ", fields.size() > 1 ? "{" : "", absl::StrJoin(fields, ", "),
                        fields.size() > 1 ? "}" : "");
      }
      if (!value.empty()) absl::StrAppend(&out, " ", value);
      if (!outcome.empty()) absl::StrAppend(&out, " -> ", outcome);
    }
    return out;
  }
  size_t FailureCount() {
    std::lock_guard<std::mutex> lock(mu_);
    size_t n = 0;
    for (const auto& [key, fields] : failures_) n += fields.size();
    return n;
  }

  // Runs one group of cases in order; its sentinels end up in `vars`.
  void RunGroup(const std::vector<Case>& cases, std::map<std::string, std::string>& vars,
                std::map<std::string, Tally>& tallies);

  std::string dir_;
  std::string private_key_;
  std::string writer_;
  std::map<std::string, std::unique_ptr<ServiceProcess>> backends_;
  std::unique_ptr<ServiceProcess> gateway_;
  std::atomic<int64_t> uniq_{0};
  std::mutex mu_;
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<std::string>> failures_;
  std::string gateway_store_;
};

void HostileInputTest::RunGroup(const std::vector<Case>& cases,
                                std::map<std::string, std::string>& vars,
                                std::map<std::string, Tally>& tallies) {
  Client client(gateway_->NewChannel(), writer_);
  const int64_t ts1 = absl::ToUnixSeconds(absl::Now() + absl::Hours(48)) / 3600 * 3600;
  vars["TS1"] = absl::StrCat(ts1);
  vars["TS2"] = absl::StrCat(ts1 + 7200);

  // Sentinels: kind -> (service, Get method, resource as read).
  struct Sentinel {
    std::string rpc, service, get, id;
    std::unique_ptr<pb::Message> read;
  };
  std::vector<Sentinel> sentinels;

  for (const Case& c : cases) {
    const std::string rpc = absl::StrCat(c.service.substr(c.service.rfind('.') + 1), ".", c.create);
    Tally& tally = tallies[absl::StrCat(c.service, "/", c.create)];
    const pb::MethodDescriptor* create = Method(c.service, c.create);
    const pb::MethodDescriptor* get = Method(c.service, "Get" + c.kind());
    const pb::MethodDescriptor* list = Method(c.service, c.list);
    if (create == nullptr || get == nullptr || list == nullptr) {
      Fail(absl::StrCat(rpc, ": no such Create, Get or List method"));
      continue;
    }
    const FD* resource_field = create->input_type()->field(0);  // e.g. unit
    auto expand = [&](const std::string& text) {
      std::string out = absl::StrReplaceAll(text, {{"$UNIQ", absl::StrCat(uniq_++)}});
      if (absl::StrContains(out, "$FRESH_UNIT")) {
        // A new available unit for each tenancy.
        for (const Case& u : cases) {
          if (u.create != "CreateUnit") continue;
          auto req = New(Method(u.service, u.create)->input_type());
          auto resp = New(Method(u.service, u.create)->output_type());
          const std::string unit_text =
              absl::StrReplaceAll(u.valid, {{"$UNIQ", absl::StrCat(uniq_++)}});
          if (!pb::TextFormat::ParseFromString(unit_text, req.get()) ||
              !client.Call(u.service, u.create, *req, resp.get()).ok()) {
            Fail("CreateTenancy: could not create a fresh unit");
          }
          const pb::Message& unit =
              resp->GetReflection()->GetMessage(*resp, resp->GetDescriptor()->field(0));
          out = absl::StrReplaceAll(
              out, {{"$FRESH_UNIT", unit.GetReflection()->GetString(
                                        unit, unit.GetDescriptor()->FindFieldByName("id"))}});
        }
      }
      for (const auto& [k, v] : vars) out = absl::StrReplaceAll(out, {{"$" + k, v}});
      return out;
    };
    auto parse = [&](const pb::Descriptor* d, const std::string& text) {
      auto m = New(d);
      if (!pb::TextFormat::ParseFromString(expand(text), m.get())) {
        ADD_FAILURE() << rpc << ": bad text format: " << text;
      }
      return m;
    };
    auto count = [&]() -> int {
      int n = 0;
      auto req = parse(list->input_type(), c.list_filter);
      const FD* page = req->GetDescriptor()->FindFieldByName("page");
      for (int pages = 0; pages < 100; ++pages) {
        pb::Message* pr = req->GetReflection()->MutableMessage(req.get(), page);
        pr->GetReflection()->SetInt32(pr, pr->GetDescriptor()->FindFieldByName("page_size"), 500);
        auto resp = New(list->output_type());
        grpc::Status s = client.Call(c.service, c.list, *req, resp.get());
        if (!s.ok()) {
          Fail(absl::StrCat(c.list, ": ", observability::GrpcStatusName(s.error_code()), " ",
                            s.error_message()));
          return -1;
        }
        n += resp->GetReflection()->FieldSize(*resp, resp->GetDescriptor()->field(0));
        const pb::Message& pg = resp->GetReflection()->GetMessage(
            *resp, resp->GetDescriptor()->FindFieldByName("page"));
        const std::string next = pg.GetReflection()->GetString(
            pg, pg.GetDescriptor()->FindFieldByName("next_page_token"));
        if (next.empty()) return n;
        pr->GetReflection()->SetString(pr, pr->GetDescriptor()->FindFieldByName("page_token"),
                                       next);
      }
      return n;
    };
    auto id_of = [&](const pb::Message& create_resp) {
      const pb::Message& r = create_resp.GetReflection()->GetMessage(
          create_resp, create_resp.GetDescriptor()->field(0));
      return r.GetReflection()->GetString(r, r.GetDescriptor()->FindFieldByName("id"));
    };
    auto read = [&](const std::string& id, std::unique_ptr<pb::Message>* out) {
      auto req = New(get->input_type());
      req->GetReflection()->SetString(req.get(), req->GetDescriptor()->FindFieldByName("id"), id);
      auto resp = New(get->output_type());
      grpc::Status s = client.Call(c.service, get->name(), *req, resp.get());
      *out = std::move(resp);
      return s;
    };

    // The sentinel: the valid example itself.
    auto example = parse(create->input_type(), c.valid);
    {
      auto resp = New(create->output_type());
      grpc::Status s = client.Call(c.service, c.create, *example, resp.get());
      if (!s.ok()) {
        Fail(absl::StrCat(rpc,
                          " valid example refused: ", observability::GrpcStatusName(s.error_code()),
                          " ", s.error_message(), " ", ShowViolations(Violations(s))));
        continue;
      }
      Sentinel sen{rpc, c.service, get->name(), id_of(*resp), nullptr};
      if (!read(sen.id, &sen.read).ok()) Fail(absl::StrCat(rpc, ": sentinel does not read back"));
      vars[c.kind()] = sen.id;
      sentinels.push_back(std::move(sen));
    }
    int expected = count();

    std::vector<Target> targets;
    Walk(*example, {}, "", 0, targets);
    for (const Target& t : targets) {
      ++tally.fields;
      const bool is_request_id = t.chain.size() == 1;
      const bool in_resource = !is_request_id && t.chain[0] == resource_field;
      // One attempt: OK -> "stored"/"ignored"/"other" for output-only checks;
      // rejected -> "rejected". Failures are recorded here.
      enum class Out { kStored, kIgnored, kRejected, kFailed };
      auto attempt = [&](const Hostile& h, bool must_store) -> Out {
        auto req = parse(create->input_type(), c.valid);
        SetLeaf(req.get(), t.chain, 0, h);
        if (!is_request_id) {
          // A fresh request id, unless it is the field under attack.
          req->GetReflection()->SetString(req.get(),
                                          req->GetDescriptor()->FindFieldByName("idempotency_key"),
                                          absl::StrCat("h-", uniq_++));
        }
        auto resp = New(create->output_type());
        grpc::Status s = client.Call(c.service, c.create, *req, resp.get());
        auto fail = [&](const std::string& outcome) { Fail(rpc, t.path, h.name, outcome); };
        if (BadCode(s.error_code())) {
          fail(absl::StrCat(observability::GrpcStatusName(s.error_code()), " \"", s.error_message(),
                            "\""));
          expected = count();
          return Out::kFailed;
        }
        if (!s.ok()) {
          const auto vs = Violations(s);
          const int now = count();
          bool ok = true;
          if (now != expected) {
            fail(absl::StrCat("rejected (", observability::GrpcStatusName(s.error_code()),
                              ") but the ", c.list, " count changed"));
            expected = now;
            ok = false;
          }
          const bool reference = absl::EndsWith(t.chain.back()->name(), "_id") &&
                                 (s.error_code() == grpc::StatusCode::NOT_FOUND ||
                                  s.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
          if (s.error_code() == grpc::StatusCode::INVALID_ARGUMENT &&
              (Names(vs, t.path) || NamesSibling(vs, t.chain, t.path))) {
            return ok ? Out::kRejected : Out::kFailed;
          }
          if (reference) return ok ? Out::kRejected : Out::kFailed;
          fail(absl::StrCat(observability::GrpcStatusName(s.error_code()),
                            " not naming the field: ", ShowViolations(vs)));
          return Out::kFailed;
        }
        // Accepted: one more record, and it reads back.
        const int now = count();
        if (now != expected + 1) {
          fail(absl::StrCat("accepted but the ", c.list, " count went from ", expected, " to ",
                            now));
        }
        expected = now;
        std::unique_ptr<pb::Message> got;
        grpc::Status g = read(id_of(*resp), &got);
        if (!g.ok()) {
          fail(absl::StrCat("accepted but ", get->name(), " is ",
                            observability::GrpcStatusName(g.error_code()), " \"", g.error_message(),
                            "\""));
          return Out::kFailed;
        }
        if (!in_resource) return Out::kStored;  // the request id is not part of the record
        const pb::Message& res =
            got->GetReflection()->GetMessage(*got, got->GetDescriptor()->field(0));
        const std::string sent = GetLeaf(*req, t.chain, 0);
        const std::string back = GetLeaf(res, t.chain, 1);
        if (sent == back) return Out::kStored;
        if (must_store) {
          fail(absl::StrCat("accepted, sent ", Show(sent), " but read back ", Show(back)));
          return Out::kFailed;
        }
        return Out::kIgnored;
      };

      // Does the service take this field on create? Set in the valid example:
      // yes. Otherwise a benign probe that reads back says yes, one that is
      // refused says it is read (validated), one that is dropped says no.
      bool stored_field = true;
      if (in_resource && !LeafSet(*example, t.chain)) {
        const Out probe = attempt(Probe(t.chain.back()), /*must_store=*/false);
        stored_field = probe != Out::kIgnored;
        if (!stored_field) tally.ignored_fields.insert(t.path);
      }
      const std::vector<Hostile> values = t.chain.back()->cpp_type() == FD::CPPTYPE_STRING
                                              ? HostileStrings()
                                              : HostileNumbers(t.chain.back());
      for (const Hostile& h : values) {
        ++tally.tried;
        switch (attempt(h, stored_field)) {
          case Out::kStored:
            ++tally.stored;
            if (stored_field && in_resource) ++tally.by_value[h.name].first;
            break;
          case Out::kIgnored:
            ++tally.ignored;
            break;
          case Out::kRejected:
            ++tally.rejected;
            if (stored_field && in_resource) ++tally.by_value[h.name].second;
            break;
          case Out::kFailed:
            break;
        }
      }
    }

    // Over 4 MiB: refused before anything is written.
    {
      auto req = parse(create->input_type(), c.valid);
      req->GetReflection()->SetString(req.get(),
                                      req->GetDescriptor()->FindFieldByName("idempotency_key"),
                                      std::string(4 * 1024 * 1024 + 16, 'x'));
      grpc::Status s = client.Call(c.service, c.create, *req, nullptr);
      if (s.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED) {
        Fail(absl::StrCat(rpc,
                          " request over 4 MiB: ", observability::GrpcStatusName(s.error_code()),
                          " (", s.error_message(), "), want RESOURCE_EXHAUSTED"));
      }
      const int now = count();
      if (now != expected) {
        Fail(absl::StrCat(rpc, " request over 4 MiB changed the ", c.list, " count from ", expected,
                          " to ", now));
      }
    }
  }

  // Nothing touched the sentinels (and parents) of this group.
  for (const Sentinel& sen : sentinels) {
    auto req = New(Method(sen.service, sen.get)->input_type());
    req->GetReflection()->SetString(req.get(), req->GetDescriptor()->FindFieldByName("id"), sen.id);
    auto resp = New(Method(sen.service, sen.get)->output_type());
    grpc::Status s = client.Call(sen.service, sen.get, *req, resp.get());
    if (!s.ok() || sen.read == nullptr || !pb::util::MessageDifferencer::Equals(*resp, *sen.read)) {
      Fail(absl::StrCat(sen.rpc, " sentinel ", sen.id,
                        " changed: ", sen.read == nullptr ? "" : sen.read->ShortDebugString(),
                        " -> ", resp->ShortDebugString()));
    }
  }
}

// The valid Create requests of the table above that need no record made
// before them (only $UNIQ, $TS1 and $TS2), parsed.
std::vector<std::pair<Case, std::unique_ptr<pb::Message>>> SelfContainedCreates(
    std::atomic<int64_t>& uniq) {
  std::vector<std::pair<Case, std::unique_ptr<pb::Message>>> out;
  const int64_t ts1 = absl::ToUnixSeconds(absl::Now() + absl::Hours(48)) / 3600 * 3600;
  for (const auto& group : Groups()) {
    for (const Case& c : group) {
      const std::string text = absl::StrReplaceAll(c.valid, {{"$UNIQ", absl::StrCat(uniq++)},
                                                             {"$TS1", absl::StrCat(ts1)},
                                                             {"$TS2", absl::StrCat(ts1 + 7200)}});
      if (absl::StrContains(text, "$")) continue;
      const pb::MethodDescriptor* m = Method(c.service, c.create);
      if (m == nullptr) continue;
      auto req = New(m->input_type());
      if (!pb::TextFormat::ParseFromString(text, req.get())) continue;
      out.emplace_back(c, std::move(req));
    }
  }
  return out;
}

// How many records a List of the case's kind returns (at most 500).
int Count(Client& client, const Case& c) {
  const pb::MethodDescriptor* list = Method(c.service, c.list);
  auto req = New(list->input_type());
  auto resp = New(list->output_type());
  if (!pb::TextFormat::ParseFromString(c.list_filter, req.get())) return -1;
  pb::Message* page =
      req->GetReflection()->MutableMessage(req.get(), list->input_type()->FindFieldByName("page"));
  page->GetReflection()->SetInt32(page, page->GetDescriptor()->FindFieldByName("page_size"), 500);
  if (!client.Call(c.service, c.list, *req, resp.get()).ok()) return -1;
  const FD* items = list->output_type()->field(0);
  return resp->GetReflection()->FieldSize(*resp, items);
}

// True if `m` carries unknown fields at any depth.
bool HasUnknownFields(const pb::Message& m) {
  std::unique_ptr<pb::Message> copy(m.New());
  copy->CopyFrom(m);
  const size_t size = copy->ByteSizeLong();
  copy->DiscardUnknownFields();
  return copy->ByteSizeLong() != size;
}

std::string WithField999(const std::string& bytes, size_t size) {
  std::string out = bytes;
  // Tag of field 999, length-delimited: (999 << 3) | 2 as a varint.
  uint64_t tag = (999u << 3) | 2u;
  while (tag >= 0x80) {
    out.push_back(static_cast<char>((tag & 0x7f) | 0x80));
    tag >>= 7;
  }
  out.push_back(static_cast<char>(tag));
  uint64_t len = size;
  while (len >= 0x80) {
    out.push_back(static_cast<char>((len & 0x7f) | 0x80));
    len >>= 7;
  }
  out.push_back(static_cast<char>(len));
  out.append(size, 'x');
  return out;
}

// Unknown fields (numbers the API does not define) pass no validation and
// no size limit: the gateway refuses them naming the path and number, at the
// top and inside the resource, and writes nothing; a service called
// directly (past the gateway) drops them before storing, so a read never
// returns them.
TEST_F(HostileInputTest, UnknownFieldsAreRefusedByTheGatewayAndNeverStored) {
  LinkServices();
  Client client(gateway_->NewChannel(), writer_);
  auto creates = SelfContainedCreates(uniq_);
  ASSERT_GE(creates.size(), 8u);
  std::set<std::string> services;
  for (auto& [c, req] : creates) {
    SCOPED_TRACE(c.create);
    const FD* resource_field = req->GetDescriptor()->field(0);
    const std::string resource = resource_field->name();
    const int before = Count(client, c);
    ASSERT_GE(before, 0);
    // At the top: 1 MB in field 999.
    std::string out;
    grpc::Status s =
        client.Raw(c.service, c.create, WithField999(req->SerializeAsString(), 1 << 20), &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
    EXPECT_TRUE(Names(Violations(s), "999")) << ShowViolations(Violations(s));
    // Inside the resource.
    std::unique_ptr<pb::Message> nested(req->New());
    nested->CopyFrom(*req);
    pb::Message* r = nested->GetReflection()->MutableMessage(nested.get(), resource_field);
    r->GetReflection()->MutableUnknownFields(r)->AddLengthDelimited(999, std::string(1000, 'y'));
    s = client.Call(c.service, c.create, *nested, nullptr);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
    EXPECT_TRUE(Names(Violations(s), resource + ".999")) << ShowViolations(Violations(s));
    EXPECT_EQ(Count(client, c), before) << "something was written";

    // Past the gateway, straight to the service: stored without them.
    const std::string backend = c.service == kPlans || c.service == kCitizenPlans ? "plans"
                                : c.service == kVolunteers                        ? "volunteers"
                                : c.service == kGuides                            ? "guides"
                                                                                  : "housing";
    services.insert(backend);
    auto stub = std::make_unique<grpc::GenericStub>(backends_[backend]->NewChannel());
    grpc::ClientContext ctx;
    ctx.AddMetadata("x-helhed-principal", helhed::testing::TestPrincipal("730"));
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    std::string body = WithField999(nested->SerializeAsString(), 100000);
    grpc::ByteBuffer breq = server::BufferOf(body);
    grpc::ByteBuffer bresp;
    std::promise<grpc::Status> done;
    stub->UnaryCall(&ctx, absl::StrCat("/", c.service, "/", c.create), grpc::StubOptions(), &breq,
                    &bresp, [&done](grpc::Status st) { done.set_value(std::move(st)); });
    s = done.get_future().get();
    ASSERT_TRUE(s.ok()) << s.error_message();
    auto created = New(Method(c.service, c.create)->output_type());
    ASSERT_TRUE(created->ParseFromString(server::BytesOf(bresp)));
    EXPECT_FALSE(HasUnknownFields(*created)) << "the create answered them";
    const pb::Message& made =
        created->GetReflection()->GetMessage(*created, created->GetDescriptor()->field(0));
    const std::string id =
        made.GetReflection()->GetString(made, made.GetDescriptor()->FindFieldByName("id"));
    // Read back through the gateway (which passes what the service sends).
    const pb::MethodDescriptor* get = Method(c.service, "Get" + c.kind());
    auto get_req = New(get->input_type());
    get_req->GetReflection()->SetString(get_req.get(), get->input_type()->FindFieldByName("id"),
                                        id);
    std::string read;
    s = client.Raw(c.service, get->name(), get_req->SerializeAsString(), &read);
    ASSERT_TRUE(s.ok()) << s.error_message();
    auto got = New(get->output_type());
    ASSERT_TRUE(got->ParseFromString(read));
    EXPECT_FALSE(HasUnknownFields(*got)) << "stored with unknown fields";
    EXPECT_LT(read.size(), 50000u);
  }
  EXPECT_EQ(services.size(), 4u);
}

// Every repeated field of every self-contained create, with 100,000 items:
// refused at once with one violation naming the list (its item limit is
// checked before its items), through the gateway.
TEST_F(HostileInputTest, RepeatedFieldsOverTheirLimitAreRefusedQuicklyNamingTheField) {
  LinkServices();
  Client client(gateway_->NewChannel(), writer_);
  int lists = 0;
  std::set<std::string> services;
  for (auto& [c, req] : SelfContainedCreates(uniq_)) {
    const FD* resource_field = req->GetDescriptor()->field(0);
    const pb::Descriptor* type = resource_field->message_type();
    for (int i = 0; i < type->field_count(); ++i) {
      const FD* f = type->field(i);
      if (!f->is_repeated() || f->is_map()) continue;
      const std::string path = absl::StrCat(resource_field->name(), ".", f->name());
      SCOPED_TRACE(path);
      std::unique_ptr<pb::Message> big(req->New());
      big->CopyFrom(*req);
      pb::Message* r = big->GetReflection()->MutableMessage(big.get(), resource_field);
      const pb::Reflection* refl = r->GetReflection();
      refl->ClearField(r, f);
      for (int n = 0; n < 100000; ++n) {
        switch (f->cpp_type()) {
          case FD::CPPTYPE_MESSAGE:
            refl->AddMessage(r, f);
            break;
          case FD::CPPTYPE_STRING:
            refl->AddString(r, f, "a");
            break;
          case FD::CPPTYPE_ENUM:
            refl->AddEnumValue(r, f, 1);
            break;
          default:
            break;
        }
      }
      if (refl->FieldSize(*r, f) == 0) continue;
      ++lists;
      services.insert(c.service);
      const absl::Time start = absl::Now();
      grpc::Status s = client.Call(c.service, c.create, *big, nullptr);
      const absl::Duration took = absl::Now() - start;
      EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
      const auto vs = Violations(s);
      bool named = false;
      for (const auto& v : vs) {
        named |= v.field == path;
        EXPECT_FALSE(absl::StartsWith(v.field, path + "[")) << "an item was checked: " << v.field;
      }
      EXPECT_TRUE(named) << ShowViolations(vs);
      EXPECT_LT(took, absl::Seconds(3));
    }
  }
  EXPECT_GE(lists, 15);
  EXPECT_GE(services.size(), 4u);
}

// A request with more bad fields than an error can carry (20 trainings, each
// with every field bad, and more) comes back through the gateway as
// INVALID_ARGUMENT naming fields, not as RESOURCE_EXHAUSTED.
TEST_F(HostileInputTest, AnOversizedViolationListStillNamesAFieldThroughTheGateway) {
  LinkServices();
  Client client(gateway_->NewChannel(), writer_);
  guides::v1::CreateGuideRequest req;
  auto* g = req.mutable_guide();
  g->set_display_name(std::string(300, 'n'));
  for (int i = 0; i < 20; ++i) {
    auto* t = g->add_trainings();
    t->set_course(std::string(250, 'k'));
    t->mutable_completed_date()->set_month(13);
    t->mutable_valid_until()->set_day(40);
  }
  for (int i = 0; i < 10; ++i) {
    g->add_languages("xyz" + std::to_string(i));
    g->add_experiences()->set_years_ago(-1);
  }
  grpc::Status s = client.Call(kGuides, "CreateGuide", req, nullptr);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  const auto vs = Violations(s);
  ASSERT_FALSE(vs.empty()) << s.error_message();
  EXPECT_TRUE(absl::StartsWith(vs[0].field, "guide.")) << ShowViolations(vs);
  EXPECT_LE(vs.size(), kMaxReportedViolations);
  // Danish by default: "... (og 87 mere)".
  EXPECT_NE(s.error_message().find(" mere)"), std::string::npos) << s.error_message();
}

// Page tokens are bound to the municipality: a token a caller of 730 got
// is refused for a caller of 810 (same list, same filters), naming
// page.page_token, and carries no readable row number.
TEST_F(HostileInputTest, APageTokenOfAnotherMunicipalityIsRefused) {
  LinkServices();
  Client writer730(gateway_->NewChannel(), writer_);
  Client writer810(gateway_->NewChannel(),
                   Token({"caseworker", "volunteer_coordinator", "guide_coordinator",
                          "housing_officer", "manager"},
                         "810"));
  auto creates = SelfContainedCreates(uniq_);
  for (auto& [c, req] : creates) {
    if (c.create != "CreatePolicy" && c.create != "CreateUnit") continue;
    SCOPED_TRACE(c.create);
    for (int i = 0; i < 3; ++i) {
      std::unique_ptr<pb::Message> again(req->New());
      again->CopyFrom(*req);
      const FD* rid = again->GetDescriptor()->FindFieldByName("idempotency_key");
      again->GetReflection()->SetString(again.get(), rid, absl::StrCat("page-", uniq_++));
      ASSERT_TRUE(writer730.Call(c.service, c.create, *again, nullptr).ok());
      ASSERT_TRUE(writer810.Call(c.service, c.create, *again, nullptr).ok());
    }
    const pb::MethodDescriptor* list = Method(c.service, c.list);
    auto lreq = New(list->input_type());
    pb::Message* page = lreq->GetReflection()->MutableMessage(
        lreq.get(), list->input_type()->FindFieldByName("page"));
    page->GetReflection()->SetInt32(page, page->GetDescriptor()->FindFieldByName("page_size"), 1);
    auto lresp = New(list->output_type());
    ASSERT_TRUE(writer730.Call(c.service, c.list, *lreq, lresp.get()).ok());
    const pb::Message& next_page =
        lresp->GetReflection()->GetMessage(*lresp, list->output_type()->FindFieldByName("page"));
    const std::string token = next_page.GetReflection()->GetString(
        next_page, next_page.GetDescriptor()->FindFieldByName("next_page_token"));
    ASSERT_FALSE(token.empty());
    std::string raw;
    ASSERT_TRUE(absl::WebSafeBase64Unescape(token, &raw));
    // Not the old readable form "<row number>.<mac>".
    const size_t dot = raw.find('.');
    EXPECT_FALSE(
        dot != std::string::npos && dot > 0 &&
        std::all_of(raw.begin(), raw.begin() + dot,
                    [](char ch) { return absl::ascii_isdigit(static_cast<unsigned char>(ch)); }))
        << "a readable \"<row>.<mac>\" token";
    page->GetReflection()->SetString(page, page->GetDescriptor()->FindFieldByName("page_token"),
                                     token);
    // The same caller's municipality: the next page.
    EXPECT_TRUE(writer730.Call(c.service, c.list, *lreq, lresp.get()).ok());
    // Another municipality, same list and filters: refused.
    grpc::Status s = writer810.Call(c.service, c.list, *lreq, lresp.get());
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
    EXPECT_TRUE(Names(Violations(s), "page.page_token")) << ShowViolations(Violations(s));
  }
}

TEST_F(HostileInputTest, EveryFieldOfEveryCreateRejectsOrStoresHostileValues) {
  LinkServices();
  // Sending invalid UTF-8 on purpose: protobuf logs an error for each.
  pb::LogHandler* const previous = pb::SetLogHandler(
      [](pb::LogLevel level, const char* file, int line, const std::string& message) {
        if (absl::StrContains(message, "invalid UTF-8")) return;
        fprintf(stderr, "[libprotobuf %d %s:%d] %s\n", static_cast<int>(level), file, line,
                message.c_str());
      });
  const auto groups = Groups();
  // Every Create RPC of every service is in the table.
  std::set<std::string> covered;
  for (const auto& g : groups) {
    for (const auto& c : g) covered.insert(absl::StrCat(c.service, "/", c.create));
  }
  for (const char* service : {kPlans, kCitizenPlans, kVolunteers, kGuides, kHousing}) {
    const pb::ServiceDescriptor* s =
        pb::DescriptorPool::generated_pool()->FindServiceByName(service);
    ASSERT_NE(s, nullptr) << service;
    for (int i = 0; i < s->method_count(); ++i) {
      if (absl::StartsWith(s->method(i)->name(), "Create")) {
        EXPECT_TRUE(covered.count(absl::StrCat(service, "/", s->method(i)->name())))
            << s->method(i)->full_name() << " has no valid example in the table";
      }
    }
  }

  const absl::Time t0 = absl::Now();
  std::vector<std::map<std::string, std::string>> vars(groups.size());
  std::vector<std::map<std::string, Tally>> tallies(groups.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < groups.size(); ++i) {
    threads.emplace_back([&, i] { RunGroup(groups[i], vars[i], tallies[i]); });
  }
  for (auto& t : threads) t.join();
  const absl::Duration creates_took = absl::Now() - t0;

  // Page sizes on every List RPC (with the filters of the table where a
  // list needs one), and a garbage page token.
  std::map<std::string, std::string> filters;  // "service/ListX" -> text
  for (size_t i = 0; i < groups.size(); ++i) {
    for (const auto& c : groups[i]) {
      std::string f = c.list_filter;
      for (const auto& [k, v] : vars[i]) f = absl::StrReplaceAll(f, {{"$" + k, v}});
      filters[absl::StrCat(c.service, "/", c.list)] = f;
    }
  }
  Client reader(gateway_->NewChannel(),
                Token({"caseworker", "volunteer_coordinator", "guide_coordinator",
                       "housing_officer", "manager", "council_member", "auditor"}));
  int list_rpcs = 0;
  for (const char* service : {kPlans, kCitizenPlans, kVolunteers, kGuides, kHousing, kAudit}) {
    const pb::ServiceDescriptor* s =
        pb::DescriptorPool::generated_pool()->FindServiceByName(service);
    ASSERT_NE(s, nullptr) << service;
    for (int i = 0; i < s->method_count(); ++i) {
      const pb::MethodDescriptor* m = s->method(i);
      const FD* page = m->input_type()->FindFieldByName("page");
      if (page == nullptr || page->message_type() != common::v1::PageRequest::descriptor()) {
        continue;
      }
      ++list_rpcs;
      struct PageCase {
        std::string name;
        int size;
        std::string token;
        std::string field;
      };
      for (const PageCase& pc : std::vector<PageCase>{
               {"page_size=-1", -1, "", "page.page_size"},
               {"page_size=1000000", 1000000, "", "page.page_size"},
               {"page_token=sql", 0, "' OR 1=1; --", "page.page_token"},
           }) {
        auto req = New(m->input_type());
        auto it = filters.find(absl::StrCat(service, "/", m->name()));
        if (it != filters.end()) {
          EXPECT_TRUE(pb::TextFormat::ParseFromString(it->second, req.get()));
        }
        common::v1::PageRequest pr;
        pr.set_page_size(pc.size);
        pr.set_page_token(pc.token);
        req->GetReflection()->MutableMessage(req.get(), page)->CopyFrom(pr);
        grpc::Status st = reader.Call(service, m->name(), *req, nullptr);
        auto vs = Violations(st);
        // A list that needs a filter the table does not give (ListHours needs
        // a volunteer_id): fill the string fields it names and ask again.
        for (int retry = 0; retry < 2 && !Names(vs, pc.field) && !vs.empty(); ++retry) {
          for (const auto& v : vs) {
            const FD* f = m->input_type()->FindFieldByName(v.field);
            if (f != nullptr && f->cpp_type() == FD::CPPTYPE_STRING && !f->is_repeated()) {
              req->GetReflection()->SetString(req.get(), f, "c-abc123");
            }
          }
          st = reader.Call(service, m->name(), *req, nullptr);
          vs = Violations(st);
        }
        if (st.error_code() != grpc::StatusCode::INVALID_ARGUMENT || !Names(vs, pc.field)) {
          Fail(m->name(), pc.field, pc.name,
               absl::StrCat(observability::GrpcStatusName(st.error_code()), " \"",
                            st.error_message(), "\" ", ShowViolations(vs),
                            ", want INVALID_ARGUMENT naming ", pc.field));
        }
      }
    }
  }
  // A List request over 4 MiB.
  {
    helhed::housing::v1::ListUnitsRequest huge;
    huge.set_postcode(std::string(5 * 1024 * 1024, '8'));
    grpc::Status st = reader.Call(kHousing, "ListUnits", huge, nullptr);
    if (st.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED) {
      Fail(absl::StrCat("ListUnits request over 4 MiB: ",
                        observability::GrpcStatusName(st.error_code())));
    }
  }

  // The gateway audits the citizen ids of every request, also refused ones;
  // its schema holds at most 64 characters (citizen_id VARCHAR(64)).
  {
    auto db = store::Database::Open(gateway_store_, store::StoreOptions());
    ASSERT_TRUE(db.ok()) << db.status();
    int64_t too_long = 0, longest = 0, events = 0;
    ASSERT_TRUE((*db)
                    ->Run([&](store::Connection& c) -> absl::Status {
                      auto rows = c.Query(
                          "SELECT COUNT(*), COALESCE(MAX(LENGTH(CAST(citizen_id AS BLOB))), 0),"
                          " (SELECT COUNT(*) FROM audit_events) FROM audit_events"
                          " WHERE LENGTH(CAST(citizen_id AS BLOB)) > 64",
                          {});
                      if (!rows.ok()) return rows.status();
                      too_long = (*rows)[0].Int(0);
                      longest = (*rows)[0].Int(1);
                      events = (*rows)[0].Int(2);
                      return absl::OkStatus();
                    })
                    .ok());
    printf("  gateway audit trail: %lld events\n", static_cast<long long>(events));
    if (too_long > 0) {
      Fail("gateway audit_events", "citizen_id", "",
           absl::StrCat(too_long, " events with a citizen_id over 64 bytes (longest ", longest,
                        " bytes) written for requests the services refused"));
    }
  }

  // Nothing crashed.
  for (auto& [name, p] : backends_) {
    EXPECT_FALSE(p->Wait(absl::Milliseconds(1)).ok()) << name << " exited; see " << p->log_path();
  }
  EXPECT_FALSE(gateway_->Wait(absl::Milliseconds(1)).ok()) << "the gateway exited";

  pb::SetLogHandler(previous);

  // The summary.
  Tally total;
  std::string table;
  for (const auto& group : tallies) {
    for (const auto& [rpc, t] : group) {
      absl::StrAppendFormat(&table,
                            "  %-58s %3d fields %4d tried %4d stored %3d ignored %4d rejected\n",
                            rpc, t.fields, t.tried, t.stored, t.ignored, t.rejected);
      total.fields += t.fields;
      total.tried += t.tried;
      total.stored += t.stored;
      total.ignored += t.ignored;
      total.rejected += t.rejected;
      for (const auto& [v, n] : t.by_value) {
        total.by_value[v].first += n.first;
        total.by_value[v].second += n.second;
      }
      for (const auto& f : t.ignored_fields) {
        // Bookkeeping fields are ignored on create by design; list the rest.
        bool bookkeeping = false;
        for (const char* b : {".id.", ".etag.", ".state.", ".create_time.", ".update_time."}) {
          bookkeeping |= absl::StrContains(f + ".", b);
        }
        if (bookkeeping) continue;
        total.ignored_fields.insert(absl::StrCat(rpc.substr(rpc.rfind('/') + 1), " ", f));
      }
    }
  }
  printf("hostile input through the gateway (%s for the creates):\n%s",
         absl::FormatDuration(creates_took).c_str(), table.c_str());
  printf(
      "  total: %d fields x values = %d tried: %d accepted and read back, %d accepted on "
      "fields the service ignores on create, %d rejected naming the field; %d List RPCs with "
      "bad pages; %zu failures\n",
      total.fields, total.tried, total.stored, total.ignored, total.rejected, list_rpcs,
      FailureCount());
  std::string by_value;
  for (const auto& [v, n] : total.by_value) {
    absl::StrAppend(&by_value, " ", v, " ", n.first, "/", n.second, ";");
  }
  printf("  accepted/rejected per value on fields the service stores:%s\n", by_value.c_str());
  printf("  ignored on create (besides id, etag, state, create/update time): %s\n",
         absl::StrJoin(total.ignored_fields, ", ").c_str());
  EXPECT_EQ(FailureCount(), 0u) << "failures (rpc {fields} value -> outcome):" << Report();
}

}  // namespace
}  // namespace helhed
