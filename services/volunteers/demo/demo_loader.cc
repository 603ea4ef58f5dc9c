#include "services/volunteers/demo/demo_loader.h"

#include <algorithm>
#include <chrono>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/principal.h"
#include "common/calendar/calendar.h"
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
      req.set_idempotency_key(Rid(absl::StrCat("org/", i)));
      v1::CreateOrganisationResponse resp;
      HELHED_RETURN_IF_ERROR(Invoke(req, &resp, [&](auto* c, auto& r, auto* out) {
        return stub_->CreateOrganisation(c, r, out);
      }));
      ids.organisations.push_back(resp.organisation().id());
    }
    const absl::CivilDay today = calendar::Today(absl::Now());
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
      *rc->mutable_expiry_date() = calendar::DateOf(expiry);
      v->mutable_role_agreement()->set_version("2024-1");
      *v->mutable_role_agreement()->mutable_signed_date() = t->completed_date();
      v->set_status(i % 13 == 0 ? v1::VOLUNTEER_STATUS_PAUSED : v1::VOLUNTEER_STATUS_ACTIVE);
      v->set_consent_given(true);
      *v->mutable_consent_date() = t->completed_date();
      v->set_gender(i % 2 == 0 ? v1::GENDER_FEMALE : v1::GENDER_MALE);
      if (i % 4 == 0) v->add_supports(v1::NEED_WHEELCHAIR);
      if (i % 3 == 0) v->add_supports(v1::NEED_CALM);
      req.set_idempotency_key(Rid(absl::StrCat("volunteer/", i)));
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
      *w->mutable_first_date() = calendar::DateOf(today);
      act->set_capacity(2 + i % 4);
      act->add_accessibility(v1::ACCESSIBILITY_STEP_FREE);
      req.set_idempotency_key(Rid(absl::StrCat("activity/", i)));
      v1::CreateActivityResponse resp;
      HELHED_RETURN_IF_ERROR(Invoke(req, &resp, [&](auto* c, auto& r, auto* out) {
        return stub_->CreateActivity(c, r, out);
      }));
      ids.activities.push_back(resp.activity().id());
    }
    const absl::TimeZone& tz = calendar::Zone();
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
      req.set_idempotency_key(Rid(absl::StrCat("request/", i)));
      v1::CreateAccompanimentRequestResponse resp;
      HELHED_RETURN_IF_ERROR(Invoke(req, &resp, [&](auto* c, auto& rr, auto* out) {
        return stub_->CreateAccompanimentRequest(c, rr, out);
      }));
      ids.requests.push_back(resp.accompaniment_request().id());
    }
    if (o_.municipality == "730") {
      HELHED_RETURN_IF_ERROR(LoadWholePicture(ids, today, tz));
    }
    return ids;
  }

  // The whole-picture citizens (services/plans/demo/demo_data.textproto):
  // each goes to one of the demo activities with a volunteer, booked with
  // the best-ranked one. Matched once; a later load finds it matched.
  absl::Status LoadWholePicture(DemoIds& ids, absl::CivilDay today, const absl::TimeZone& tz) {
    if (ids.activities.empty()) return absl::OkStatus();
    const struct {
      const char* citizen;
      int activity;  // index into the generated activities
      v1::Gender gender;
      v1::Need need;
      bool familiar;
    } stories[] = {
        // A young adult with a dual diagnosis in a §110 shelter: football.
        {"demo-730-w1", 0, v1::GENDER_UNSPECIFIED, v1::NEED_UNSPECIFIED, false},
        // A mother leaving a women's shelter: the cooking club, a woman along.
        {"demo-730-w2", 5, v1::GENDER_FEMALE, v1::NEED_UNSPECIFIED, false},
        // An older man, long homeless: a visiting friend to the card games.
        {"demo-730-w3", 4, v1::GENDER_UNSPECIFIED, v1::NEED_UNSPECIFIED, true},
        // A young person with an intellectual disability: swimming, calmly.
        {"demo-730-w4", 9, v1::GENDER_UNSPECIFIED, v1::NEED_CALM, false},
    };
    for (const auto& st : stories) {
      const std::string activity_id = ids.activities[st.activity % ids.activities.size()];
      v1::GetActivityRequest ga;
      ga.set_id(activity_id);
      v1::GetActivityResponse act;
      HELHED_RETURN_IF_ERROR(Invoke(
          ga, &act, [&](auto* c, auto& r, auto* out) { return stub_->GetActivity(c, r, out); }));
      const v1::Activity& a = act.activity();
      // The next occurrence from tomorrow on, from a quarter of an hour
      // before it starts until a quarter of an hour after it ends.
      absl::CivilDay day = today + 1;
      while (static_cast<int>(absl::GetWeekday(day)) + 1 !=
             static_cast<int>(a.weekly().weekday())) {
        day += 1;
      }
      const absl::Time start =
          absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day()), tz) +
          absl::Minutes(a.weekly().start_minute() - 15);
      v1::CreateAccompanimentRequestRequest req;
      v1::AccompanimentRequest* r = req.mutable_accompaniment_request();
      r->set_citizen_id(st.citizen);
      r->set_activity_id(activity_id);
      *r->mutable_place() = a.place();
      *r->mutable_window_start() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(start));
      *r->mutable_window_end() = TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(start + absl::Minutes(a.weekly().duration_minutes() + 30)));
      if (st.need != v1::NEED_UNSPECIFIED) r->add_needs(st.need);
      r->set_gender_preference(st.gender);
      r->set_wants_familiar_volunteer(st.familiar);
      for (const auto& interest : a.interests()) r->add_interests(interest);
      req.set_idempotency_key(Rid(absl::StrCat("whole-picture/", st.citizen)));
      v1::CreateAccompanimentRequestResponse created;
      HELHED_RETURN_IF_ERROR(Invoke(req, &created, [&](auto* c, auto& rr, auto* out) {
        return stub_->CreateAccompanimentRequest(c, rr, out);
      }));
      // The current state: an earlier load may have matched it already.
      v1::GetAccompanimentRequestRequest get;
      get.set_id(created.accompaniment_request().id());
      v1::GetAccompanimentRequestResponse cur;
      HELHED_RETURN_IF_ERROR(Invoke(get, &cur, [&](auto* c, auto& rr, auto* out) {
        return stub_->GetAccompanimentRequest(c, rr, out);
      }));
      ids.whole_picture.push_back(cur.accompaniment_request().id());
      if (!cur.accompaniment_request().volunteer_id().empty()) continue;
      v1::RankCandidatesRequest rank;
      rank.set_accompaniment_id(cur.accompaniment_request().id());
      rank.set_limit(1);
      v1::RankCandidatesResponse ranked;
      HELHED_RETURN_IF_ERROR(Invoke(rank, &ranked, [&](auto* c, auto& rr, auto* out) {
        return stub_->RankCandidates(c, rr, out);
      }));
      // None free (a small generated set): the request stays open.
      if (ranked.candidates_size() == 0) continue;
      v1::MatchRequestRequest match;
      match.set_accompaniment_id(cur.accompaniment_request().id());
      match.set_volunteer_id(ranked.candidates(0).volunteer_id());
      match.set_etag(cur.accompaniment_request().etag());
      v1::MatchRequestResponse matched;
      HELHED_RETURN_IF_ERROR(Invoke(match, &matched, [&](auto* c, auto& rr, auto* out) {
        return stub_->MatchRequest(c, rr, out);
      }));
    }
    return absl::OkStatus();
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
