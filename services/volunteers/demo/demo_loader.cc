#include "services/volunteers/demo/demo_loader.h"

#include <algorithm>
#include <chrono>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/principal.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "helhed/volunteers/v1/volunteers_service.grpc.pb.h"

namespace helhed::volunteers::demo {
namespace {

namespace v1 = ::helhed::volunteers::v1;
using google::protobuf::util::TimeUtil;

struct Area {
  const char* postcode;
  double lat;
  double lng;
};
// Postcodes in and around Randers (730) with rough centres.
constexpr Area kAreas[] = {{"8900", 56.4607, 10.0364}, {"8920", 56.4453, 9.9791},
                           {"8930", 56.4700, 10.0880}, {"8940", 56.4260, 10.0510},
                           {"8960", 56.4880, 10.0410}, {"8870", 56.4070, 10.2240},
                           {"8981", 56.5540, 9.9570}};
constexpr const char* kInterests[] = {"fodbold",    "strik",   "musik",       "gåture", "kortspil",
                                      "madlavning", "fiskeri", "havearbejde", "kunst",  "svømning"};
constexpr const char* kNames[] = {"Anne", "Bent", "Camilla", "Dorthe", "Erik", "Fatima", "Gitte",
                                  "Hans", "Ida",  "Jens",    "Karin",  "Lars", "Mette",  "Niels",
                                  "Omar", "Pia",  "Rasmus",  "Sofie",  "Tove", "Ulla"};

class Loader {
 public:
  Loader(const std::shared_ptr<grpc::Channel>& channel, const DemoOptions& o)
      : stub_(v1::VolunteersService::NewStub(channel)), o_(o), rng_(o.seed) {
    principal_.set_subject("demo-loader");
    principal_.set_municipality_code(o.municipality);
    principal_.add_roles(helhed::common::v1::ROLE_VOLUNTEER_COORDINATOR);
  }

  template <typename Req, typename Resp, typename Call>
  absl::Status Invoke(const Req& req, Resp* resp, Call call) {
    grpc::ClientContext ctx;
    auth::AttachPrincipal(&ctx, principal_);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return FromGrpcStatus(call(&ctx, req, resp));
  }

  std::string Rid(const std::string& key) {
    return absl::StrCat("demo:", o_.municipality, ":", key);
  }
  const Area& AnyArea() { return kAreas[rng_() % (sizeof(kAreas) / sizeof(kAreas[0]))]; }

  absl::StatusOr<DemoIds> Load() {
    DemoIds ids;
    const struct {
      const char* name;
      v1::OrganisationKind kind;
    } orgs[] = {{"Frivilligcenter (demo)", v1::ORGANISATION_KIND_ASSOCIATION},
                {"Idrætsforening for alle (demo)", v1::ORGANISATION_KIND_SPORTS_CLUB},
                {"Aktivitets- og samværstilbud (demo)", v1::ORGANISATION_KIND_MUNICIPAL_OFFER},
                {"Værested og netværkscafé (demo)", v1::ORGANISATION_KIND_ASSOCIATION}};
    for (size_t i = 0; i < sizeof(orgs) / sizeof(orgs[0]); ++i) {
      v1::CreateOrganisationRequest req;
      req.mutable_organisation()->set_name(orgs[i].name);
      req.mutable_organisation()->set_kind(orgs[i].kind);
      req.mutable_organisation()->add_postcodes(kAreas[i % 3].postcode);
      req.mutable_organisation()->mutable_contact()->set_email(
          absl::StrCat("kontakt", i, "@example.dk"));
      req.set_request_id(Rid(absl::StrCat("org/", i)));
      v1::CreateOrganisationResponse resp;
      HELHED_RETURN_IF_ERROR(Invoke(req, &resp, [&](auto* c, auto& r, auto* out) {
        return stub_->CreateOrganisation(c, r, out);
      }));
      ids.organisations.push_back(resp.organisation().id());
    }
    const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
    for (int i = 0; i < o_.volunteers; ++i) {
      v1::CreateVolunteerRequest req;
      v1::Volunteer* v = req.mutable_volunteer();
      v->set_display_name(absl::StrCat(kNames[i % 20], " ", i + 1));
      const Area& a = AnyArea();
      v->set_home_postcode(a.postcode);
      v->mutable_home_location()->set_latitude(a.lat +
                                               (static_cast<int>(rng_() % 200) - 100) * 1e-4);
      v->mutable_home_location()->set_longitude(a.lng +
                                                (static_cast<int>(rng_() % 200) - 100) * 1e-4);
      v->set_max_travel_km(5 + static_cast<int>(rng_() % 20));
      for (int k = 0; k < 3; ++k) {
        const std::string tag = kInterests[rng_() % 10];
        if (std::find(v->interests().begin(), v->interests().end(), tag) == v->interests().end()) {
          v->add_interests(tag);
        }
      }
      v->add_languages("da");
      if (i % 5 == 0) v->add_languages("en");
      if (i % 11 == 0) v->add_languages("ar");
      for (int d = 1; d <= 7; ++d) {
        if ((rng_() % 3) != 0) {
          auto* w = v->add_availability();
          w->set_weekday(static_cast<v1::Weekday>(d));
          w->set_start_minute(9 * 60);
          w->set_end_minute(21 * 60);
        }
      }
      v->set_max_hours_per_week(4 + static_cast<int>(rng_() % 6));
      auto* t = v->add_trainings();
      t->set_course("Introduktion til følgeskab");
      t->mutable_completed_date()->set_year(static_cast<int>(today.year()) - 1);
      t->mutable_completed_date()->set_month(3);
      t->mutable_completed_date()->set_day(1);
      auto* rc = v->mutable_record_check();
      rc->set_kind(v1::RECORD_CHECK_KIND_CRIMINAL_RECORD);
      rc->set_status(v1::RECORD_CHECK_STATUS_VALID);
      const absl::CivilDay expiry = today + 20 + static_cast<int>(rng_() % 700);
      rc->mutable_expiry_date()->set_year(static_cast<int>(expiry.year()));
      rc->mutable_expiry_date()->set_month(expiry.month());
      rc->mutable_expiry_date()->set_day(expiry.day());
      v->mutable_role_agreement()->set_version("2024-1");
      *v->mutable_role_agreement()->mutable_signed_date() = t->completed_date();
      v->set_status(i % 13 == 0 ? v1::VOLUNTEER_STATUS_PAUSED : v1::VOLUNTEER_STATUS_ACTIVE);
      v->set_consent_given(true);
      *v->mutable_consent_date() = t->completed_date();
      v->set_gender(i % 2 == 0 ? v1::GENDER_FEMALE : v1::GENDER_MALE);
      if (i % 4 == 0) v->add_supports(v1::NEED_WHEELCHAIR);
      if (i % 3 == 0) v->add_supports(v1::NEED_CALM);
      req.set_request_id(Rid(absl::StrCat("volunteer/", i)));
      v1::CreateVolunteerResponse resp;
      HELHED_RETURN_IF_ERROR(Invoke(req, &resp, [&](auto* c, auto& r, auto* out) {
        return stub_->CreateVolunteer(c, r, out);
      }));
      ids.volunteers.push_back(resp.volunteer().id());
    }
    for (int i = 0; i < o_.activities; ++i) {
      v1::CreateActivityRequest req;
      v1::Activity* act = req.mutable_activity();
      act->set_organisation_id(ids.organisations[i % ids.organisations.size()]);
      const std::string interest = kInterests[i % 10];
      act->set_title(absl::StrCat("Fællesskab om ", interest, " (demo ", i + 1, ")"));
      act->add_interests(interest);
      const Area& a = kAreas[i % 7];
      act->mutable_place()->set_postcode(a.postcode);
      act->mutable_place()->set_address("Demo-adresse");
      act->mutable_place()->mutable_location()->set_latitude(a.lat);
      act->mutable_place()->mutable_location()->set_longitude(a.lng);
      auto* w = act->mutable_weekly();
      w->set_weekday(static_cast<v1::Weekday>(1 + i % 7));
      w->set_start_minute(17 * 60);
      w->set_duration_minutes(120);
      w->mutable_first_date()->set_year(static_cast<int>(today.year()));
      w->mutable_first_date()->set_month(today.month());
      w->mutable_first_date()->set_day(today.day());
      act->set_capacity(2 + i % 4);
      act->add_accessibility(v1::ACCESSIBILITY_STEP_FREE);
      req.set_request_id(Rid(absl::StrCat("activity/", i)));
      v1::CreateActivityResponse resp;
      HELHED_RETURN_IF_ERROR(Invoke(req, &resp, [&](auto* c, auto& r, auto* out) {
        return stub_->CreateActivity(c, r, out);
      }));
      ids.activities.push_back(resp.activity().id());
    }
    static const absl::TimeZone tz = [] {
      absl::TimeZone z;
      return absl::LoadTimeZone("Europe/Copenhagen", &z) ? z : absl::UTCTimeZone();
    }();
    for (int i = 0; i < o_.requests; ++i) {
      v1::CreateAccompanimentRequestRequest req;
      v1::AccompanimentRequest* r = req.mutable_accompaniment_request();
      r->set_citizen_id(absl::StrCat("demo-citizen-", 1001 + i));
      r->set_destination(i % 2 == 0 ? "Lægebesøg" : "Biblioteket");
      const Area& a = kAreas[i % 7];
      r->mutable_place()->set_postcode(a.postcode);
      r->mutable_place()->mutable_location()->set_latitude(a.lat);
      r->mutable_place()->mutable_location()->set_longitude(a.lng);
      const absl::Time start =
          absl::FromCivil(absl::CivilSecond(today.year(), today.month(), today.day(), 14, 0, 0),
                          tz) +
          absl::Hours(24 * (3 + i));
      *r->mutable_window_start() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(start));
      *r->mutable_window_end() =
          TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(start + absl::Hours(2)));
      if (i % 3 == 0) r->add_needs(v1::NEED_CALM);
      r->add_interests(kInterests[i % 10]);
      r->set_wants_familiar_volunteer(i % 2 == 0);
      req.set_request_id(Rid(absl::StrCat("request/", i)));
      v1::CreateAccompanimentRequestResponse resp;
      HELHED_RETURN_IF_ERROR(Invoke(req, &resp, [&](auto* c, auto& rr, auto* out) {
        return stub_->CreateAccompanimentRequest(c, rr, out);
      }));
      ids.requests.push_back(resp.accompaniment_request().id());
    }
    return ids;
  }

 private:
  std::unique_ptr<v1::VolunteersService::Stub> stub_;
  DemoOptions o_;
  std::mt19937 rng_;
  helhed::common::v1::Principal principal_;
};

}  // namespace

absl::StatusOr<DemoIds> LoadDemo(const std::shared_ptr<grpc::Channel>& channel,
                                 const DemoOptions& options) {
  Loader loader(channel, options);
  return loader.Load();
}

}  // namespace helhed::volunteers::demo
