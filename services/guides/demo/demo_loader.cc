#include "services/guides/demo/demo_loader.h"

#include <chrono>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/principal.h"
#include "common/calendar/calendar.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "helhed/guides/v1/guides_service.grpc.pb.h"

namespace helhed::guides::demo {
namespace {

namespace v1 = ::helhed::guides::v1;

struct Area {
  const char* postcode;
  double lat;
  double lng;
};
constexpr Area kAreas[] = {{"8900", 56.4607, 10.0364}, {"8920", 56.4453, 9.9791},
                           {"8930", 56.4700, 10.0880}, {"8940", 56.4260, 10.0510},
                           {"8960", 56.4880, 10.0410}, {"8870", 56.4070, 10.2240}};
constexpr const char* kNames[] = {"Mads", "Lene",  "Ahmed",  "Birgit", "Carsten", "Dorte",
                                  "Emil", "Frida", "Gustav", "Hanne",  "Ivan",    "Julie"};
constexpr const char* kHelp[] = {
    "Jeg vil gerne tilbage på arbejdsmarkedet og mangler nogen, der har prøvet det.",
    "Jeg har brug for at tale med en, der kender til at komme ud af et misbrug.",
    "Jeg vil gerne lære at bruge mine netværk efter min hjerneskade.",
    "Min søn har autisme, og jeg vil gerne møde en anden pårørende."};

class Loader {
 public:
  Loader(const std::shared_ptr<grpc::Channel>& channel, const DemoOptions& o)
      : stub_(v1::GuidesService::NewStub(channel)), o_(o), rng_(o.seed) {
    principal_.set_subject("demo-loader");
    principal_.set_municipality_code(o.municipality);
    principal_.add_roles(helhed::common::v1::ROLE_GUIDE_COORDINATOR);
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

  absl::StatusOr<DemoIds> Load() {
    DemoIds ids;
    const absl::CivilDay today = calendar::Today(absl::Now());
    for (int i = 0; i < o_.guides; ++i) {
      v1::CreateGuideRequest req;
      v1::Guide* g = req.mutable_guide();
      g->set_display_name(absl::StrCat(kNames[i % 12], " (guide ", i + 1, ")"));
      // Two experiences, the first by turn so every tag is represented.
      const int first = 1 + i % 9;
      const int second = 1 + (i * 5 + 3) % 9;
      auto* e = g->add_experiences();
      e->set_tag(static_cast<v1::ExperienceTag>(first));
      e->set_years_ago(static_cast<int>(rng_() % 12));
      if (second != first) {
        e = g->add_experiences();
        e->set_tag(static_cast<v1::ExperienceTag>(second));
        e->set_years_ago(static_cast<int>(rng_() % 12));
      }
      g->add_life_phases(static_cast<v1::LifePhase>(1 + i % 4));
      g->add_languages("da");
      if (i % 6 == 0) g->add_languages("en");
      const Area& a = kAreas[rng_() % 6];
      g->set_home_postcode(a.postcode);
      g->mutable_home_location()->set_latitude(a.lat);
      g->mutable_home_location()->set_longitude(a.lng);
      g->set_age_band(static_cast<v1::AgeBand>(1 + i % 4));
      g->set_gender(i % 2 == 0 ? v1::GENDER_FEMALE : v1::GENDER_MALE);
      auto* t = g->add_trainings();
      t->set_course("Borgerguide-uddannelsen");
      t->mutable_completed_date()->set_year(static_cast<int>(today.year()) - 1);
      t->mutable_completed_date()->set_month(5);
      t->mutable_completed_date()->set_day(1);
      const absl::CivilDay until = today + 30 + static_cast<int>(rng_() % 700);
      *t->mutable_valid_until() = calendar::DateOf(until);
      g->add_settings(static_cast<v1::Setting>(1 + i % 4));
      g->set_employment(i % 3 == 0 ? v1::EMPLOYMENT_PAID : v1::EMPLOYMENT_VOLUNTEER);
      g->set_capacity(1 + i % 3);
      g->add_available_days(v1::WEEKDAY_TUESDAY);
      g->add_available_days(v1::WEEKDAY_THURSDAY);
      if (i % 2 == 0) g->add_available_days(v1::WEEKDAY_SATURDAY);
      g->set_status(v1::GUIDE_STATUS_ACTIVE);
      req.set_idempotency_key(Rid(absl::StrCat("guide/", i)));
      v1::CreateGuideResponse resp;
      HELHED_RETURN_IF_ERROR(Invoke(
          req, &resp, [&](auto* c, auto& r, auto* out) { return stub_->CreateGuide(c, r, out); }));
      ids.guides.push_back(resp.guide().id());
    }
    for (int i = 0; i < o_.requests; ++i) {
      v1::CreateGuidanceRequestRequest req;
      v1::GuidanceRequest* r = req.mutable_guidance_request();
      r->set_citizen_id(absl::StrCat("demo-citizen-", 2001 + i));
      r->add_situation(static_cast<v1::ExperienceTag>(1 + (i * 2) % 9));
      r->set_life_phase(static_cast<v1::LifePhase>(1 + i % 4));
      r->set_help_wanted(kHelp[i % 4]);
      r->set_life_area(static_cast<helhed::common::v1::LifeArea>(1 + i % 3));
      r->set_urgency(static_cast<v1::Urgency>(1 + i % 4));
      r->set_referred_by(i % 2 == 0 ? "Jobcenter" : "Socialpsykiatrien");
      r->set_consent_given(i % 7 != 6);
      const Area& a = kAreas[i % 6];
      r->set_postcode(a.postcode);
      r->mutable_location()->set_latitude(a.lat);
      r->mutable_location()->set_longitude(a.lng);
      req.set_idempotency_key(Rid(absl::StrCat("request/", i)));
      v1::CreateGuidanceRequestResponse resp;
      HELHED_RETURN_IF_ERROR(Invoke(req, &resp, [&](auto* c, auto& rr, auto* out) {
        return stub_->CreateGuidanceRequest(c, rr, out);
      }));
      ids.requests.push_back(resp.guidance_request().id());
    }
    if (o_.municipality == "730") {
      HELHED_RETURN_IF_ERROR(LoadWholePicture(ids));
    }
    return ids;
  }

  // The whole-picture citizens (services/plans/demo/demo_data.textproto):
  // each asks for a borgerguide and is matched with the best-ranked guide
  // who shares their experience; the guide has accepted. Proposed once: a
  // later load finds the match.
  absl::Status LoadWholePicture(DemoIds& ids) {
    using helhed::common::v1::LifeArea;
    const struct {
      const char* citizen;
      v1::ExperienceTag situation[2];
      v1::LifePhase phase;
      LifeArea area;
      v1::Urgency urgency;
      v1::Gender gender;
      const char* postcode;
      const char* referred_by;
      const char* help;
    } stories[] = {
        {"demo-730-w1",
         {v1::EXPERIENCE_TAG_ADDICTION_RECOVERY, v1::EXPERIENCE_TAG_MENTAL_ILLNESS},
         v1::LIFE_PHASE_YOUTH_TO_ADULT,
         helhed::common::v1::LIFE_AREA_BE,
         v1::URGENCY_HIGH,
         v1::GENDER_UNSPECIFIED,
         "8900",
         "Forsorgshjemmet (§ 110)",
         "Jeg vil gerne tale med en, der selv er kommet ud af hash og har haft angst, om "
         "hvordan man holder fast, når man flytter i egen bolig."},
        {"demo-730-w2",
         {v1::EXPERIENCE_TAG_HOMELESSNESS, v1::EXPERIENCE_TAG_UNSPECIFIED},
         v1::LIFE_PHASE_PARENTHOOD,
         helhed::common::v1::LIFE_AREA_BE,
         v1::URGENCY_NORMAL,
         v1::GENDER_FEMALE,
         "8920",
         "Krisecentret",
         "Jeg vil gerne møde en anden mor, der selv er startet forfra i en ny bolig med sine "
         "børn."},
        {"demo-730-w3",
         {v1::EXPERIENCE_TAG_HOMELESSNESS, v1::EXPERIENCE_TAG_ADDICTION_RECOVERY},
         v1::LIFE_PHASE_SENIOR_LIFE,
         helhed::common::v1::LIFE_AREA_BE,
         v1::URGENCY_NORMAL,
         v1::GENDER_UNSPECIFIED,
         "8900",
         "Gadeteamet",
         "Jeg vil gerne snakke med en, der selv har været hjemløs og er holdt op med at drikke."},
        {"demo-730-w4",
         {v1::EXPERIENCE_TAG_INTELLECTUAL_DISABILITY, v1::EXPERIENCE_TAG_UNSPECIFIED},
         v1::LIFE_PHASE_YOUTH_TO_ADULT,
         helhed::common::v1::LIFE_AREA_MASTER,
         v1::URGENCY_NORMAL,
         v1::GENDER_UNSPECIFIED,
         "8930",
         "Voksenhandicap",
         "Jeg vil gerne lære at tage bussen og handle selv af en, der også har et handicap og "
         "bor for sig selv."},
    };
    for (const auto& st : stories) {
      v1::CreateGuidanceRequestRequest req;
      v1::GuidanceRequest* r = req.mutable_guidance_request();
      r->set_citizen_id(st.citizen);
      for (auto tag : st.situation) {
        if (tag != v1::EXPERIENCE_TAG_UNSPECIFIED) r->add_situation(tag);
      }
      r->set_life_phase(st.phase);
      r->set_help_wanted(st.help);
      r->set_life_area(st.area);
      r->set_urgency(st.urgency);
      r->mutable_preferences()->set_gender(st.gender);
      r->set_referred_by(st.referred_by);
      r->set_consent_given(true);
      r->set_postcode(st.postcode);
      for (const auto& a : kAreas) {
        if (std::string(a.postcode) == st.postcode) {
          r->mutable_location()->set_latitude(a.lat);
          r->mutable_location()->set_longitude(a.lng);
        }
      }
      req.set_idempotency_key(Rid(absl::StrCat("whole-picture/", st.citizen)));
      v1::CreateGuidanceRequestResponse created;
      HELHED_RETURN_IF_ERROR(Invoke(req, &created, [&](auto* c, auto& rr, auto* out) {
        return stub_->CreateGuidanceRequest(c, rr, out);
      }));
      const std::string id = created.guidance_request().id();
      ids.whole_picture.push_back(id);
      v1::ListMatchesRequest lm;
      lm.set_guidance_request_id(id);
      v1::ListMatchesResponse have;
      HELHED_RETURN_IF_ERROR(Invoke(
          lm, &have, [&](auto* c, auto& rr, auto* out) { return stub_->ListMatches(c, rr, out); }));
      if (have.matches_size() > 0) continue;  // loaded before
      v1::RankGuidesRequest rank;
      rank.set_guidance_request_id(id);
      v1::RankGuidesResponse ranked;
      HELHED_RETURN_IF_ERROR(Invoke(rank, &ranked, [&](auto* c, auto& rr, auto* out) {
        return stub_->RankGuides(c, rr, out);
      }));
      // The best guide who shares the experience (the "experience" factor).
      std::string guide;
      for (const auto& c : ranked.candidates()) {
        for (const auto& f : c.factors()) {
          if (f.factor() == "experience" && f.points() > 0 && guide.empty()) guide = c.guide_id();
        }
      }
      // None (a small generated set): the request stays open.
      if (guide.empty()) continue;
      v1::GetGuidanceRequestRequest get;
      get.set_id(id);
      v1::GetGuidanceRequestResponse cur;
      HELHED_RETURN_IF_ERROR(Invoke(get, &cur, [&](auto* c, auto& rr, auto* out) {
        return stub_->GetGuidanceRequest(c, rr, out);
      }));
      v1::ProposeMatchRequest propose;
      propose.set_guidance_request_id(id);
      propose.set_guide_id(guide);
      propose.set_etag(cur.guidance_request().etag());
      v1::ProposeMatchResponse proposed;
      HELHED_RETURN_IF_ERROR(Invoke(propose, &proposed, [&](auto* c, auto& rr, auto* out) {
        return stub_->ProposeMatch(c, rr, out);
      }));
      v1::AcceptMatchRequest accept;
      accept.set_match_id(proposed.match().id());
      accept.set_etag(proposed.match().etag());
      v1::AcceptMatchResponse accepted;
      HELHED_RETURN_IF_ERROR(Invoke(accept, &accepted, [&](auto* c, auto& rr, auto* out) {
        return stub_->AcceptMatch(c, rr, out);
      }));
    }
    return absl::OkStatus();
  }

 private:
  std::unique_ptr<v1::GuidesService::Stub> stub_;
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

}  // namespace helhed::guides::demo
