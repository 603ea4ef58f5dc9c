// Tests of housing eligibility and ranking
// (services/housing/domain/eligibility): each rule on its own with its
// reason, STAFFED support covering every need, fit reasons, candidate order
// and its tie-breaks, the limit, which applications are considered, queue
// places per unit type; the rule each "no" names (BrokenRules) and the
// ranking agreeing with it, the explanation of one named application, and
// the standing in words, in Danish and English.
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "services/housing/domain/eligibility.h"
#include "services/housing/domain/priority.h"

namespace helhed::housing {
namespace {

using ::helhed::common::v1::RESOURCE_STATE_ACTIVE;
using ::helhed::common::v1::RESOURCE_STATE_ARCHIVED;
using Strings = std::vector<std::string>;
using Rules = std::vector<v1::EligibilityRule>;

// The existing texts are asserted in English (asked for), the new ones in
// both languages.
constexpr i18n::Language kEn = i18n::Language::kEnglish;
constexpr i18n::Language kDa = i18n::Language::kDanish;

const absl::CivilDay kToday(2026, 6, 1);

google::type::Date MakeDate(int y, int m, int d) {
  google::type::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

// A two-room Housing First flat at 4800 kr in 8900, step-free, with ACT.
v1::HousingUnit Unit() {
  v1::HousingUnit u;
  u.set_id("unit-1");
  u.set_unit_type(v1::UNIT_TYPE_HOUSING_FIRST);
  u.set_postcode("8900");
  u.set_rooms(2);
  u.set_monthly_rent_dkk(4800);
  u.add_accessibility(v1::ACCESSIBILITY_STEP_FREE);
  u.set_support(v1::SUPPORT_LEVEL_ACT);
  u.set_unit_status(v1::UNIT_STATUS_AVAILABLE);
  u.set_state(RESOURCE_STATE_ACTIVE);
  return u;
}

// An active application that can take Unit(): street, screened 2026-03-02
// (91 days, 13 weeks, before kToday), one room, up to 5200 kr.
v1::Application App(const std::string& id) {
  v1::Application a;
  a.set_id(id);
  a.set_citizen_id("citizen-" + id);
  a.set_situation(v1::SITUATION_STREET);
  *a.mutable_screening_date() = MakeDate(2026, 3, 2);
  a.set_rooms_needed(1);
  a.set_max_rent_dkk(5200);
  a.add_unit_types(v1::UNIT_TYPE_PUBLIC_REFERRAL);
  a.add_unit_types(v1::UNIT_TYPE_HOUSING_FIRST);
  a.set_support_needed(v1::SUPPORT_LEVEL_NONE);
  a.set_application_status(v1::APPLICATION_STATUS_ACTIVE);
  a.set_state(RESOURCE_STATE_ACTIVE);
  return a;
}

PriorityScorer Scorer() { return PriorityScorer(DefaultPriorityRule(), kToday); }

Strings Ids(const Ranking& r) {
  Strings out;
  for (const v1::Candidate& c : r.candidates) {
    out.push_back(c.application_id());
  }
  return out;
}

TEST(HousingEligibility, BaseApplicationIsEligible) {
  EXPECT_TRUE(Ineligibility(kEn, Unit(), App("a")).empty());
  EXPECT_TRUE(Eligible(Unit(), App("a")));
}

TEST(HousingEligibility, UnitType) {
  v1::Application a = App("a");
  a.clear_unit_types();
  a.add_unit_types(v1::UNIT_TYPE_SKAEV_BOLIG);
  EXPECT_EQ(Ineligibility(kEn, Unit(), a),
            Strings{"the application does not include the unit type Housing First flat"});
  EXPECT_FALSE(Eligible(Unit(), a));
  a.add_unit_types(v1::UNIT_TYPE_HOUSING_FIRST);
  EXPECT_TRUE(Eligible(Unit(), a));
}

TEST(HousingEligibility, Rooms) {
  v1::Application a = App("a");
  a.set_rooms_needed(3);
  EXPECT_EQ(Ineligibility(kEn, Unit(), a), Strings{"needs 3 rooms, the unit has 2"});
  EXPECT_FALSE(Eligible(Unit(), a));
  a.set_rooms_needed(2);  // exactly enough
  EXPECT_TRUE(Eligible(Unit(), a));
  EXPECT_TRUE(Ineligibility(kEn, Unit(), a).empty());
}

TEST(HousingEligibility, Rent) {
  v1::Application a = App("a");
  a.set_max_rent_dkk(4799);
  EXPECT_EQ(Ineligibility(kEn, Unit(), a),
            Strings{"the rent of DKK 4,800 is above the DKK 4,799 the applicant can pay"});
  EXPECT_FALSE(Eligible(Unit(), a));
  a.set_max_rent_dkk(4800);  // exactly affordable
  EXPECT_TRUE(Eligible(Unit(), a));
}

TEST(HousingEligibility, Accessibility) {
  v1::Application a = App("a");
  a.add_accessibility_needs(v1::ACCESSIBILITY_STEP_FREE);
  EXPECT_TRUE(Eligible(Unit(), a));
  a.add_accessibility_needs(v1::ACCESSIBILITY_WHEELCHAIR);
  a.add_accessibility_needs(v1::ACCESSIBILITY_LIFT);
  EXPECT_EQ(Ineligibility(kEn, Unit(), a),
            (Strings{"the unit does not meet the need: wheelchair accessible",
                     "the unit does not meet the need: lift"}));
  EXPECT_FALSE(Eligible(Unit(), a));
  v1::HousingUnit u = Unit();
  u.add_accessibility(v1::ACCESSIBILITY_LIFT);
  u.add_accessibility(v1::ACCESSIBILITY_WHEELCHAIR);
  EXPECT_TRUE(Eligible(u, a));
  EXPECT_TRUE(Ineligibility(kEn, u, a).empty());
}

TEST(HousingEligibility, SupportMustMatch) {
  v1::Application a = App("a");
  a.set_support_needed(v1::SUPPORT_LEVEL_UNSPECIFIED);
  EXPECT_TRUE(Eligible(Unit(), a));
  a.set_support_needed(v1::SUPPORT_LEVEL_ACT);
  EXPECT_TRUE(Eligible(Unit(), a));
  a.set_support_needed(v1::SUPPORT_LEVEL_ICM);
  EXPECT_EQ(Ineligibility(kEn, Unit(), a), Strings{"needs ICM support, the unit has ACT support"});
  EXPECT_FALSE(Eligible(Unit(), a));

  v1::HousingUnit none = Unit();
  none.set_support(v1::SUPPORT_LEVEL_NONE);
  a.set_support_needed(v1::SUPPORT_LEVEL_ACT);
  EXPECT_EQ(Ineligibility(kEn, none, a), Strings{"needs ACT support, the unit has no support"});
  a.set_support_needed(v1::SUPPORT_LEVEL_HOME_SUPPORT_85);
  EXPECT_EQ(Ineligibility(kEn, none, a),
            Strings{"needs §85 home support, the unit has no support"});
  a.set_support_needed(v1::SUPPORT_LEVEL_NONE);
  EXPECT_TRUE(Eligible(none, a));
}

TEST(HousingEligibility, StaffedCoversEveryNeed) {
  v1::HousingUnit staffed = Unit();
  staffed.set_support(v1::SUPPORT_LEVEL_STAFFED);
  for (int s = v1::SupportLevel_MIN; s <= v1::SupportLevel_MAX; ++s) {
    v1::Application a = App("a");
    a.set_support_needed(static_cast<v1::SupportLevel>(s));
    EXPECT_TRUE(Eligible(staffed, a)) << v1::SupportLevel_Name(s);
    EXPECT_TRUE(Ineligibility(kEn, staffed, a).empty()) << v1::SupportLevel_Name(s);
  }
  // ... but nothing else covers a staffed need.
  v1::Application a = App("a");
  a.set_support_needed(v1::SUPPORT_LEVEL_STAFFED);
  EXPECT_EQ(Ineligibility(kEn, Unit(), a),
            Strings{"needs staffed day and night, the unit has ACT support"});
}

TEST(HousingEligibility, EveryBrokenRuleHasAReason) {
  v1::Application a = App("a");
  a.clear_unit_types();
  a.add_unit_types(v1::UNIT_TYPE_SHELTER_110);
  a.set_rooms_needed(4);
  a.set_max_rent_dkk(3000);
  a.add_accessibility_needs(v1::ACCESSIBILITY_WHEELCHAIR);
  a.set_support_needed(v1::SUPPORT_LEVEL_CTI);
  EXPECT_EQ(Ineligibility(kEn, Unit(), a),
            (Strings{
                "the application does not include the unit type Housing First flat",
                "needs 4 rooms, the unit has 2",
                "the rent of DKK 4,800 is above the DKK 3,000 the applicant can pay",
                "the unit does not meet the need: wheelchair accessible",
                "needs CTI support, the unit has ACT support",
            }));
  EXPECT_FALSE(Eligible(Unit(), a));
}

TEST(HousingEligibility, FitReasons) {
  v1::Application a = App("a");
  a.add_accessibility_needs(v1::ACCESSIBILITY_STEP_FREE);
  a.set_support_needed(v1::SUPPORT_LEVEL_ACT);
  v1::PreferredArea* area = a.add_preferred_areas();
  area->set_postcode("8000");
  area->set_reason(v1::AREA_REASON_WORK);
  area = a.add_preferred_areas();
  area->set_postcode("8900");
  area->set_reason(v1::AREA_REASON_FAMILY);
  EXPECT_EQ(FitReasons(kEn, Unit(), a), (Strings{
                                            "2 rooms (needs 1)",
                                            "rent DKK 4,800 within DKK 5,200",
                                            "step-free",
                                            "ACT support",
                                            "in a preferred area: 8900 (family)",
                                        }));
  EXPECT_TRUE(InPreferredArea(Unit(), a));
}

TEST(HousingEligibility, FitReasonsMinimalAndStaffed) {
  v1::HousingUnit u = Unit();
  u.set_support(v1::SUPPORT_LEVEL_STAFFED);
  v1::Application a = App("a");
  EXPECT_EQ(FitReasons(kEn, u, a),
            (Strings{"2 rooms (needs 1)", "rent DKK 4,800 within DKK 5,200"}));
  EXPECT_FALSE(InPreferredArea(u, a));
  a.set_support_needed(v1::SUPPORT_LEVEL_ICM);
  EXPECT_EQ(FitReasons(kEn, u, a).back(), "staffed day and night (covers ICM support)");
}

TEST(HousingEligibility, InPreferredArea) {
  v1::Application a = App("a");
  a.add_preferred_areas()->set_postcode("8920");
  EXPECT_FALSE(InPreferredArea(Unit(), a));
  a.add_preferred_areas()->set_postcode("8900");
  EXPECT_TRUE(InPreferredArea(Unit(), a));
  v1::HousingUnit no_postcode = Unit();
  no_postcode.clear_postcode();
  a.add_preferred_areas()->set_postcode("");
  EXPECT_FALSE(InPreferredArea(no_postcode, a));
}

TEST(HousingRanking, OrderedByPriority) {
  v1::Application shelter = App("shelter");
  shelter.set_situation(v1::SITUATION_SHELTER);
  v1::Application street = App("street");
  v1::Application flagged = App("flagged");
  flagged.set_situation(v1::SITUATION_SOFA_SURFING);
  flagged.add_vulnerability_flags(v1::VULNERABILITY_FLAG_DUAL_DIAGNOSIS);
  flagged.add_vulnerability_flags(v1::VULNERABILITY_FLAG_CHILDREN);
  const Ranking r = RankCandidates(Unit(), {shelter, street, flagged}, Scorer(), 10, kEn);
  EXPECT_EQ(Ids(r), (Strings{"flagged", "street", "shelter"}));
  EXPECT_EQ(r.considered, 3);
  EXPECT_EQ(r.eligible, 3);
  ASSERT_EQ(r.candidates.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(r.candidates[i].rank(), i + 1);
  }
  const v1::Candidate& top = r.candidates[0];
  EXPECT_EQ(top.citizen_id(), "citizen-flagged");
  EXPECT_EQ(top.priority().total(), 20 + 13 + 15 + 10);
  EXPECT_EQ(top.priority().waiting_days(), 91);
  EXPECT_EQ(top.priority().parts_size(), 4);
  EXPECT_EQ(top.reasons(0), "2 rooms (needs 1)");
  EXPECT_FALSE(top.preferred_area());
  EXPECT_EQ(r.candidates[1].priority().total(), 40 + 13);
}

TEST(HousingRanking, PreferredAreaBreaksPriorityTies) {
  v1::Application a = App("a");
  v1::Application b = App("b");
  b.add_preferred_areas()->set_postcode("8900");
  const Ranking r = RankCandidates(Unit(), {a, b}, Scorer(), 10, kEn);
  EXPECT_EQ(Ids(r), (Strings{"b", "a"}));
  EXPECT_TRUE(r.candidates[0].preferred_area());
  EXPECT_FALSE(r.candidates[1].preferred_area());
  EXPECT_EQ(r.candidates[0].reasons().size(), 3);
  EXPECT_EQ(r.candidates[0].reasons(2), "in a preferred area: 8900");
  // A higher priority still beats the area.
  a.add_vulnerability_flags(v1::VULNERABILITY_FLAG_PHYSICAL_DISABILITY);
  EXPECT_EQ(Ids(RankCandidates(Unit(), {a, b}, Scorer(), 10, kEn)), (Strings{"a", "b"}));
}

TEST(HousingRanking, EarlierScreeningBreaksTies) {
  // Both waited over a year (capped), so they have the same priority.
  v1::Application late = App("a-late");
  *late.mutable_screening_date() = MakeDate(2024, 5, 1);
  v1::Application early = App("z-early");
  *early.mutable_screening_date() = MakeDate(2024, 1, 1);
  v1::Application none = App("0-none");
  none.clear_screening_date();
  none.add_vulnerability_flags(v1::VULNERABILITY_FLAG_DUAL_DIAGNOSIS);
  none.add_vulnerability_flags(v1::VULNERABILITY_FLAG_LONG_TERM_HOMELESS);
  none.add_vulnerability_flags(v1::VULNERABILITY_FLAG_VIOLENCE);
  none.add_vulnerability_flags(v1::VULNERABILITY_FLAG_PHYSICAL_DISABILITY);
  // 40 + 15 * 3 + 5 = 90 without waiting; the others 40 + 52 = 92.
  const Ranking r = RankCandidates(Unit(), {late, none, early}, Scorer(), 10, kEn);
  EXPECT_EQ(Ids(r), (Strings{"z-early", "a-late", "0-none"}));
  EXPECT_EQ(r.candidates[0].priority().total(), r.candidates[1].priority().total());
}

TEST(HousingRanking, IdBreaksRemainingTies) {
  const Ranking r = RankCandidates(Unit(), {App("c"), App("a"), App("b")}, Scorer(), 10, kEn);
  EXPECT_EQ(Ids(r), (Strings{"a", "b", "c"}));
}

TEST(HousingRanking, Limit) {
  std::vector<v1::Application> apps;
  for (int i = 0; i < 30; ++i) {
    v1::Application a = App("app-" + std::to_string(100 + i));
    // Later ones waited longer: app-129 first.
    *a.mutable_screening_date() = MakeDate(2026, 5, 31 - i);
    apps.push_back(a);
  }
  const Ranking r = RankCandidates(Unit(), apps, Scorer(), 3, kEn);
  EXPECT_EQ(Ids(r), (Strings{"app-129", "app-128", "app-127"}));
  EXPECT_EQ(r.considered, 30);
  EXPECT_EQ(r.eligible, 30);
  EXPECT_EQ(r.candidates[2].rank(), 3);

  const Ranking all = RankCandidates(Unit(), apps, Scorer(), 100, kEn);
  EXPECT_EQ(all.candidates.size(), 30u);
  EXPECT_EQ(all.candidates.back().application_id(), "app-100");
  EXPECT_EQ(all.candidates.back().rank(), 30);

  for (int limit : {0, -1}) {
    const Ranking none = RankCandidates(Unit(), apps, Scorer(), limit, kEn);
    EXPECT_TRUE(none.candidates.empty());
    EXPECT_EQ(none.considered, 30);
    EXPECT_EQ(none.eligible, 30);
  }
}

TEST(HousingRanking, OnlyActiveApplicationsConsidered) {
  v1::Application offered = App("offered");
  offered.set_application_status(v1::APPLICATION_STATUS_OFFERED);
  v1::Application housed = App("housed");
  housed.set_application_status(v1::APPLICATION_STATUS_HOUSED);
  v1::Application withdrawn = App("withdrawn");
  withdrawn.set_application_status(v1::APPLICATION_STATUS_WITHDRAWN);
  v1::Application unspecified = App("unspecified");
  unspecified.set_application_status(v1::APPLICATION_STATUS_UNSPECIFIED);
  v1::Application archived = App("archived");
  archived.set_state(RESOURCE_STATE_ARCHIVED);
  v1::Application too_big = App("too-big");
  too_big.set_rooms_needed(5);
  const Ranking r = RankCandidates(
      Unit(), {offered, housed, withdrawn, unspecified, archived, App("active"), too_big}, Scorer(),
      10, kEn);
  EXPECT_EQ(Ids(r), Strings{"active"});
  EXPECT_EQ(r.considered, 2);
  EXPECT_EQ(r.eligible, 1);
}

TEST(HousingRanking, NoApplications) {
  const Ranking r = RankCandidates(Unit(), {}, Scorer(), 10, kEn);
  EXPECT_TRUE(r.candidates.empty());
  EXPECT_EQ(r.considered, 0);
  EXPECT_EQ(r.eligible, 0);
}

std::vector<v1::UnitType> Types(const std::vector<v1::QueuePlace>& places) {
  std::vector<v1::UnitType> out;
  for (const v1::QueuePlace& q : places) {
    out.push_back(q.unit_type());
  }
  return out;
}

TEST(HousingQueue, PlacesPerUnitType) {
  v1::Application me = App("me");  // street, 13 weeks: 53
  me.clear_unit_types();
  me.add_unit_types(v1::UNIT_TYPE_SKAEV_BOLIG);
  me.add_unit_types(v1::UNIT_TYPE_PUBLIC_REFERRAL);
  me.add_unit_types(v1::UNIT_TYPE_SHELTER_110);

  v1::Application higher = App("higher");  // public referral, housing first
  higher.add_vulnerability_flags(v1::VULNERABILITY_FLAG_VIOLENCE);
  v1::Application higher_skaev = App("higher-skaev");
  higher_skaev.clear_unit_types();
  higher_skaev.add_unit_types(v1::UNIT_TYPE_SKAEV_BOLIG);
  higher_skaev.set_situation(v1::SITUATION_STREET);
  higher_skaev.add_vulnerability_flags(v1::VULNERABILITY_FLAG_CHILDREN);
  v1::Application lower = App("lower");
  lower.set_situation(v1::SITUATION_HOUSED);
  lower.add_unit_types(v1::UNIT_TYPE_SKAEV_BOLIG);
  v1::Application tie_later_id = App("zz");  // same total and date, later id
  tie_later_id.clear_unit_types();
  tie_later_id.add_unit_types(v1::UNIT_TYPE_PUBLIC_REFERRAL);
  v1::Application tie_earlier_id = App("aa");  // same total and date, earlier id
  tie_earlier_id.clear_unit_types();
  tie_earlier_id.add_unit_types(v1::UNIT_TYPE_PUBLIC_REFERRAL);
  v1::Application inactive = App("inactive");
  inactive.set_application_status(v1::APPLICATION_STATUS_HOUSED);
  inactive.add_vulnerability_flags(v1::VULNERABILITY_FLAG_VIOLENCE);
  v1::Application archived = App("archived");
  archived.set_state(RESOURCE_STATE_ARCHIVED);
  archived.add_vulnerability_flags(v1::VULNERABILITY_FLAG_VIOLENCE);

  const std::vector<v1::Application> apps = {me,           higher,         higher_skaev, lower,
                                             tie_later_id, tie_earlier_id, inactive,     archived};
  const std::vector<v1::QueuePlace> q = QueuePlaces(me, apps, Scorer());
  ASSERT_EQ(Types(q),
            (std::vector<v1::UnitType>{v1::UNIT_TYPE_SKAEV_BOLIG, v1::UNIT_TYPE_PUBLIC_REFERRAL,
                                       v1::UNIT_TYPE_SHELTER_110}));
  // Skæv bolig: higher-skaev, me, lower.
  EXPECT_EQ(q[0].place(), 2);
  EXPECT_EQ(q[0].queue_length(), 3);
  // Public referral: higher, aa (same total and date, earlier id), me,
  // lower, zz.
  EXPECT_EQ(q[1].place(), 3);
  EXPECT_EQ(q[1].queue_length(), 5);
  // Shelter: only me.
  EXPECT_EQ(q[2].place(), 1);
  EXPECT_EQ(q[2].queue_length(), 1);
}

TEST(HousingQueue, EarlierScreeningIsAheadAndAreaDoesNotCount) {
  v1::Application me = App("me");
  v1::Application earlier = App("zz-earlier");
  *earlier.mutable_screening_date() = MakeDate(2023, 1, 1);
  *me.mutable_screening_date() = MakeDate(2023, 6, 1);  // both capped at 52
  v1::Application area = App("area");
  *area.mutable_screening_date() = MakeDate(2024, 1, 1);
  area.add_preferred_areas()->set_postcode("8900");
  const std::vector<v1::QueuePlace> q = QueuePlaces(me, {area, earlier}, Scorer());
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[1].unit_type(), v1::UNIT_TYPE_HOUSING_FIRST);
  EXPECT_EQ(q[1].place(), 2);
  EXPECT_EQ(q[1].queue_length(), 3);
}

TEST(HousingQueue, InactiveApplicationStillGetsAPlace) {
  v1::Application me = App("me");
  me.set_application_status(v1::APPLICATION_STATUS_OFFERED);
  me.set_situation(v1::SITUATION_HOUSED);
  const std::vector<v1::Application> apps = {App("x"), me, App("y")};
  const std::vector<v1::QueuePlace> q = QueuePlaces(me, apps, Scorer());
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].place(), 3);
  EXPECT_EQ(q[0].queue_length(), 3);
  // Not in `apps` at all: still counted once.
  EXPECT_EQ(QueuePlaces(me, {}, Scorer())[0].queue_length(), 1);
}

TEST(HousingQueue, ListedTypeTwiceGivesOnePlace) {
  v1::Application me = App("me");
  me.add_unit_types(v1::UNIT_TYPE_PUBLIC_REFERRAL);
  EXPECT_EQ(QueuePlaces(me, {me}, Scorer()).size(), 2u);
}

// ---------------------------------------------------------------------------
// Each eligibility rule on its own: the rule the ranking and the "why not"
// report, and its text in Danish (the default) and English.

TEST(HousingRules, Eligible) { EXPECT_TRUE(BrokenRules(Unit(), App("a")).empty()); }

TEST(HousingRules, UnitType) {
  v1::Application a = App("a");
  a.clear_unit_types();
  a.add_unit_types(v1::UNIT_TYPE_SKAEV_BOLIG);
  EXPECT_EQ(BrokenRules(Unit(), a), Rules{v1::ELIGIBILITY_RULE_UNIT_TYPE});
  EXPECT_EQ(Ineligibility(kDa, Unit(), a),
            Strings{"ansøgningen omfatter ikke boligtypen Housing First-bolig"});
}

TEST(HousingRules, Rooms) {
  v1::Application a = App("a");
  a.set_rooms_needed(3);
  EXPECT_EQ(BrokenRules(Unit(), a), Rules{v1::ELIGIBILITY_RULE_ROOMS});
  EXPECT_EQ(Ineligibility(kDa, Unit(), a), Strings{"har brug for 3 værelser, boligen har 2"});
  v1::HousingUnit small = Unit();
  small.set_rooms(0);
  a.set_rooms_needed(1);
  EXPECT_EQ(Ineligibility(kDa, small, a), Strings{"har brug for 1 værelse, boligen har 0"});
  EXPECT_EQ(Ineligibility(kEn, small, a), Strings{"needs 1 room, the unit has 0"});
}

TEST(HousingRules, RentInBothLanguages) {
  v1::HousingUnit u = Unit();
  u.set_monthly_rent_dkk(6500);
  v1::Application a = App("a");
  a.set_max_rent_dkk(6499);
  EXPECT_EQ(BrokenRules(u, a), Rules{v1::ELIGIBILITY_RULE_RENT});
  EXPECT_EQ(Ineligibility(kDa, u, a),
            Strings{"huslejen på 6.500 kr. er over de 6.499 kr., ansøgeren kan betale"});
  EXPECT_EQ(Ineligibility(kEn, u, a),
            Strings{"the rent of DKK 6,500 is above the DKK 6,499 the applicant can pay"});
}

TEST(HousingRules, Accessibility) {
  v1::Application a = App("a");
  a.add_accessibility_needs(v1::ACCESSIBILITY_WHEELCHAIR);
  EXPECT_EQ(BrokenRules(Unit(), a), Rules{v1::ELIGIBILITY_RULE_ACCESSIBILITY});
  EXPECT_EQ(Ineligibility(kDa, Unit(), a),
            Strings{"boligen opfylder ikke behovet: kørestolsegnet"});
}

TEST(HousingRules, Support) {
  v1::Application a = App("a");
  a.set_support_needed(v1::SUPPORT_LEVEL_HOME_SUPPORT_85);
  v1::HousingUnit none = Unit();
  none.set_support(v1::SUPPORT_LEVEL_UNSPECIFIED);  // reads as none
  EXPECT_EQ(BrokenRules(none, a), Rules{v1::ELIGIBILITY_RULE_SUPPORT});
  EXPECT_EQ(Ineligibility(kDa, none, a),
            Strings{"har brug for §85 bostøtte, boligen har ingen støtte"});
}

TEST(HousingRules, AlreadyOffered) {
  v1::Application a = App("a");
  a.set_application_status(v1::APPLICATION_STATUS_OFFERED);
  EXPECT_EQ(BrokenRules(Unit(), a), Rules{v1::ELIGIBILITY_RULE_ALREADY_OFFERED});
  EXPECT_EQ(Ineligibility(kDa, Unit(), a),
            Strings{"ansøgningen har allerede et tilbud, der afventer svar"});
  // The unit fits; only the state keeps it out.
  EXPECT_TRUE(Eligible(Unit(), a));
}

TEST(HousingRules, AlreadyHoused) {
  v1::Application a = App("a");
  a.set_application_status(v1::APPLICATION_STATUS_HOUSED);
  EXPECT_EQ(BrokenRules(Unit(), a), Rules{v1::ELIGIBILITY_RULE_ALREADY_HOUSED});
  EXPECT_EQ(Ineligibility(kEn, Unit(), a),
            Strings{"the applicant has already been housed through this application"});
}

TEST(HousingRules, NotActive) {
  v1::Application withdrawn = App("a");
  withdrawn.set_application_status(v1::APPLICATION_STATUS_WITHDRAWN);
  EXPECT_EQ(BrokenRules(Unit(), withdrawn), Rules{v1::ELIGIBILITY_RULE_NOT_ACTIVE});
  EXPECT_EQ(Ineligibility(kDa, Unit(), withdrawn),
            Strings{"ansøgningen er ikke aktiv (trukket tilbage)"});
  v1::Application archived = App("b");
  archived.set_state(RESOURCE_STATE_ARCHIVED);
  EXPECT_EQ(BrokenRules(Unit(), archived), Rules{v1::ELIGIBILITY_RULE_NOT_ACTIVE});
  EXPECT_EQ(Ineligibility(kDa, Unit(), archived), Strings{"ansøgningen er ikke aktiv (arkiveret)"});
}

TEST(HousingRules, StateFirstThenUnitRulesInOrder) {
  v1::Application a = App("a");
  a.set_application_status(v1::APPLICATION_STATUS_OFFERED);
  a.clear_unit_types();
  a.add_unit_types(v1::UNIT_TYPE_SHELTER_110);
  a.set_rooms_needed(4);
  a.set_max_rent_dkk(3000);
  a.add_accessibility_needs(v1::ACCESSIBILITY_LIFT);
  a.set_support_needed(v1::SUPPORT_LEVEL_CTI);
  EXPECT_EQ(BrokenRules(Unit(), a),
            (Rules{v1::ELIGIBILITY_RULE_ALREADY_OFFERED, v1::ELIGIBILITY_RULE_UNIT_TYPE,
                   v1::ELIGIBILITY_RULE_ROOMS, v1::ELIGIBILITY_RULE_RENT,
                   v1::ELIGIBILITY_RULE_ACCESSIBILITY, v1::ELIGIBILITY_RULE_SUPPORT}));
  EXPECT_EQ(Ineligibility(kDa, Unit(), a).size(), 6u);
}

TEST(HousingRules, RankingAgreesWithTheRules) {
  std::vector<v1::Application> apps;
  for (int i = 0; i < 64; ++i) {
    v1::Application a = App("app-" + std::to_string(100 + i));
    if (i & 1) a.set_rooms_needed(3);
    if (i & 2) a.set_max_rent_dkk(4000);
    if (i & 4) a.add_accessibility_needs(v1::ACCESSIBILITY_LIFT);
    if (i & 8) a.set_support_needed(v1::SUPPORT_LEVEL_CTI);
    if (i & 16) a.set_application_status(v1::APPLICATION_STATUS_OFFERED);
    if (i & 32) a.clear_unit_types();
    apps.push_back(a);
  }
  const Ranking r = RankCandidates(Unit(), apps, Scorer(), 100, kDa);
  ASSERT_EQ(r.candidates.size(), 1u);
  EXPECT_EQ(r.candidates[0].application_id(), "app-100");
  for (const v1::Application& a : apps) {
    EXPECT_EQ(BrokenRules(Unit(), a).empty(), a.id() == "app-100") << a.id();
  }
}

TEST(HousingRules, DanishFitReasons) {
  v1::Application a = App("a");
  a.set_support_needed(v1::SUPPORT_LEVEL_ICM);
  v1::PreferredArea* area = a.add_preferred_areas();
  area->set_postcode("8900");
  area->set_reason(v1::AREA_REASON_FAMILY);
  v1::HousingUnit u = Unit();
  u.set_support(v1::SUPPORT_LEVEL_STAFFED);
  EXPECT_EQ(FitReasons(kDa, u, a), (Strings{
                                       "2 værelser (behov: 1)",
                                       "husleje 4.800 kr. inden for 5.200 kr.",
                                       "døgnbemandet (dækker ICM-støtte)",
                                       "i et ønsket område: 8900 (familie)",
                                   }));
}

// ---------------------------------------------------------------------------
// Why one named application is or is not among the candidates.

// Three eligible applications: 68 (dual diagnosis), 63 (children) and 43
// (shelter instead of street).
std::vector<v1::Application> ThreeApps() {
  v1::Application top = App("top");
  top.add_vulnerability_flags(v1::VULNERABILITY_FLAG_DUAL_DIAGNOSIS);
  v1::Application second = App("second");
  second.add_vulnerability_flags(v1::VULNERABILITY_FLAG_CHILDREN);
  v1::Application low = App("low");
  low.set_situation(v1::SITUATION_SHELTER);
  return {low, top, second};
}

TEST(HousingExplain, RankedCandidate) {
  const std::vector<v1::Application> apps = ThreeApps();
  const Ranking r = RankCandidates(Unit(), apps, Scorer(), 2, kDa);
  const v1::CandidateExplanation e = ExplainCandidate(Unit(), apps[2], apps, Scorer(), r, kDa);
  EXPECT_EQ(e.application_id(), "second");
  EXPECT_TRUE(e.ranked());
  EXPECT_EQ(e.rank(), 2);
  EXPECT_TRUE(e.failed_rules().empty());
  EXPECT_EQ(e.points_behind(), 0);
  EXPECT_TRUE(e.low_parts().empty());
  EXPECT_EQ(e.priority().total(), 63);
  EXPECT_EQ(e.text(),
            "Ansøgningen er nr. 2 af 3, der kan få boligen, og er med blandt de viste kandidater "
            "med 63 point.");
}

TEST(HousingExplain, LowRankedCandidateWithGapInBothLanguages) {
  const std::vector<v1::Application> apps = ThreeApps();
  const Ranking r = RankCandidates(Unit(), apps, Scorer(), 2, kDa);
  const v1::CandidateExplanation e = ExplainCandidate(Unit(), apps[0], apps, Scorer(), r, kDa);
  EXPECT_FALSE(e.ranked());
  EXPECT_EQ(e.rank(), 3);
  EXPECT_TRUE(e.failed_rules().empty());
  EXPECT_EQ(e.points_behind(), 20);
  ASSERT_EQ(e.low_parts_size(), 2);
  EXPECT_EQ(e.low_parts(0).kind(), "situation");
  EXPECT_EQ(e.low_parts(0).points(), 10);
  EXPECT_EQ(e.low_parts(0).detail(), "boligsituation");
  EXPECT_EQ(e.low_parts(1).kind(), "flags");
  EXPECT_EQ(e.low_parts(1).points(), 10);
  EXPECT_EQ(e.text(),
            "Ansøgningen kan få boligen, men er nr. 3 af 3 og er ikke blandt de 2 viste "
            "kandidater: den har 20 point færre end den sidste viste kandidat (43 point mod 63 "
            "point). Færre point for boligsituation (10 point færre), sårbarhed (10 point færre).");
  const v1::CandidateExplanation en = ExplainCandidate(Unit(), apps[0], apps, Scorer(), r, kEn);
  EXPECT_EQ(en.text(),
            "The application can take the unit but is number 3 of 3 and not among the 2 "
            "candidates shown: it has 20 points fewer than the last candidate shown (43 points "
            "against 63 points). Fewer points for housing situation (10 points fewer), "
            "vulnerability (10 points fewer).");
  EXPECT_EQ(en.priority().parts(0).detail(), "in a shelter");
}

TEST(HousingExplain, TieLostOnPreferredArea) {
  v1::Application a = App("a");
  v1::Application b = App("b");
  b.add_preferred_areas()->set_postcode("8900");
  const std::vector<v1::Application> apps = {a, b};
  const Ranking r = RankCandidates(Unit(), apps, Scorer(), 1, kDa);
  const v1::CandidateExplanation e = ExplainCandidate(Unit(), a, apps, Scorer(), r, kDa);
  EXPECT_FALSE(e.ranked());
  EXPECT_EQ(e.rank(), 2);
  EXPECT_EQ(e.points_behind(), 0);
  EXPECT_TRUE(e.low_parts().empty());
  EXPECT_EQ(e.text(),
            "Ansøgningen kan få boligen, men er nr. 2 af 2 og er ikke blandt de 1 viste "
            "kandidater: den har lige så mange point som den sidste viste kandidat (53 point), "
            "men står efter den på ønsket område.");
}

TEST(HousingExplain, IneligibleNamesItsRules) {
  const std::vector<v1::Application> apps = ThreeApps();
  v1::Application other = App("other");
  other.set_max_rent_dkk(4000);
  other.add_accessibility_needs(v1::ACCESSIBILITY_WHEELCHAIR);
  const Ranking r = RankCandidates(Unit(), apps, Scorer(), 2, kDa);
  const v1::CandidateExplanation e = ExplainCandidate(Unit(), other, apps, Scorer(), r, kDa);
  EXPECT_FALSE(e.ranked());
  EXPECT_EQ(e.rank(), 0);
  EXPECT_EQ(e.failed_rules_size(), 2);
  EXPECT_EQ(e.failed_rules(0), v1::ELIGIBILITY_RULE_RENT);
  EXPECT_EQ(e.failed_rules(1), v1::ELIGIBILITY_RULE_ACCESSIBILITY);
  EXPECT_EQ(e.text(),
            "Ansøgningen kan ikke få denne bolig: huslejen på 4.800 kr. er over de 4.000 kr., "
            "ansøgeren kan betale; boligen opfylder ikke behovet: kørestolsegnet.");
  EXPECT_EQ(ExplainCandidate(Unit(), other, apps, Scorer(), r, kEn).text(),
            "The application cannot take this unit: the rent of DKK 4,800 is above the DKK 4,000 "
            "the applicant can pay; the unit does not meet the need: wheelchair accessible.");
}

// ---------------------------------------------------------------------------
// The applicant's standing in words.

TEST(HousingStanding, TextInDanishAndEnglish) {
  v1::Application me = App("me");
  me.add_vulnerability_flags(v1::VULNERABILITY_FLAG_DUAL_DIAGNOSIS);
  v1::Application ahead = App("ahead");
  ahead.add_vulnerability_flags(v1::VULNERABILITY_FLAG_DUAL_DIAGNOSIS);
  ahead.add_vulnerability_flags(v1::VULNERABILITY_FLAG_VIOLENCE);
  const std::vector<v1::Application> apps = {me, ahead};
  const std::vector<v1::QueuePlace> q = QueuePlaces(me, apps, Scorer());
  EXPECT_EQ(StandingText(kDa, me, Scorer().Explain(me, kDa), q),
            "Ansøgningen har 68 point i alt (på gaden: 40 point; 13 uger siden visitationen: 13 "
            "point; dobbeltdiagnose: 15 point). Nr. 2 af 2 på ventelisten til kommunal anvisning. "
            "Nr. 2 af 2 på ventelisten til Housing First-bolig.");
  EXPECT_EQ(StandingText(kEn, me, Scorer().Explain(me, kEn), q),
            "The application has 68 points in all (on the street: 40 points; 13 weeks since "
            "screening: 13 points; dual diagnosis: 15 points). Number 2 of 2 in the queue for "
            "public housing by referral. Number 2 of 2 in the queue for Housing First flat.");
}

TEST(HousingStanding, NotActiveAndNoQueue) {
  v1::Application me = App("me");
  me.clear_unit_types();
  me.set_application_status(v1::APPLICATION_STATUS_OFFERED);
  const std::string text = StandingText(kDa, me, Scorer().Explain(me, kDa), {});
  EXPECT_EQ(text,
            "Ansøgningen har 53 point i alt (på gaden: 40 point; 13 uger siden visitationen: 13 "
            "point). Ansøgningen står ikke på nogen venteliste, fordi der ikke er valgt en "
            "boligtype. Bemærk: ansøgningen har allerede et tilbud, der afventer svar.");
}

}  // namespace
}  // namespace helhed::housing
