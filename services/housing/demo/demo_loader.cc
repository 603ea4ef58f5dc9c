#include "services/housing/demo/demo_loader.h"

#include <chrono>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/principal.h"
#include "common/calendar/calendar.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "helhed/housing/v1/housing_service.grpc.pb.h"

namespace helhed::housing::demo {
namespace {

namespace v1 = ::helhed::housing::v1;

constexpr const char* kPostcodes[] = {"8900", "8920", "8930", "8940", "8960", "8870"};
constexpr const char* kLandlords[] = {"Randers Boligforening", "Boligselskabet Kronjylland",
                                      "Kommunens botilbud", "Fællesbo", "Privat udlejer"};

using calendar::DateOf;

class Loader {
 public:
  Loader(const std::shared_ptr<grpc::Channel>& channel, const DemoOptions& o)
      : stub_(v1::HousingService::NewStub(channel)), o_(o), rng_(o.seed) {
    principal_.set_subject("demo-loader");
    principal_.set_municipality_code(o.municipality);
    principal_.add_roles(helhed::common::v1::ROLE_HOUSING_OFFICER);
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

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  absl::StatusOr<DemoIds> Load() {
    DemoIds ids;
    const absl::CivilDay today = calendar::Today(absl::Now());
    std::vector<v1::HousingUnit> units;
    for (int type = 1; type <= 7; ++type) {
      for (int i = 0; i < o_.units_per_type; ++i) {
        v1::CreateUnitRequest req;
        v1::HousingUnit* u = req.mutable_unit();
        u->set_unit_type(static_cast<v1::UnitType>(type));
        u->set_landlord(kLandlords[Pick(5)]);
        u->set_postcode(kPostcodes[Pick(6)]);
        const bool place = type == v1::UNIT_TYPE_TEMPORARY_107 ||
                           type == v1::UNIT_TYPE_SHELTER_110 || type == v1::UNIT_TYPE_LONG_TERM_108;
        u->set_rooms(place ? 1 : 1 + Pick(3));
        u->set_monthly_rent_dkk(place ? 2500 + 100 * Pick(10) : 3800 + 100 * Pick(30));
        if (Pick(3) == 0) u->add_accessibility(v1::ACCESSIBILITY_STEP_FREE);
        if (type == v1::UNIT_TYPE_LONG_TERM_108 || Pick(6) == 0) {
          u->add_accessibility(v1::ACCESSIBILITY_WHEELCHAIR);
        }
        switch (type) {
          case v1::UNIT_TYPE_HOUSING_FIRST:
            u->set_support(i % 2 == 0 ? v1::SUPPORT_LEVEL_ACT : v1::SUPPORT_LEVEL_ICM);
            break;
          case v1::UNIT_TYPE_SKAEV_BOLIG:
            u->set_support(v1::SUPPORT_LEVEL_HOME_SUPPORT_85);
            break;
          case v1::UNIT_TYPE_TEMPORARY_107:
          case v1::UNIT_TYPE_LONG_TERM_108:
          case v1::UNIT_TYPE_SHELTER_110:
            u->set_support(v1::SUPPORT_LEVEL_STAFFED);
            break;
          case v1::UNIT_TYPE_SHARED_LIVING:
            u->set_support(v1::SUPPORT_LEVEL_CTI);
            break;
          default:
            u->set_support(v1::SUPPORT_LEVEL_NONE);
        }
        *u->mutable_available_from() = DateOf(today + Pick(30));
        req.set_idempotency_key(Rid(absl::StrCat("unit:", type, ":", i)));
        v1::CreateUnitResponse resp;
        HELHED_RETURN_IF_ERROR(Invoke(
            req, &resp, [&](auto* c, auto& r, auto* s) { return stub_->CreateUnit(c, r, s); }));
        ids.units.push_back(resp.unit().id());
        units.push_back(resp.unit());
      }
    }
    std::vector<v1::Application> apps;
    for (int i = 0; i < o_.applications; ++i) {
      v1::CreateApplicationRequest req;
      v1::Application* a = req.mutable_application();
      a->set_citizen_id(absl::StrCat("demo-", o_.municipality, "-h", i));
      a->set_situation(static_cast<v1::Situation>(1 + i % 8));
      *a->mutable_screening_date() = DateOf(today - (5 + Pick(400)));
      a->set_rooms_needed(1 + Pick(2));
      if (Pick(5) == 0) a->add_accessibility_needs(v1::ACCESSIBILITY_STEP_FREE);
      a->set_support_needed(i % 3 == 0   ? v1::SUPPORT_LEVEL_ACT
                            : i % 3 == 1 ? v1::SUPPORT_LEVEL_NONE
                                         : v1::SUPPORT_LEVEL_HOME_SUPPORT_85);
      a->add_unit_types(v1::UNIT_TYPE_HOUSING_FIRST);
      a->add_unit_types(v1::UNIT_TYPE_PUBLIC_REFERRAL);
      if (i % 2 == 0) a->add_unit_types(v1::UNIT_TYPE_SKAEV_BOLIG);
      if (i % 4 == 0) a->add_unit_types(v1::UNIT_TYPE_SHARED_LIVING);
      auto* area = a->add_preferred_areas();
      area->set_postcode(kPostcodes[Pick(6)]);
      area->set_reason(static_cast<v1::AreaReason>(1 + Pick(4)));
      a->set_max_rent_dkk(4500 + 100 * Pick(25));
      if (i % 3 == 0) a->add_vulnerability_flags(v1::VULNERABILITY_FLAG_DUAL_DIAGNOSIS);
      if (i % 5 == 0) a->add_vulnerability_flags(v1::VULNERABILITY_FLAG_YOUNG_ADULT);
      if (i % 4 == 1) a->add_vulnerability_flags(v1::VULNERABILITY_FLAG_LONG_TERM_HOMELESS);
      v1::CreateApplicationResponse resp;
      req.set_idempotency_key(Rid(absl::StrCat("app:", i)));
      HELHED_RETURN_IF_ERROR(Invoke(req, &resp, [&](auto* c, auto& r, auto* s) {
        return stub_->CreateApplication(c, r, s);
      }));
      ids.applications.push_back(resp.application().id());
      apps.push_back(resp.application());
    }
    // Stays in shelter (§110) and temporary (§107) places, some long.
    int stay = 0;
    for (const auto& u : units) {
      if (u.unit_type() != v1::UNIT_TYPE_SHELTER_110 &&
          u.unit_type() != v1::UNIT_TYPE_TEMPORARY_107) {
        continue;
      }
      if (stay >= static_cast<int>(apps.size())) break;
      v1::CreateTenancyRequest req;
      req.set_idempotency_key(Rid(absl::StrCat("stay:", stay)));
      req.mutable_tenancy()->set_unit_id(u.id());
      req.mutable_tenancy()->set_citizen_id(apps[stay].citizen_id());
      *req.mutable_tenancy()->mutable_move_in() = DateOf(today - (10 + 40 * stay));
      v1::CreateTenancyResponse resp;
      absl::Status s = Invoke(
          req, &resp, [&](auto* c, auto& r, auto* out) { return stub_->CreateTenancy(c, r, out); });
      if (s.ok()) {
        ids.tenancies.push_back(resp.tenancy().id());
      } else if (s.code() != absl::StatusCode::kFailedPrecondition) {
        return s;  // a unit already taken by an earlier load is fine
      }
      ++stay;
    }
    // Offers: for the first few Housing First and public units, the best
    // candidate; one accepted, one declined, the rest pending.
    int made = 0;
    for (const auto& u : units) {
      if (made >= 4) break;
      if (u.unit_type() != v1::UNIT_TYPE_HOUSING_FIRST &&
          u.unit_type() != v1::UNIT_TYPE_PUBLIC_REFERRAL) {
        continue;
      }
      v1::ListOffersRequest existing;
      existing.set_unit_id(u.id());
      v1::ListOffersResponse have;
      HELHED_RETURN_IF_ERROR(Invoke(
          existing, &have, [&](auto* c, auto& r, auto* s) { return stub_->ListOffers(c, r, s); }));
      if (have.offers_size() > 0) {  // loaded before
        ids.offers.push_back(have.offers(0).id());
        ++made;
        continue;
      }
      v1::RankCandidatesRequest rank;
      rank.set_unit_id(u.id());
      rank.set_limit(1);
      v1::RankCandidatesResponse ranked;
      HELHED_RETURN_IF_ERROR(Invoke(rank, &ranked, [&](auto* c, auto& r, auto* s) {
        return stub_->RankCandidates(c, r, s);
      }));
      if (ranked.candidates_size() == 0) continue;
      v1::MakeOfferRequest offer;
      offer.set_unit_id(u.id());
      offer.set_application_id(ranked.candidates(0).application_id());
      *offer.mutable_deadline() = google::protobuf::util::TimeUtil::SecondsToTimestamp(
          absl::ToUnixSeconds(absl::Now() + absl::Hours(24 * 14)));
      offer.set_idempotency_key(Rid(absl::StrCat("offer:", made)));
      v1::MakeOfferResponse offered;
      HELHED_RETURN_IF_ERROR(Invoke(
          offer, &offered, [&](auto* c, auto& r, auto* s) { return stub_->MakeOffer(c, r, s); }));
      ids.offers.push_back(offered.offer().id());
      if (made == 0) {
        v1::AcceptOfferRequest accept;
        accept.set_offer_id(offered.offer().id());
        v1::AcceptOfferResponse accepted;
        HELHED_RETURN_IF_ERROR(Invoke(accept, &accepted, [&](auto* c, auto& r, auto* s) {
          return stub_->AcceptOffer(c, r, s);
        }));
      } else if (made == 1) {
        v1::DeclineOfferRequest decline;
        decline.set_offer_id(offered.offer().id());
        decline.set_reason(v1::DECLINE_REASON_AREA);
        decline.set_note("Vil gerne bo tættere på sin datter.");
        v1::DeclineOfferResponse declined;
        HELHED_RETURN_IF_ERROR(Invoke(decline, &declined, [&](auto* c, auto& r, auto* s) {
          return stub_->DeclineOffer(c, r, s);
        }));
      }
      ++made;
    }
    if (o_.municipality == "730") {
      HELHED_RETURN_IF_ERROR(LoadWholePicture(ids, today));
    }
    return ids;
  }

  // The whole-picture citizens (services/plans/demo/demo_data.textproto):
  // an application each, after the offers above so the generated offers
  // stay as they were, and a stay in the place each lives in now.
  absl::Status LoadWholePicture(DemoIds& ids, absl::CivilDay today) {
    const struct {
      const char* citizen;
      v1::Situation situation;
      int rooms;
      v1::SupportLevel support;
      v1::UnitType unit_types[2];
      const char* postcode;
      v1::AreaReason reason;
      int max_rent;
      v1::VulnerabilityFlag flags[2];
      v1::UnitType stay;  // where they live now, or unspecified
      const char* notes;
    } stories[] = {
        {"demo-730-w1",
         v1::SITUATION_SHELTER,
         1,
         v1::SUPPORT_LEVEL_ICM,
         {v1::UNIT_TYPE_HOUSING_FIRST, v1::UNIT_TYPE_PUBLIC_REFERRAL},
         "8900",
         v1::AREA_REASON_TREATMENT,
         4800,
         {v1::VULNERABILITY_FLAG_DUAL_DIAGNOSIS, v1::VULNERABILITY_FLAG_YOUNG_ADULT},
         v1::UNIT_TYPE_SHELTER_110,
         "Ung med dobbeltdiagnose på forsorgshjem (§ 110). Behandling på Rusmiddelcentret."},
        {"demo-730-w2",
         v1::SITUATION_SHELTER,
         3,
         v1::SUPPORT_LEVEL_CTI,
         {v1::UNIT_TYPE_PUBLIC_REFERRAL, v1::UNIT_TYPE_UNSPECIFIED},
         "8920",
         v1::AREA_REASON_NETWORK,
         7200,
         {v1::VULNERABILITY_FLAG_VIOLENCE, v1::VULNERABILITY_FLAG_CHILDREN},
         v1::UNIT_TYPE_UNSPECIFIED,
         "Flytter fra krisecenter med to børn; boligen skal ligge nær børnenes skole."},
        {"demo-730-w3",
         v1::SITUATION_STREET,
         1,
         v1::SUPPORT_LEVEL_HOME_SUPPORT_85,
         {v1::UNIT_TYPE_SKAEV_BOLIG, v1::UNIT_TYPE_HOUSING_FIRST},
         "8900",
         v1::AREA_REASON_NETWORK,
         4200,
         {v1::VULNERABILITY_FLAG_LONG_TERM_HOMELESS, v1::VULNERABILITY_FLAG_SUBSTANCE_USE},
         v1::UNIT_TYPE_UNSPECIFIED,
         "Hjemløs i mange år; ønsker en skæv bolig med bostøtte."},
        {"demo-730-w4",
         v1::SITUATION_HOUSED,
         1,
         v1::SUPPORT_LEVEL_HOME_SUPPORT_85,
         {v1::UNIT_TYPE_SHARED_LIVING, v1::UNIT_TYPE_UNSPECIFIED},
         "8930",
         v1::AREA_REASON_FAMILY,
         4600,
         {v1::VULNERABILITY_FLAG_UNSPECIFIED, v1::VULNERABILITY_FLAG_UNSPECIFIED},
         v1::UNIT_TYPE_UNSPECIFIED,
         "Bor hos forældrene; ønsker bofællesskab med andre unge og bostøtte (§ 85)."},
    };
    int n = 0;
    for (const auto& st : stories) {
      v1::CreateApplicationRequest req;
      v1::Application* a = req.mutable_application();
      a->set_citizen_id(st.citizen);
      a->set_situation(st.situation);
      *a->mutable_screening_date() = DateOf(today - (20 + 15 * n));
      a->set_rooms_needed(st.rooms);
      a->set_support_needed(st.support);
      for (auto t : st.unit_types) {
        if (t != v1::UNIT_TYPE_UNSPECIFIED) a->add_unit_types(t);
      }
      auto* area = a->add_preferred_areas();
      area->set_postcode(st.postcode);
      area->set_reason(st.reason);
      a->set_max_rent_dkk(st.max_rent);
      for (auto f : st.flags) {
        if (f != v1::VULNERABILITY_FLAG_UNSPECIFIED) a->add_vulnerability_flags(f);
      }
      a->set_notes(st.notes);
      req.set_idempotency_key(Rid(absl::StrCat("whole-picture:app:", st.citizen)));
      v1::CreateApplicationResponse resp;
      HELHED_RETURN_IF_ERROR(Invoke(req, &resp, [&](auto* c, auto& r, auto* s) {
        return stub_->CreateApplication(c, r, s);
      }));
      ids.whole_picture.push_back(resp.application().id());
      if (st.stay != v1::UNIT_TYPE_UNSPECIFIED) {
        // A place of its own, so the generated stays above are untouched.
        v1::CreateUnitRequest ur;
        v1::HousingUnit* u = ur.mutable_unit();
        u->set_unit_type(st.stay);
        u->set_landlord(kLandlords[2]);
        u->set_postcode(st.postcode);
        u->set_rooms(1);
        u->set_monthly_rent_dkk(2800);
        u->set_support(v1::SUPPORT_LEVEL_STAFFED);
        *u->mutable_available_from() = DateOf(today - 120);
        ur.set_idempotency_key(Rid(absl::StrCat("whole-picture:unit:", st.citizen)));
        v1::CreateUnitResponse unit;
        HELHED_RETURN_IF_ERROR(Invoke(
            ur, &unit, [&](auto* c, auto& r, auto* s) { return stub_->CreateUnit(c, r, s); }));
        v1::CreateTenancyRequest tr;
        tr.set_idempotency_key(Rid(absl::StrCat("whole-picture:stay:", st.citizen)));
        tr.mutable_tenancy()->set_unit_id(unit.unit().id());
        tr.mutable_tenancy()->set_citizen_id(st.citizen);
        *tr.mutable_tenancy()->mutable_move_in() = DateOf(today - 75);
        v1::CreateTenancyResponse stay;
        HELHED_RETURN_IF_ERROR(Invoke(tr, &stay, [&](auto* c, auto& r, auto* out) {
          return stub_->CreateTenancy(c, r, out);
        }));
      }
      ++n;
    }
    return absl::OkStatus();
  }

 private:
  std::unique_ptr<v1::HousingService::Stub> stub_;
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

}  // namespace helhed::housing::demo
